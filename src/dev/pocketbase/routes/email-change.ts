/**
 * POST /request-email-change (auth required, checked before anything else) and
 * /confirm-email-change `{token, password}` (the current password). Confirming changes the email,
 * which rotates the tokenKey: every token of the record dies. The two servers differ in when they
 * reject a new email someone registered meanwhile: BosBase before checking the token
 * (validation_existing_token_email), PocketBase after it (validation_invalid_token_email).
 */
import type { App } from '../app.ts'
import { bindString } from '../body.ts'
import { badRequest, fieldError } from '../errors.ts'
import type { FieldError } from '../errors.ts'
import type { Ctx } from '../http.ts'
import { sendNoContent } from '../http.ts'
import { mailEmailChange } from '../mails.ts'
import { passwordMatches } from '../store.ts'
import type { AuthRecord, Collection } from '../store.ts'
import { findRecordByToken, issueToken, unverifiedClaims } from '../tokens.ts'
import { assertValid, by, email, length, notIn, required } from '../validation.ts'
import { pathCollection, requireSameCollectionAuth } from './common.ts'

const EMAIL_CHANGE_TOKEN_SECONDS = 1800
const SUPERUSERS_CHANGE_DIRECTLY = 'All superusers can change their emails directly.'

export async function requestEmailChange(app: App, ctx: Ctx): Promise<void> {
  const collection = pathCollection(app, ctx)
  const record = requireSameCollectionAuth(ctx, collection)
  if (collection.name === '_superusers') throw badRequest(SUPERUSERS_CHANGE_DIRECTLY)
  const newEmail = bindString(await ctx.body(), 'newEmail')
  assertValid([
    [
      'newEmail',
      newEmail,
      [
        required,
        length(1, 255),
        email,
        notIn(record.email),
        by((value) => {
          const owner = app.store.findByEmail(collection, value)
          return owner !== undefined && owner !== record ? fieldError('validation_invalid_new_email', 'Invalid new email address.') : null
        }),
      ],
    ],
  ])
  mailEmailChange(app, newEmail, issueToken(record, 'emailChange', EMAIL_CHANGE_TOKEN_SECONDS, app.now(), { email: record.email, newEmail }))
  sendNoContent(ctx)
}

export async function confirmEmailChange(app: App, ctx: Ctx): Promise<void> {
  const collection = pathCollection(app, ctx)
  if (collection.name === '_superusers') throw badRequest(SUPERUSERS_CHANGE_DIRECTLY)
  const body = await ctx.body()
  const token = bindString(body, 'token')
  const password = bindString(body, 'password')
  const parsed = parseToken(app, collection, token)
  assertValid([
    ['token', token, [required, by(() => ('error' in parsed ? parsed.error : null))]],
    [
      'password',
      password,
      [
        required,
        length(1, 100),
        by((value) =>
          'record' in parsed && passwordMatches(parsed.record, value) ? null : fieldError('validation_invalid_password', 'Missing or invalid auth record password.'),
        ),
      ],
    ],
  ])
  if (!('record' in parsed)) throw badRequest('Invalid or expired token.')
  app.store.update(parsed.record, { email: parsed.newEmail, verified: true })
  sendNoContent(ctx)
}

function parseToken(app: App, collection: Collection, token: string): { record: AuthRecord; newEmail: string } | { error: FieldError } {
  const newEmail = unverifiedClaims(token).newEmail
  if (typeof newEmail !== 'string' || newEmail === '') {
    return { error: fieldError('validation_invalid_token_payload', 'Invalid token payload - newEmail must be set.') }
  }
  const taken = app.store.findByEmail(collection, newEmail) !== undefined
  if (taken && app.flavor.emailChangeChecksTakenEmailFirst) {
    return { error: fieldError('validation_existing_token_email', `The new email address is already registered: ${newEmail}`) }
  }
  const record = findRecordByToken(app.store, token, 'emailChange', app.now())
  if (record === undefined) return { error: fieldError('validation_invalid_token', 'Invalid or expired token.') }
  if (record.collection !== collection) {
    return { error: fieldError('validation_token_collection_mismatch', 'The provided token is for different auth collection.') }
  }
  if (taken) return { error: fieldError('validation_invalid_token_email', `The new email address is already registered: ${newEmail}`) }
  return { record, newEmail }
}
