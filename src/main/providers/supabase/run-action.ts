/** Runs a button of one of a Supabase account's forms (see action-forms.ts for the ids). */
import type { Factor, Session as AuthSession, User, UserIdentity } from '@supabase/auth-js'
import type { FormValues } from '../../../shared/contract.ts'
import { AppError } from '../../core/errors.ts'
import type { ActionResult, ProviderAccount, ProviderContext } from '../../core/provider.ts'
import { actionHandler, type ActionTable } from '../action-table.ts'
import { newPassword, required, text } from '../form-values.ts'
import { accountContext, sessionEnded } from './account-client.ts'
import type { AccountContext } from './account-client.ts'
import { enrollmentKey } from './actions.ts'
import { emailChangeHalves, endEnrollment, identityLinks, pendingEnrollment, phoneEnrollments, startEnrollment } from './enrollments.ts'
import { authError } from './errors.ts'
import { openNonceLoopback } from './loopback.ts'
import { oauthOptions, providerDisplayName } from './server-settings.ts'
import { supabaseClient } from './client.ts'
import { checkNewPasswordLength, EMAIL_SHAPE, PHONE_SHAPE } from './sign-in-forms.ts'
import { refreshSupabaseSession, refusalMessage } from './refresh.ts'
import { accessClaims, identityOf, profileOf, sessionOf, signedInOf } from './signed-in.ts'
import { logout, tokenStillValid } from './sign-out.ts'

type Handler = (input: AccountContext, values: FormValues) => Promise<ActionResult>

function fail(input: AccountContext, error: unknown, fields: Readonly<Record<string, string>> = {}): AppError {
  return authError(error, input.settings.host, input.ctx.clock.now(), fields)
}

/** A refusal because the session is gone is news about the account, not a failed action. */
function endedOr(input: AccountContext, error: unknown, fields: Readonly<Record<string, string>> = {}): ActionResult {
  if (sessionEnded(error)) return { message: 'Nothing was changed.', sessionEnded: refusalMessage('session_not_found', input.settings.host) }
  throw fail(input, error, fields)
}

function confirmed(values: FormValues): void {
  if (text(values, 'confirm') !== 'true') throw new AppError('VALIDATION', 'Tick the box to confirm.', { field: 'confirm' })
}

const saveProfile: Handler = async (input, values) => {
  const name = text(values, 'name')
  const avatarUrl = text(values, 'avatarUrl')
  if (avatarUrl !== '' && !/^https?:\/\/\S+$/.test(avatarUrl)) throw new AppError('VALIDATION', 'Enter a full web address (https://…) or leave it empty.', { field: 'avatarUrl' })
  const { data, error } = await input.client.auth.updateUser({ data: { full_name: name, avatar_url: avatarUrl } })
  if (error !== null) return endedOr(input, error)
  return { message: 'Profile saved.', identity: identityOf(data.user), profile: profileOf(data.user, input.account.session.accessToken) }
}

/** GET /reauthenticate: the code goes to the email address, or by text to an account that has only a phone (reauthenticate.go). Returns "emailed to …" / "texted to …". */
const sendReauthCode = async (input: AccountContext): Promise<string> => {
  const { error } = await input.client.auth.reauthenticate()
  if (error !== null) throw fail(input, error)
  const email = input.user.email ?? ''
  return email !== '' ? `emailed to ${email}` : `texted to +${input.user.phone ?? ''}`
}

const changePassword: Handler = async (input, values) => {
  const password = checkNewPasswordLength(newPassword(values))
  const current = text(values, 'currentPassword', { trim: false })
  const nonce = text(values, 'nonce')
  const { error } = await input.client.auth.updateUser({ password, ...(current === '' ? {} : { current_password: current }), ...(nonce === '' ? {} : { nonce }) })
  if (error !== null) {
    const code = (error as { code?: string }).code
    if (code === 'reauthentication_needed') {
      const sent = await sendReauthCode(input)
      throw new AppError('VALIDATION', `${input.settings.host} asks to confirm it is you: a verification code was ${sent}. Enter it and press Change password again.`, { field: 'nonce' })
    }
    return endedOr(input, error, { weak_password: 'password', same_password: 'password', current_password_required: 'currentPassword', current_password_invalid: 'currentPassword', reauthentication_not_valid: 'nonce' })
  }
  input.ctx.logger.info('supabase.action.password-changed', { host: input.settings.host })
  // The server ends every code it sent before the change (models.User.UpdatePassword), a pending change's too.
  emailChangeHalves.end(enrollmentKey(input.settings.authUrl, input.user.id))
  const pending = [input.user.new_email, input.user.new_phone === undefined || input.user.new_phone === '' ? undefined : `+${input.user.new_phone}`].filter((value) => value !== undefined && value !== '')
  const stale = pending.length === 0 ? '' : ` The codes sent earlier for the change to ${pending.join(' and ')} no longer work: send new ones under “Finish the change”.`
  return { message: `Password changed. You are still signed in here; the account’s other sessions were signed out.${stale}` }
}

