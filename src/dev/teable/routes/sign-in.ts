/**
 * Sign-in, sign-up (with the emailed verification code), who am I, and sign-out, as Teable's
 * local-auth controller and strategies answer them (see providers.md §1 and §9b).
 */
import { checkCode, checkMailRate, codeToken, mailSent } from '../codes.ts'
import { badRequest, conflict, TeableError, unauthorized } from '../errors.ts'
import { CLEAR_COOKIE, requireSession, sessionCookie, setCookie, stringField } from '../http.ts'
import type { Ctx } from '../http.ts'
import type { TeableState, User } from '../state.ts'
import { ANONYMOUS_USER, userMe } from '../user-vo.ts'
import { route } from './table.ts'

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
/** The sign-up rule: at least 8 characters, a letter and a digit. */
export const PASSWORD_RULE = /^(?=.*[A-Za-z])(?=.*\d).{8,}$/

export function checkNewPassword(password: string | undefined): string {
  if (password === undefined || !PASSWORD_RULE.test(password)) {
    throw badRequest('Password must be at least 8 characters and contain at least one letter and one number')
  }
  return password
}

/** Sign-in, sign-up and exchange replace the session: one sent with them is destroyed first. */
export function startSession(state: TeableState, ctx: Ctx, user: User, status: number): void {
  const sent = sessionCookie(ctx.req.headers.cookie)
  if (sent !== '') {
    const old = state.sessionOf(sent)
    if (old) state.sessions.delete(old.sid)
  }
  const cookie = state.newSession(user.id)
  ctx.send(status, userMe(state, user), { 'set-cookie': setCookie(cookie, state) })
}

function signIn(state: TeableState, ctx: Ctx, body: Record<string, unknown>): void {
  const rawEmail = stringField(body, 'email')
  const password = stringField(body, 'password')
  // passport-local: a missing field never reaches the strategy.
  if (rawEmail === undefined || password === undefined || rawEmail === '' || password === '') throw unauthorized()
  // Turnstile on: Latchkey (like any client but the server's page) has no token to send, and the
  // strategy turns the missing token into the same "Email or password is incorrect".
  const human = state.options.turnstileSiteKey === undefined
  const user = human && EMAIL.test(rawEmail) && password.length >= 8 ? state.findByEmail(rawEmail) : undefined
  if (user !== undefined && user.password !== null && user.password === password) {
    // local.strategy checks the lockout only when the password is wrong: the right one still signs in.
    startSession(state, ctx, user, 200)
    return
  }
  const lockout = state.options.lockout
  if (!lockout) throw new TeableError(400, 'invalid_credentials', 'Email or password is incorrect')
  // Keyed on the address as sent; the lockout comes with the failure after maxAttempts of them.
  const locked = state.lockedUntil.get(rawEmail)
  if (locked !== undefined && locked > state.now()) throw lockedOut(lockout.minutes)
  const failed = state.failures.get(rawEmail)
  const count = failed !== undefined && failed.expiresAt > state.now() ? failed.count : 0
  if (count >= lockout.maxAttempts) {
    state.failures.delete(rawEmail)
    // The server's cache TTL takes the minutes as seconds (a Teable bug kept here).
    state.lockedUntil.set(rawEmail, state.now() + lockout.minutes * 1000)
    throw lockedOut(lockout.minutes)
  }
  state.failures.set(rawEmail, { count: count + 1, expiresAt: state.now() + 30_000 })
  throw new TeableError(400, 'invalid_credentials', 'Email or password is incorrect', { attempts: count + 1 })
}

function lockedOut(minutes: number): TeableError {
  return new TeableError(429, 'too_many_requests', `Your account has been locked out, please try again after ${String(minutes)} minutes`, { minutes })
}

/** The rate is checked before the address is looked up; a registered one is a 409. */
async function sendSignupCode(state: TeableState, email: string): Promise<{ token: string; expiresTime: string }> {
  checkMailRate(state, 'signup-verification', email)
  if (state.findByEmail(email)) throw conflict(`User ${email.toLowerCase()} is already registered`)
  const { token, code, expiresTime } = await codeToken(state, { email })
  state.mail({ to: email, kind: 'signup-code', subject: 'Your Teable sign-up code', text: `Your verification code is ${code}. It is valid for 30 minutes.`, code })
  mailSent(state, 'signup-verification', email)
  return { token, expiresTime }
}

