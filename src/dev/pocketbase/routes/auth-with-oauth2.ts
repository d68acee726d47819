/**
 * POST /api/collections/{collection}/auth-with-oauth2 (apis/record_auth_with_oauth2.go): the server
 * swaps the code at the provider, then signs in the linked record, else the signed-in caller, else
 * the record with the provider's verified email, else creates one (never a superuser).
 */
import type { App } from '../app.ts'
import { respondWithAuth } from '../auth-response.ts'
import { bindObject, bindString } from '../body.ts'
import { ApiError, badRequest, fieldError, LOAD_FAILED } from '../errors.ts'
import type { Ctx } from '../http.ts'
import type { OAuth2User } from '../oauth2.ts'
import { randomString } from '../random.ts'
import type { AuthRecord, Collection } from '../store.ts'
import { assertValid, by, length, required } from '../validation.ts'
import { pathCollectionAllowing } from './common.ts'

export async function authWithOAuth2(app: App, ctx: Ctx): Promise<void> {
  const collection = pathCollectionAllowing(app, ctx, 'oauth2')
  const body = await ctx.body()
  const provider = bindString(body, 'provider')
  const code = bindString(body, 'code')
  const codeVerifier = bindString(body, 'codeVerifier')
  const redirectURL = bindString(body, 'redirectURL') || bindString(body, 'redirectUrl')
  const createData = bindObject(body, 'createData')
  const upstream = app.upstream
  assertValid(
    [
      [
        'provider',
        provider,
        [
          required,
          length(0, 100),
          by((name) =>
            upstream?.config.name === name ? null : fieldError('validation_invalid_provider', `Provider with name ${name} is missing or is not enabled.`, { name }),
          ),
        ],
      ],
      ['code', code, [required]],
      ['redirectURL', redirectURL, app.flavor.oauth2RequiresRedirectURL ? [required] : []],
    ],
    LOAD_FAILED,
  )
  if (upstream === undefined) throw new ApiError(500, 'Missing or invalid provider config.')

  const tokens = await upstream.exchange(code, codeVerifier, redirectURL).catch(() => {
    throw badRequest('Failed to fetch OAuth2 token.')
  })
  const user = await upstream.fetchUser(tokens, app.now()).catch(() => {
    throw badRequest('Failed to fetch OAuth2 user.')
  })

  const linked = app.store.all(collection).find((record) => record.externalAuths.some((link) => link.provider === provider && link.providerId === user.id))
  const caller = ctx.auth?.collection === collection ? ctx.auth : undefined
  let record = linked ?? caller ?? (user.email === '' ? undefined : app.store.findByEmail(collection, user.email))
  const isNew = record === undefined
  if (record === undefined) {
    record = createRecord(app, collection, user, createData)
  } else {
    updateExisting(app, record, user, caller)
  }
  if (linked === undefined) record.externalAuths.push({ provider, providerId: user.id })

  const meta = { ...user, avatarUrl: user.avatarURL, isNew }
  await respondWithAuth(app, ctx, record, 'oauth2', { meta })
}

function createRecord(app: App, collection: Collection, user: OAuth2User, createData: Record<string, unknown>): AuthRecord {
  if (collection.name === '_superusers') throw badRequest('Failed to authenticate.')
  const text = (key: string): string | undefined => (typeof createData[key] === 'string' ? createData[key] : undefined)
  const email = text('email') || user.email
  if (email === '') throw badRequest('Failed to create record.', { email: fieldError('validation_required', 'Cannot be blank.') })
  if (app.store.findByEmail(collection, email) !== undefined) {
    throw badRequest('Failed to create record.', app.flavor.namesUniqueFields ? { email: fieldError('validation_not_unique', 'Value must be unique.') } : {})
  }
  const record = app.store.create(collection, {
    email,
    password: randomString(30),
    name: text('name') ?? user.name,
    emailVisibility: createData.emailVisibility === true,
  })
  // Verified as long as the address is the one the provider vouched for.
  if (record.email === user.email) app.store.update(record, { verified: true })
  return record
}

function updateExisting(app: App, record: AuthRecord, user: OAuth2User, caller: AuthRecord | undefined): void {
  // Someone may have registered this address earlier without owning it: their password stops working.
  if (caller !== record && record.email !== '' && !record.verified) app.store.setRandomPassword(record)
  if (record.email === '' && user.email !== '') app.store.update(record, { email: user.email })
  if (!record.verified && (record.email === '' || record.email === user.email)) app.store.update(record, { verified: true })
}