const sendPasswordCode: Handler = async (input) => ({ message: `A verification code was ${await sendReauthCode(input)}. Enter it with the new password.` })

const changeEmail: Handler = async (input, values) => {
  const email = required(values, 'email', 'Enter the new email address.')
  if (!EMAIL_SHAPE.test(email)) throw new AppError('VALIDATION', 'Enter a valid email address.', { field: 'email' })
  const { data, error } = await input.client.auth.updateUser({ email })
  if (error !== null) return endedOr(input, error, { email_exists: 'email', email_address_invalid: 'email', validation_failed: 'email' })
  // New codes to both addresses: neither has confirmed yet.
  emailChangeHalves.end(enrollmentKey(input.settings.authUrl, input.user.id))
  if (data.user.email === email.toLowerCase()) return { message: `The email address is now ${email}.`, identity: identityOf(data.user), profile: profileOf(data.user, input.account.session.accessToken) }
  const current = input.user.email ?? ''
  return {
    message: current === '' ? `A code was sent to ${email}: enter it under “Finish the change”.` : `Codes were sent to ${email} and, if the project asks both addresses to confirm, to ${current}. Enter them under “Finish the change”.`,
  }
}

/**
 * With secure email change the server takes each code only with its own address, answers the first
 * one accepted with no session, and spends it: Latchkey remembers which address confirmed, asks
 * only for the other code, and lets a spent code typed again pass when the other one finishes.
 */
const confirmEmailChange: Handler = async (input, values) => {
  const pending = input.user.new_email ?? ''
  if (pending === '') throw new AppError('VALIDATION', 'No email change is waiting to be confirmed.')
  const current = input.user.email ?? ''
  const key = enrollmentKey(input.settings.authUrl, input.user.id)
  const now = input.ctx.clock.now()
  const earlier = emailChangeHalves.get(key, now)
  const confirmed = earlier?.address === pending ? earlier.confirmed : null
  const newCode = confirmed === 'new' ? '' : required(values, 'newCode', `Enter the code sent to ${pending}.`)
  const currentCode = confirmed === 'new' ? required(values, 'currentCode', `Enter the code sent to ${current}.`) : confirmed === 'current' ? '' : text(values, 'currentCode')
  const steps = [
    ...(newCode === '' ? [] : [{ half: 'new' as const, email: pending, token: newCode, field: 'newCode' }]),
    ...(currentCode === '' ? [] : [{ half: 'current' as const, email: current, token: currentCode, field: 'currentCode' }]),
  ]
  let session: AuthSession | null = null
  let refused: AppError | null = null
  for (const step of steps) {
    const { data, error } = await input.client.auth.verifyOtp({ email: step.email, token: step.token, type: 'email_change' })
    if (error !== null) {
      refused ??= fail(input, error, { otp_expired: step.field })
      continue
    }
    if (data.session === null) emailChangeHalves.start(key, { address: pending, confirmed: step.half, startedAt: now })
    session = data.session ?? session
  }
  const { data, error } = await input.client.auth.getUser()
  if (error !== null) return endedOr(input, error)
  if (data.user.new_email) {
    if (refused !== null) throw refused
    const accepted = emailChangeHalves.get(key, now)?.confirmed === 'current' ? { done: current, other: pending } : { done: pending, other: current }
    return { message: `The code sent to ${accepted.done} is accepted. ${input.settings.host} also asks for the code sent to ${accepted.other}.` }
  }
  emailChangeHalves.end(key)
  return { message: `The email address is now ${data.user.email ?? pending}.`, identity: identityOf(data.user), ...(await keepThisSession(input, session, data.user)) }
}

