/**
 * POST /request-otp and /auth-with-otp (apis/record_auth_otp_request.go, record_auth_with_otp.go).
 * An unknown email still gets an otpId (a random one). The per-record-and-IP limiter (5 tries per
 * 180 s) is checked before the code is compared, so once it trips even the right code gets 429.
 */
import type { App } from '../app.ts'
import { respondWithAuth } from '../auth-response.ts'
import { bindString } from '../body.ts'
import { badRequest, tooManyRequests } from '../errors.ts'
import type { Ctx } from '../http.ts'
import { sendJson } from '../http.ts'
import { mailOtp } from '../mails.ts'
import { isExpired, otpMatches } from '../otp.ts'
import { randomDigits } from '../random.ts'
import { assertValid, email, length, required } from '../validation.ts'
import { pathCollectionAllowing } from './common.ts'

const OTP_LIMIT = { max: 5, intervalSeconds: 180 }
const INVALID_OTP = 'Invalid or expired OTP.'

export async function requestOtp(app: App, ctx: Ctx): Promise<void> {
  const collection = pathCollectionAllowing(app, ctx, 'otp')
  const address = bindString(await ctx.body(), 'email')
  assertValid([['email', address, [required, length(1, 255), email]]])
  const record = app.store.findByEmail(collection, address)
  if (record === undefined) {
    sendJson(ctx, 200, { otpId: app.ids.next() })
    return
  }
  let otp = app.otps.reusable(record, app.now())
  if (otp === undefined) {
    const code = randomDigits(collection.otp.length)
    otp = app.otps.create(record, code, record.email, app.now())
    mailOtp(app, record, code)
  }
  sendJson(ctx, 200, { otpId: otp.id })
}

export async function authWithOtp(app: App, ctx: Ctx): Promise<void> {
  const collection = pathCollectionAllowing(app, ctx, 'otp')
  const body = await ctx.body()
  const otpId = bindString(body, 'otpId')
  const password = bindString(body, 'password')
  assertValid([
    ['otpId', otpId, [required, length(1, 255)]],
    ['password', password, [required, length(1, 71)]],
  ])
  const otp = app.otps.find(otpId)
  if (otp === undefined || otp.collectionId !== collection.id || isExpired(otp.created, collection.otp.durationSeconds, app.now())) {
    throw badRequest(INVALID_OTP)
  }
  const record = app.store.find(collection, otp.recordId)
  if (record === undefined) throw badRequest(INVALID_OTP)
  if (!app.limiter.allow(`@pb_otp_${record.id}|${ctx.ip}`, OTP_LIMIT.max, OTP_LIMIT.intervalSeconds)) {
    throw tooManyRequests('Too many attempts, please try again later with a new OTP.')
  }
  if (!otpMatches(otp, password)) throw badRequest(INVALID_OTP)

  // The code proves the mailbox: verify the email it was sent to (before the MFA step, as PocketBase does).
  if (!record.verified && otp.sentTo !== '' && otp.sentTo === record.email) {
    app.store.update(record, { verified: true })
    // PocketBase, not BosBase: an account someone pre-registered with this address loses the password they set.
    const mfaApplies = collection.mfa.enabled && record.wantsMfa
    if (app.flavor.otpVerifySetsRandomPassword && !mfaApplies) app.store.setRandomPassword(record)
  }
  app.otps.delete(otp.id)
  await respondWithAuth(app, ctx, record, 'otp')
}
