/**
 * Change email (a code mailed to the new address, the current password required), add / change /
 * reset password. Each of these ends every session of the user and clears the cookie.
 */
import { checkCode, checkMailRate, codeToken, mailSent, resetCode } from '../codes.ts'
import { badRequest, conflict, internal, TeableError } from '../errors.ts'
import { CLEAR_COOKIE, requireSession, stringField } from '../http.ts'
import type { Ctx } from '../http.ts'
import type { TeableState, User } from '../state.ts'
import { checkNewPassword } from './sign-in.ts'
import { route } from './table.ts'

function endAll(state: TeableState, ctx: Ctx, user: User, status: number): void {
  state.clearSessionsOf(user.id)
  ctx.send(status, undefined, { 'set-cookie': CLEAR_COOKIE })
}

export const SECURITY_ROUTES = [
  route('POST', '/api/auth/send-change-email-code', async (state, ctx) => {
    const { user } = requireSession(ctx)
    const body = await ctx.json()
    const email = stringField(body, 'email') ?? ''
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw badRequest('Invalid email')
    // local-auth.service sendChangeEmailCode: the same address exactly, then the password, then taken.
    if (email === user.email) throw new TeableError(409, 'conflict', 'New email is the same as the current email')
    checkMailRate(state, 'send-change-email-code', email)
    if (user.password === null || stringField(body, 'password') !== user.password) {
      throw new TeableError(400, 'invalid_credentials', 'Password is incorrect')
    }
    if (state.findByEmail(email)) throw conflict('New email is already registered')
    const { token, code } = await codeToken(state, { email: user.email, newEmail: email })
    state.mail({ to: email, kind: 'change-email-code', subject: 'Confirm your new Teable email', text: `Your verification code is ${code}.`, code })
    mailSent(state, 'send-change-email-code', email)
    ctx.send(200, { token })
  }),
  route('PATCH', '/api/auth/change-email', async (state, ctx) => {
    const { user } = requireSession(ctx)
    const body = await ctx.json()
    const email = stringField(body, 'email') ?? ''
    const claims = await checkCode(state, stringField(body, 'token') ?? '', stringField(body, 'code') ?? '')
    if (claims.newEmail !== email || claims.email !== user.email) throw badRequest('Verification code is invalid', 'invalid_captcha')
    if (state.findByEmail(email)) throw conflict('This email is already registered')
    // Stored as typed (the server does not lower-case it here).
    user.email = email
    endAll(state, ctx, user, 200)
  }),
  route('POST', '/api/auth/add-password', async (state, ctx) => {
    const { user } = requireSession(ctx)
    const password = checkNewPassword(stringField(await ctx.json(), 'password'))
    if (user.password !== null) throw badRequest('Password is already set')
    user.password = password
    endAll(state, ctx, user, 201)
  }),
  route('PATCH', '/api/auth/change-password', async (state, ctx) => {
    const { user } = requireSession(ctx)
    const body = await ctx.json()
    const newPassword = checkNewPassword(stringField(body, 'newPassword'))
    // An account without a password makes the server throw.
    if (user.password === null) throw internal()
    if (stringField(body, 'password') !== user.password) throw new TeableError(400, 'invalid_credentials', 'Password is incorrect')
    user.password = newPassword
    endAll(state, ctx, user, 200)
  }),
  route('POST', '/api/auth/send-reset-password-email', async (state, ctx) => {
    const email = stringField(await ctx.json(), 'email') ?? ''
    checkMailRate(state, 'send-reset-password-email', email)
    const user = state.findByEmail(email)
    if (user === undefined) throw badRequest(`${email} not registered`)
    const code = resetCode(state, user.id)
    const link = `${state.url}/auth/reset-password?code=${code}`
    state.mail({ to: user.email, kind: 'reset-password', subject: 'Reset your Teable password', text: `Reset your password: ${link}`, code })
    mailSent(state, 'send-reset-password-email', email)
    ctx.send(201)
  }),
  route('POST', '/api/auth/reset-password', async (state, ctx) => {
    const body = await ctx.json()
    const password = checkNewPassword(stringField(body, 'password'))
    const code = stringField(body, 'code') ?? ''
    const entry = state.resetCodes.get(code)
    state.resetCodes.delete(code)
    const user = entry && entry.expiresAt > state.now() ? state.findById(entry.userId) : undefined
    if (user === undefined) throw badRequest('Token is invalid')
    user.password = password
    endAll(state, ctx, user, 201)
  }),
]