/**
 * A confirmed email or phone change also signs in a new session of the account (verify.go issues
 * one for every type), at aal1 whatever this one was. This session stays (with its second factor,
 * if it had one); that one ends; and this one is renewed so its token carries the new address.
 */
async function keepThisSession(input: AccountContext, extra: AuthSession | null, user: User): Promise<Pick<ActionResult, 'session' | 'profile'>> {
  const now = input.ctx.clock.now()
  if (extra !== null) await logout(input.settings, sessionOf(extra, now), 'local')
  try {
    const renewed = await refreshSupabaseSession(input.settings, input.account.session, input.ctx)
    return { session: renewed.session, profile: profileOf(user, renewed.session.accessToken) }
  } catch {
    // Renewal can wait for the next scheduled one; the change itself is done.
    return { profile: profileOf(user, input.account.session.accessToken) }
  }
}

const resendEmailChange: Handler = async (input) => {
  const pending = input.user.new_email ?? ''
  if (pending === '') throw new AppError('VALIDATION', 'No email change is waiting to be confirmed.')
  const current = input.user.email ?? ''
  const { error } = current === '' ? await input.client.auth.updateUser({ email: pending }) : await input.client.auth.resend({ type: 'email_change', email: current })
  if (error !== null) return endedOr(input, error)
  emailChangeHalves.end(enrollmentKey(input.settings.authUrl, input.user.id))
  return { message: current === '' ? `A new code was sent to ${pending}.` : `New codes were sent to ${pending} and, if the project asks both addresses to confirm, to ${current}.` }
}

const changePhone: Handler = async (input, values) => {
  const phone = required(values, 'phone', 'Enter the new phone number, starting with +.').replace(/[\s().-]/g, '')
  if (!PHONE_SHAPE.test(phone)) throw new AppError('VALIDATION', 'Enter the phone number with its country code, starting with +.', { field: 'phone' })
  const { error } = await input.client.auth.updateUser({ phone })
  if (error !== null) return endedOr(input, error, { phone_exists: 'phone', validation_failed: 'phone' })
  return { message: `A code was texted to ${phone}: enter it under “Finish the change”.` }
}

/** A new code to the pending number: /resend finds the account by the number it has now; an account without one asks for the change again. */
const resendPhoneChange: Handler = async (input) => {
  const pending = input.user.new_phone ?? ''
  if (pending === '') throw new AppError('VALIDATION', 'No phone number change is waiting to be confirmed.')
  const current = input.user.phone ?? ''
  const { error } = current === '' ? await input.client.auth.updateUser({ phone: `+${pending}` }) : await input.client.auth.resend({ type: 'phone_change', phone: `+${current}` })
  if (error !== null) return endedOr(input, error)
  return { message: `A new code was texted to +${pending}.` }
}

const confirmPhoneChange: Handler = async (input, values) => {
  const code = required(values, 'code', 'Enter the code from the text message.')
  const { data: fresh } = await input.client.auth.getUser()
  const pending = fresh.user?.new_phone ?? input.user.new_phone ?? ''
  const { data, error } = await input.client.auth.verifyOtp({ phone: pending, token: code, type: 'phone_change' })
  if (error !== null) throw fail(input, error, { otp_expired: 'code' })
  const user = data.user ?? fresh.user ?? input.user
  return { message: `The phone number is now +${pending}.`, identity: identityOf(user), ...(await keepThisSession(input, data.session, user)) }
}

/**
 * Factor names must be unique per user, the empty name included (validateFactors in mfa.go), and
 * a setup left unfinished keeps its name for five minutes: a factor the person did not name gets
 * the first free "Authenticator N".
 */
function factorName(input: AccountContext, typed: string): string {
  if (typed !== '') return typed
  const taken = new Set((input.user.factors ?? []).map((factor: Factor) => factor.friendly_name ?? ''))
  let number = 1
  while (taken.has(`Authenticator ${String(number)}`)) number += 1
  return `Authenticator ${String(number)}`
}

