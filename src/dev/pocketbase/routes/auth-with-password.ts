/** POST /api/collections/{collection}/auth-with-password (apis/record_auth_with_password.go). */
import type { App } from '../app.ts'
import { respondWithAuth } from '../auth-response.ts'
import { bindString } from '../body.ts'
import { badRequest } from '../errors.ts'
import type { Ctx } from '../http.ts'
import { passwordMatches } from '../store.ts'
import type { AuthRecord, Collection } from '../store.ts'
import { assertValid, isEmailFormat, length, oneOf, required } from '../validation.ts'
import { pathCollectionAllowing } from './common.ts'

export async function authWithPassword(app: App, ctx: Ctx): Promise<void> {
  const collection = pathCollectionAllowing(app, ctx, 'password')
  const body = await ctx.body()
  const identity = bindString(body, 'identity')
  const password = bindString(body, 'password')
  const identityField = bindString(body, 'identityField')
  assertValid([
    ['identity', identity, [required, length(1, 255)]],
    ['password', password, [required, length(1, 255)]],
    ['identityField', identityField, [length(1, 255), oneOf(...collection.password.identityFields)]],
  ])
  const record = findByIdentity(app, collection, identity, identityField)
  if (record === undefined || !passwordMatches(record, password)) throw badRequest('Failed to authenticate.')
  await respondWithAuth(app, ctx, record, 'password')
}

/** The email lookup first when the identity looks like one, then the other identity fields. */
function findByIdentity(app: App, collection: Collection, identity: string, identityField: string): AuthRecord | undefined {
  const byField = (field: string): AuthRecord | undefined =>
    app.store.all(collection).find((record) => (field === 'email' ? record.email : record.username) === identity && identity !== '')
  if (identityField !== '') return byField(identityField)
  const fields = collection.password.identityFields
  const isEmail = isEmailFormat(identity)
  if (isEmail && fields.includes('email')) {
    const found = byField('email')
    if (found !== undefined) return found
  }
  for (const field of fields) {
    if (field === 'email' && !isEmail) continue
    const found = byField(field)
    if (found !== undefined) return found
  }
  return undefined
}