/**
 * validateTurnstileIfEnabled, first thing in sign-up and in sending a sign-up code. Only the
 * server's page can get a token Cloudflare accepts: any other is refused.
 */
function requireTurnstile(state: TeableState, body: Record<string, unknown>): void {
  if (state.options.turnstileSiteKey === undefined) return
  if (stringField(body, 'turnstileToken') === undefined) throw badRequest('Turnstile token is required')
  throw badRequest('Verification failed. Please refresh and try again.')
}

async function signUp(state: TeableState, ctx: Ctx): Promise<void> {
  const body = await ctx.json()
  requireTurnstile(state, body)
  const email = stringField(body, 'email')
  if (email === undefined || !EMAIL.test(email)) throw badRequest('Invalid email')
  const password = checkNewPassword(stringField(body, 'password'))
  // The sign-up schema lower-cases the address (signinSchema's email is .toLowerCase()).
  const lower = email.toLowerCase()
  const verification = body.verification as { code?: unknown; token?: unknown } | undefined
  if (state.options.emailVerification !== false) {
    if (verification === undefined) {
      const sent = await sendSignupCode(state, lower)
      throw new TeableError(422, 'unprocessable_entity', 'Verification is required', sent)
    }
    const claims = await checkCode(state, typeof verification.token === 'string' ? verification.token : '', typeof verification.code === 'string' ? verification.code : '')
    // verifySignup compares the code's address with the lower-cased one exactly: a code asked for with
    // send-signup-verification-code (which keeps the case as typed) for "Ada@…" never signs up "ada@…".
    if (claims.email !== lower) throw badRequest('Verification code is invalid', 'invalid_captcha')
  }
  // local-auth.service signup: the code first (verifySignup), then whether the address is taken.
  if (state.findByEmail(lower)) throw conflict(`User ${lower} is already registered`)
  const name = stringField(body, 'defaultSpaceName')
  const user = state.addUser(lower, password)
  if (name !== undefined && name !== '') {
    const space = state.spaces.get(user.spaceIds[0] ?? '')
    if (space) space.name = name
  }
  startSession(state, ctx, user, 201)
}

export const SIGN_IN_ROUTES = [
  route('POST', '/api/auth/signin', async (state, ctx) => signIn(state, ctx, await ctx.json())),
  route('POST', '/api/auth/signup', signUp),
  route('POST', '/api/auth/send-signup-verification-code', async (state, ctx) => {
    // This schema does not lower-case the address: the code's token carries it as typed.
    const body = await ctx.json()
    requireTurnstile(state, body)
    const email = stringField(body, 'email')
    if (email === undefined || !EMAIL.test(email)) throw badRequest('Invalid email')
    ctx.send(200, await sendSignupCode(state, email))
  }),
  route('GET', '/api/auth/user/me', (state, ctx) => {
    if (ctx.caller.kind === 'session') return ctx.send(200, userMe(state, ctx.caller.user))
    if (ctx.caller.kind === 'token') throw new TeableError(403, 'restricted_resource', 'Forbidden resource')
    if (state.options.unknownSession === '401') throw unauthorized()
    ctx.send(200, ANONYMOUS_USER)
  }),
  route('GET', '/api/auth/user', (state, ctx) => {
    if (ctx.caller.kind === 'anonymous') throw unauthorized()
    const { user } = ctx.caller
    const email = ctx.caller.kind === 'session' || ctx.caller.token.scopes.includes('user|email_read')
    const avatar = userMe(state, user).avatar
    ctx.send(200, { id: user.id, name: user.name, avatar, ...(email ? { email: user.email } : {}) })
  }),
  route('POST', '/api/auth/signout', (state, ctx) => {
    const { session } = requireSession(ctx)
    state.sessions.delete(session.sid)
    ctx.send(200, undefined, { 'set-cookie': CLEAR_COOKIE })
  }),
]