const startMfa: Handler = async (input, values) => {
  if (accessClaims(input.account.session.accessToken).isAnonymous) throw new AppError('VALIDATION', 'An anonymous account cannot have an authenticator. Keep the account first: add an email address.')
  const { data, error } = await input.client.auth.mfa.enroll({ factorType: 'totp', friendlyName: factorName(input, text(values, 'name')), issuer: 'Latchkey' })
  if (error !== null) return endedOr(input, error, { mfa_factor_name_conflict: 'name' })
  startEnrollment(enrollmentKey(input.settings.authUrl, input.user.id), { factorId: data.id, uri: data.totp.uri, secret: data.totp.secret, startedAt: input.ctx.clock.now() })
  return { message: 'Scan the QR code with your authenticator app, then enter its code under “Finish setting up”.' }
}

/** A verified factor ends every session of the person still at aal1 (InvalidateSessionsWithAALLessThan in mfa.go). */
const OTHERS_ENDED = ' Your other sessions that had not used a second factor were signed out.'

const verifyMfa: Handler = async (input, values) => {
  const key = enrollmentKey(input.settings.authUrl, input.user.id)
  const enrolling = pendingEnrollment(key, input.ctx.clock.now())
  if (enrolling === null) throw new AppError('VALIDATION', 'The setup expired. Start it again.')
  const code = text(values, 'code')
  if (!/^\d{6}$/.test(code)) throw new AppError('VALIDATION', 'Enter the 6-digit code from your authenticator app.', { field: 'code' })
  const { error } = await input.client.auth.mfa.challengeAndVerify({ factorId: enrolling.factorId, code })
  const saved = input.client.savedSession()
  if (error !== null || saved === null) return endedOr(input, error, { mfa_verification_failed: 'code', mfa_challenge_expired: 'code' })
  endEnrollment(key)
  const signedIn = signedInOf(saved, input.ctx.clock.now())
  input.ctx.logger.info('supabase.action.mfa-enrolled', { host: input.settings.host })
  return { message: `The authenticator is on: signing in now also asks for its code. This session is now aal2.${OTHERS_ENDED}`, session: signedIn.session, profile: signedIn.profile }
}

const cancelMfa: Handler = async (input) => {
  const key = enrollmentKey(input.settings.authUrl, input.user.id)
  const enrolling = pendingEnrollment(key, input.ctx.clock.now())
  endEnrollment(key)
  if (enrolling !== null) await input.client.auth.mfa.unenroll({ factorId: enrolling.factorId })
  return { message: 'The authenticator setup was cancelled.' }
}

const startPhoneMfa: Handler = async (input, values) => {
  if (accessClaims(input.account.session.accessToken).isAnonymous) throw new AppError('VALIDATION', 'An anonymous account cannot have a second factor. Keep the account first: add an email address.')
  const phone = required(values, 'phone', 'Enter the phone number, starting with +.').replace(/[\s().-]/g, '')
  if (!PHONE_SHAPE.test(phone)) throw new AppError('VALIDATION', 'Enter the phone number with its country code, starting with +.', { field: 'phone' })
  const shown = `+${phone.replace(/^\+/, '')}`
  const taken = new Set((input.user.factors ?? []).map((factor: Factor) => factor.friendly_name ?? ''))
  const { data, error } = await input.client.auth.mfa.enroll({ factorType: 'phone', phone: shown, friendlyName: taken.has(`Phone ${shown}`) ? `Phone ${shown} (${String(taken.size + 1)})` : `Phone ${shown}` })
  if (error !== null) return endedOr(input, error, { validation_failed: 'phone', mfa_verified_factor_exists: 'phone', mfa_phone_enroll_not_enabled: 'phone' })
  const challenged = await input.client.auth.mfa.challenge({ factorId: data.id, channel: 'sms' })
  if (challenged.error !== null) {
    await input.client.auth.mfa.unenroll({ factorId: data.id })
    return endedOr(input, challenged.error)
  }
  phoneEnrollments.start(enrollmentKey(input.settings.authUrl, input.user.id), { factorId: data.id, challengeId: challenged.data.id, phone: shown, startedAt: input.ctx.clock.now() })
  return { message: `A code was texted to ${shown}: enter it under “Finish adding ${shown} as a second factor”.` }
}

