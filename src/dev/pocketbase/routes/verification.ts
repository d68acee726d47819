/**
 * POST /request-verification and /confirm-verification. Superusers are always verified (400). The
 * request answers 204 whatever the email and mails an unverified record at most once per 2 minutes.
 */
import { isSuppressed, suppress } from '../app.ts'
import type { App } from '../app.ts'
import { bindString } from '../body.ts'
import { badRequest, fieldError } from '../errors.ts'
import type { FieldError } from '../errors.ts'
import type { Ctx } from '../http.ts'
import { sendNoContent } from '../http.ts'
import { mailVerification } from '../mails.ts'
import type { AuthRecord, Collection } from '../store.ts'
import { findRecordByToken, issueToken, unverifiedClaims } from '../tokens.ts'
import { assertValid, by, email, length, required } from '../validation.ts'
import { pathCollection } from './common.ts'

const RESEND_SECONDS = 120

const resendKey = (record: AuthRecord): string => `@limitVerificationEmail_${record.collection.id}${record.id}`

function verifiableCollection(app: App, ctx: Ctx): Collection {
  const collection = pathCollection(app, ctx)
  if (collection.name === '_superusers') throw badRequest('All superusers are verified by default.')
  return collection
}

export async function requestVerification(app: App, ctx: Ctx): Promise<void> {
  const collection = verifiableCollection(app, ctx)
  const address = bindString(await ctx.body(), 'email')
  assertValid([['email', address, [required, length(1, 255), email]]])
  const record = app.store.findByEmail(collection, address)
  if (record !== undefined && !record.verified && !isSuppressed(app, resendKey(record))) {
    mailVerification(app, record, issueToken(record, 'verification', app.flavor.verificationTokenSeconds, app.now(), { email: record.email }))
    suppress(app, resendKey(record), RESEND_SECONDS)
  }
  sendNoContent(ctx)
}

export async function confirmVerification(app: App, ctx: Ctx): Promise<void> {
  const collection = verifiableCollection(app, ctx)
  const token = bindString(await ctx.body(), 'token')
  assertValid([['token', token, [required, by((value) => tokenError(app, collection, value))]]])
  const record = findRecordByToken(app.store, token, 'verification', app.now())
  if (record === undefined) throw badRequest('Invalid or expired verification token.')
  if (!record.verified) {
    app.store.update(record, { verified: true })
    if (app.flavor.verificationSetsRandomPasswordWithoutPasswordAuth && !collection.password.enabled) app.store.setRandomPassword(record)
    app.suppressedUntil.delete(resendKey(record))
  }
  sendNoContent(ctx)
}

function tokenError(app: App, collection: Collection, token: string): FieldError | null {
  const claimed = unverifiedClaims(token).email
  if (typeof claimed !== 'string' || claimed === '') return fieldError('validation_invalid_token_claims', 'Missing email token claim.')
  const record = findRecordByToken(app.store, token, 'verification', app.now())
  if (record === undefined) return fieldError('validation_invalid_token', 'Invalid or expired token.')
  if (record.collection !== collection) return fieldError('validation_token_collection_mismatch', 'The provided token is for different auth collection.')
  if (record.email !== claimed) return fieldError('validation_token_email_mismatch', "The record email doesn't match with the requested token claims.")
  return null
}
