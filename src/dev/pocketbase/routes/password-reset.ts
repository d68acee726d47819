/**
 * POST /request-password-reset and /confirm-password-reset. The request answers 204 whatever the
 * email (no enumeration) and mails at most once per 2 minutes per record; the reset token is a
 * `passwordReset` JWT valid 30 minutes. Confirming sets the password, which rotates the tokenKey.
 */
import { isSuppressed, suppress } from '../app.ts'
import type { App } from '../app.ts'
import { bindString } from '../body.ts'
import { badRequest, fieldError } from '../errors.ts'
import type { Ctx } from '../http.ts'
import { sendNoContent } from '../http.ts'
import { mailPasswordReset } from '../mails.ts'
import type { AuthRecord, Collection } from '../store.ts'
import { findRecordByToken, issueToken, unverifiedClaims } from '../tokens.ts'
import { assertValid, by, email, length, required } from '../validation.ts'
import { pathCollection, pathCollectionAllowing } from './common.ts'

const RESET_TOKEN_SECONDS = 1800
const RESEND_SECONDS = 120
export const PASSWORD_MIN_LENGTH = 8

const resendKey = (record: AuthRecord): string => `@limitPasswordResetEmail_${record.collection.id}${record.id}`

export async function requestPasswordReset(app: App, ctx: Ctx): Promise<void> {
  const collection = pathCollectionAllowing(app, ctx, 'password', badRequest)
  const address = bindString(await ctx.body(), 'email')
  assertValid([['email', address, [required, length(1, 255), email]]])
  const record = app.store.findByEmail(collection, address)
  if (record !== undefined && !isSuppressed(app, resendKey(record))) {
    mailPasswordReset(app, record, issueToken(record, 'passwordReset', RESET_TOKEN_SECONDS, app.now(), { email: record.email }))
    suppress(app, resendKey(record), RESEND_SECONDS)
  }
  sendNoContent(ctx)
}

export async function confirmPasswordReset(app: App, ctx: Ctx): Promise<void> {
  const collection = pathCollection(app, ctx)
  const body = await ctx.body()
  const token = bindString(body, 'token')
  const password = bindString(body, 'password')
  const passwordConfirm = bindString(body, 'passwordConfirm')
  assertValid([
    ['token', token, [required, by((value) => tokenError(app, collection, value))]],
    ['password', password, [required, length(PASSWORD_MIN_LENGTH, 255)]],
    ['passwordConfirm', passwordConfirm, [required, (value) => (value === password ? null : fieldError('validation_values_mismatch', "Values don't match."))]],
  ])
  const record = findRecordByToken(app.store, token, 'passwordReset', app.now())
  if (record === undefined) throw badRequest('Invalid or expired password reset token.')
  const verify = !record.verified && unverifiedClaims(token).email === record.email
  app.store.update(record, { password, ...(verify ? { verified: true } : {}) })
  app.suppressedUntil.delete(resendKey(record))
  sendNoContent(ctx)
}

function tokenError(app: App, collection: Collection, token: string): ReturnType<typeof fieldError> | null {
  const record = findRecordByToken(app.store, token, 'passwordReset', app.now())
  if (record === undefined) return fieldError('validation_invalid_token', 'Invalid or expired token.')
  if (record.collection !== collection) return fieldError('validation_token_collection_mismatch', 'The provided token is for different auth collection.')
  return null
}