const verifyPhoneMfa: Handler = async (input, values) => {
  const key = enrollmentKey(input.settings.authUrl, input.user.id)
  const enrolling = phoneEnrollments.get(key, input.ctx.clock.now())
  if (enrolling === null) throw new AppError('VALIDATION', 'Adding the phone expired. Start it again.')
  const code = text(values, 'code')
  if (!/^\d{6,10}$/.test(code)) throw new AppError('VALIDATION', 'Enter the code from the text message (digits only).', { field: 'code' })
  const { error } = await input.client.auth.mfa.verify({ factorId: enrolling.factorId, challengeId: enrolling.challengeId, code })
  const saved = input.client.savedSession()
  if (error !== null || saved === null) return endedOr(input, error, { mfa_verification_failed: 'code', mfa_challenge_expired: 'code' })
  phoneEnrollments.end(key)
  const signedIn = signedInOf(saved, input.ctx.clock.now())
  input.ctx.logger.info('supabase.action.mfa-enrolled', { host: input.settings.host, kind: 'phone' })
  return { message: `${enrolling.phone} is a second factor now: signing in also asks for a code texted to it. This session is now aal2.${OTHERS_ENDED}`, session: signedIn.session, profile: signedIn.profile }
}

const cancelPhoneMfa: Handler = async (input) => {
  const key = enrollmentKey(input.settings.authUrl, input.user.id)
  const enrolling = phoneEnrollments.get(key, input.ctx.clock.now())
  phoneEnrollments.end(key)
  if (enrolling !== null) await input.client.auth.mfa.unenroll({ factorId: enrolling.factorId })
  return { message: 'Adding the phone was cancelled.' }
}

const removeFactor: Handler = async (input, values) => {
  const factorId = required(values, 'factor', 'Choose the authenticator to remove.')
  const { error } = await input.client.auth.mfa.unenroll({ factorId })
  if (error !== null) return endedOr(input, error, { mfa_factor_not_found: 'factor' })
  return { message: 'The second factor was removed.' }
}

const unlinkIdentity: Handler = async (input, values) => {
  const id = required(values, 'identity', 'Choose the sign-in method to unlink.')
  const identity = (input.user.identities ?? []).find((candidate: UserIdentity) => candidate.identity_id === id)
  if (identity === undefined) throw new AppError('VALIDATION', 'That sign-in method is no longer linked.', { field: 'identity' })
  const { error } = await input.client.auth.unlinkIdentity(identity)
  if (error !== null) return endedOr(input, error, { single_identity_not_deletable: 'identity', email_conflict_identity_not_deletable: 'identity', manual_linking_disabled: 'identity' })
  return { message: `${identity.provider} sign-in was unlinked.` }
}

/** How long linking may wait for the browser to come back: as long as GoTrue keeps the flow state. */
const LINK_TIMEOUT_MS = 300_000

const startLink: Handler = async (input, values) => {
  const provider = required(values, 'provider', 'Choose the service to link.')
  const key = enrollmentKey(input.settings.authUrl, input.user.id)
  const loopback = await openNonceLoopback(LINK_TIMEOUT_MS, input.ctx)
  const { data, error } = await input.client.auth.linkIdentity({ provider: provider as 'keycloak', options: { redirectTo: loopback.redirectUri, skipBrowserRedirect: true, ...oauthOptions(provider) } })
  if (error !== null) {
    loopback.close()
    return endedOr(input, error, { manual_linking_disabled: 'provider', validation_failed: 'provider' })
  }
  identityLinks.start(key, { provider, loopback, client: input.client, startedAt: input.ctx.clock.now() })
  input.ctx.logger.info('supabase.action.link-started', { host: input.settings.host, provider })
  const name = providerDisplayName(provider)
  return { message: `Sign in with ${name} in the browser that opened, then press “Finish linking”.`, openInBrowser: data.url }
}

