/**
 * The REST endpoints of the app host. v2 answers HTTP 200 with `{code, message, data}`, code 200
 * meaning success (authing-js-sdk HttpClient: `if (code !== 200) throw`). v3 answers
 * `{statusCode, message, apiCode?, requestId, data}`.
 */
import { randomUUID } from 'node:crypto'
import * as OTPAuth from 'otpauth'
import type { App } from './app.ts'
import { AuthingError, E } from './errors.ts'

export interface RestRequest {
  method: string
  path: string
  query: URLSearchParams
  token: string
  body: Record<string, unknown>
}

export interface RestAnswer {
  status: number
  body: unknown
}

type Handler = (app: App, request: RestRequest) => Promise<unknown>

function str(value: unknown): string {
  return typeof value === 'string' ? value : ''
}

const V2: Record<string, Handler> = {
  'GET /api/v2/.well-known': (app) => Promise.resolve({ publicKey: app.passwordKey.publicKeyPem }),
  'POST /api/v2/sms/send': (app, request) => {
    const phone = str(request.body.phone).trim()
    if (!/^\+?\d{5,20}$/.test(phone)) return Promise.reject(new AuthingError(2028, '请提供正确的手机号'))
    app.outbox.send('sms', phone, str(request.body.scene) || 'sms')
    return Promise.resolve(undefined)
  },
  // authing-js-sdk 4.23: loginByEmailCode / registerByEmailCode (codes sent by sendEmail LOGIN_ / REGISTER_VERIFY_CODE).
  'POST /api/v2/login/email-code': async (app, request) => {
    if (!app.methods.verifyCodeMethods.includes('email-code')) throw E.forbidden()
    const email = str(request.body.email).trim().toLowerCase()
    const user = app.store.byEmail(email)
    if (user === undefined) throw E.userNotFound()
    app.outbox.check('email', email, str(request.body.code))
    return app.loggedIn(user)
  },
  'POST /api/v2/register/email-code': async (app, request) => {
    if (!app.methods.registerMethods.includes('email')) throw E.registerDisabled()
    const email = str(request.body.email).trim().toLowerCase()
    if (app.store.byEmail(email) !== undefined) throw E.userExists()
    app.outbox.check('email', email, str(request.body.code))
    const user = app.store.create({ email })
    user.emailVerified = true
    return request.body.generateToken === true || request.body.forceLogin === true ? app.withToken(user) : app.view(user)
  },
  'GET /api/v2/users/me': async (app, request) => (await app.session(request.token)).view(),
  'GET /api/v2/logout': async (app, request) => {
    const check = await app.tokens.check(request.token, app.store)
    if (check.status !== 'valid') throw E.notLoggedIn()
    app.tokens.logout(check.jti)
    return undefined
  },
  'POST /api/v2/mfa/totp/verify': (app, request) => app.verifyTotp(request.token, str(request.body.totp)),
  'POST /api/v2/mfa/totp/recovery': (app, request) => app.verifyRecoveryCode(request.token, str(request.body.recoveryCode)),
  // The app's second step (1636), as Guard verifies it.
  'POST /api/v2/applications/mfa/totp/verify': (app, request) => app.verifyTotp(request.token, str(request.body.totp)),
  'POST /api/v2/applications/mfa/sms/verify': (app, request) => app.verifyAppMfaCode(request.token, 'sms', str(request.body.phone), str(request.body.code)),
  'POST /api/v2/applications/mfa/email/verify': (app, request) => app.verifyAppMfaCode(request.token, 'email', str(request.body.email), str(request.body.code)),
  'GET /api/v2/mfa/authenticator': async (app, request) => {
    const user = await app.authed(request.token)
    if (user.totpSecret === null) return []
    return [{ id: `totp-${user.id}`, createdAt: user.createdAt, updatedAt: user.updatedAt, userId: user.id, enable: true, secret: '', authenticatorType: 'totp', recoveryCode: '' }]
  },
  'POST /api/v2/mfa/totp/associate': async (app, request) => {
    const user = await app.authed(request.token)
    const secret = new OTPAuth.Secret({ size: 20 }).base32
    user.pendingTotpSecret = secret
    user.pendingRecoveryCode = randomUUID()
    return { authenticator_type: 'totp', secret, qrcode_uri: app.totpUri(user, secret), qrcode_data_url: '', recovery_code: user.pendingRecoveryCode }
  },
  'POST /api/v2/mfa/totp/associate/confirm': async (app, request) => {
    const user = await app.authed(request.token)
    if (user.pendingTotpSecret === null) throw E.missingParams()
    if (!app.totpMatches(user.pendingTotpSecret, str(request.body.totp))) throw E.wrongTotp()
    user.totpSecret = user.pendingTotpSecret
    user.totpRecoveryCode = user.pendingRecoveryCode
    user.pendingTotpSecret = null
    user.pendingRecoveryCode = null
    return undefined
  },
  'DELETE /api/v2/mfa/totp/associate': async (app, request) => {
    const user = await app.authed(request.token)
    user.totpSecret = null
    user.totpRecoveryCode = null
    return undefined
  },
}

/** GET /api/v2/applications/:appId/public-config: what the login page (Guard) reads to draw its tabs. */
function publicConfig(app: App): Record<string, unknown> {
  const { methods } = app
  return {
    id: app.appId,
    name: app.appName,
    userPoolId: app.userPoolId,
    loginTabs: { list: methods.loginTabs, default: methods.loginTabs[0] ?? 'password' },
    passwordTabConfig: { enabledLoginMethods: methods.passwordMethods },
    verifyCodeTabConfig: { enabledLoginMethods: methods.verifyCodeMethods },
    registerTabs: { list: methods.registerMethods, default: methods.registerMethods[0] ?? 'email' },
    registerDisabled: methods.registerMethods.length === 0,
    passwordStrength: app.passwordStrength,
    verifyCodeLength: 4,
  }
}

export async function runRest(app: App, request: RestRequest): Promise<RestAnswer | null> {
  const config = /^\/api\/v2\/applications\/([^/]+)\/public-config$/.exec(request.path)
  if (request.method === 'GET' && config !== null) {
    if (config[1] !== app.appId) return { status: 200, body: { code: 2011, message: '应用不存在', data: null } }
    return { status: 200, body: { code: 200, message: '获取成功', data: publicConfig(app) } }
  }
  const handler = V2[`${request.method} ${request.path}`]
  if (handler === undefined) return null
  try {
    const data = await handler(app, request)
    return { status: 200, body: { code: 200, message: 'ok', data: data ?? null } }
  } catch (error) {
    if (!(error instanceof AuthingError)) throw error
    return { status: 200, body: { code: error.code, message: error.message, data: error.data ?? null } }
  }
}