const finishLink: Handler = async (input) => {
  const key = enrollmentKey(input.settings.authUrl, input.user.id)
  const link = identityLinks.get(key, input.ctx.clock.now())
  if (link === null) throw new AppError('VALIDATION', 'The linking expired. Start it again.')
  const name = providerDisplayName(link.provider)
  const arrived = await Promise.race([link.loopback.code().then((code) => ({ code }), (error: unknown) => ({ error })), new Promise<null>((resolve) => setImmediate(() => resolve(null)))])
  if (arrived === null) throw new AppError('VALIDATION', `Finish signing in with ${name} in the browser first.`)
  identityLinks.end(key)
  if ('error' in arrived) throw arrived.error
  const { data, error } = await link.client.auth.exchangeCodeForSession(arrived.code)
  if (error !== null) throw fail(input, error)
  // The exchange also signed in a new session of this account; this one stays in use, that one ends.
  const extra = supabaseClient(input.settings, { key: `${key}#link`, session: signedInOf(data.session, input.ctx.clock.now()).session })
  await extra.auth.signOut({ scope: 'local' }).catch(() => undefined)
  const { data: fresh } = await input.client.auth.getUser()
  const user = fresh.user ?? data.session.user
  input.ctx.logger.info('supabase.action.linked', { host: input.settings.host, provider: link.provider })
  return { message: `${name} sign-in is linked: you can sign in with it too.`, identity: identityOf(user), profile: profileOf(user, input.account.session.accessToken) }
}

const cancelLink: Handler = (input) => {
  identityLinks.end(enrollmentKey(input.settings.authUrl, input.user.id))
  return Promise.resolve({ message: 'Linking was cancelled.' })
}

const signOutOthers: Handler = async (input, values) => {
  confirmed(values)
  const outcome = await logout(input.settings, input.account.session, 'others')
  if (outcome === 'unreachable') throw new AppError('NETWORK', `Could not reach ${input.settings.host}. Nothing was signed out.`)
  if (outcome !== 'revoked') return { message: 'Nothing was changed.', sessionEnded: refusalMessage('session_not_found', input.settings.host) }
  input.ctx.logger.info('supabase.signout', { host: input.settings.host, scope: 'others', outcome })
  return { message: `Your other sessions on ${input.settings.host} were ended; this one stays signed in. Access tokens they already hold stay valid until they expire (at most the project’s token lifetime).` }
}

const signOutEverywhere: Handler = async (input, values) => {
  confirmed(values)
  const outcome = await logout(input.settings, input.account.session, 'global')
  if (outcome === 'unreachable') throw new AppError('NETWORK', `Could not reach ${input.settings.host}. Nothing was signed out.`)
  input.ctx.logger.info('supabase.signout', { host: input.settings.host, scope: 'global', outcome })
  const still = tokenStillValid(input.account.session, input.ctx.clock.now())
  return { message: `Signed out everywhere on ${input.settings.host}.${still}`, sessionEnded: `You signed out of every session on ${input.settings.host}. Sign in again to use this account.` }
}

const HANDLERS: ActionTable<Handler> = {
  profile: { save: saveProfile },
  'change-password': { change: changePassword, 'send-code': sendPasswordCode },
  'change-email': { send: changeEmail },
  upgrade: { send: changeEmail },
  'confirm-email-change': { confirm: confirmEmailChange, resend: resendEmailChange },
  'change-phone': { send: changePhone },
  'confirm-phone-change': { confirm: confirmPhoneChange, resend: resendPhoneChange },
  'mfa-enroll': { start: startMfa },
  'mfa-verify': { verify: verifyMfa, cancel: cancelMfa },
  'mfa-phone-enroll': { start: startPhoneMfa },
  'mfa-phone-verify': { verify: verifyPhoneMfa, cancel: cancelPhoneMfa },
  'mfa-factors': { remove: removeFactor },
  identities: { unlink: unlinkIdentity },
  'link-identity': { start: startLink },
  'finish-link': { finish: finishLink, cancel: cancelLink },
  'sign-out-others': { others: signOutOthers },
  'sign-out-everywhere': { global: signOutEverywhere },
}

export async function runSupabaseAction(account: ProviderAccount, form: string, action: string, values: FormValues, ctx: ProviderContext): Promise<ActionResult> {
  const handler = actionHandler(HANDLERS, form, action)
  let input: AccountContext
  try {
    input = await accountContext(account, ctx)
  } catch (error) {
    if (error instanceof AppError && error.code === 'REFRESH_REJECTED') return { message: 'Nothing was changed.', sessionEnded: error.message }
    throw error
  }
  const handled = await handler(input, values)
  // A session renewed to run the action is the account's now (unless the action ended or replaced it).
  const result = input.renewed !== null && handled.session === undefined && handled.sessionEnded === undefined ? { ...handled, session: input.renewed } : handled
  ctx.logger.info('supabase.action.done', { host: input.settings.host, form, action, sessionEnded: result.sessionEnded !== undefined, newSession: result.session !== undefined })
  return result
}
