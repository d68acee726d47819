/** The hasura-backend-plus emulator's wire behaviour, including the traps a client trips on (providers.md §5, §9b). */
import { decodeJwt } from 'jose'
import { TOTP } from 'otpauth'
import { afterEach, describe, expect, it } from 'vitest'
import { startHbpEmulator } from './server.ts'
import type { HbpEmulator, HbpEmulatorOptions } from './server.ts'

const ADA = { email: 'ada@analytical.org', password: 'engine-1843' }
let running: HbpEmulator | undefined
afterEach(async () => {
  await running?.stop()
  running = undefined
})

async function start(options: HbpEmulatorOptions = {}): Promise<HbpEmulator> {
  running = await startHbpEmulator({ users: [ADA], ...options })
  return running
}

async function call(emulator: HbpEmulator, method: string, path: string, options: { json?: unknown; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    redirect: 'manual',
    headers: { ...(options.json === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
    ...(options.json === undefined ? {} : { body: JSON.stringify(options.json) }),
  })
  const text = await response.text()
  let body: unknown = text
  try {
    body = text === '' ? undefined : (JSON.parse(text) as unknown)
  } catch {
    // text
  }
  return { status: response.status, body: body as Record<string, unknown>, headers: response.headers }
}

const login = (emulator: HbpEmulator, extra: Record<string, unknown> = { cookie: false }) => call(emulator, 'POST', '/auth/login', { json: { ...ADA, ...extra } })

describe('hasura-backend-plus emulator', () => {
  it('login: cookie mode by default (and for the string "false"): the refresh token only in Set-Cookie', async () => {
    const emulator = await start()
    for (const extra of [{}, { cookie: 'false' }]) {
      const answer = await login(emulator, extra)
      expect(answer.status).toBe(200)
      expect(answer.body).not.toHaveProperty('refresh_token')
      expect(answer.headers.getSetCookie().some((cookie) => cookie.startsWith('refresh_token=') && cookie.includes('HttpOnly'))).toBe(true)
      expect(answer.headers.getSetCookie().some((cookie) => cookie.startsWith('permission_variables=%7B'))).toBe(true)
    }
    const json = await login(emulator)
    expect(Object.keys(json.body).sort()).toEqual(['jwt_expires_in', 'jwt_token', 'refresh_token', 'user'])
    expect(json.body.user).toEqual({ id: emulator.account(ADA.email)?.id, display_name: ADA.email, email: ADA.email })
    expect(json.body.jwt_expires_in).toBe(10800 * 60 * 1000)
    const claims = decodeJwt(String(json.body.jwt_token))
    expect(claims).toMatchObject({ iss: 'nhost', sub: emulator.account(ADA.email)?.id })
    expect(claims.hasura).toEqual({ 'x-hasura-user-id': claims.sub, 'x-hasura-allowed-roles': ['user'], 'x-hasura-default-role': 'user' })
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(648_000)
  })

  it('anonymous users on: login refuses the cookie key, answers in cookie mode without it, and {anonymous:true} makes an anonymous account', async () => {
    const emulator = await start({ anonymousUsersEnabled: true })
    expect(await login(emulator)).toMatchObject({ status: 400, body: { statusCode: 400, error: 'Bad Request', message: '"cookie" is not allowed' } })
    const cookieMode = await login(emulator, {})
    expect(cookieMode.status).toBe(200)
    expect(cookieMode.body).not.toHaveProperty('refresh_token')
    const token = /^refresh_token=([^;]+)/.exec(cookieMode.headers.getSetCookie().find((cookie) => cookie.startsWith('refresh_token=')) ?? '')?.[1]
    expect(emulator.refreshTokensOf(ADA.email)).toEqual([token])
    // The anonymous account's answer carries the refresh token in the body only in cookie mode (HBP's inverted test).
    const anonymous = await call(emulator, 'POST', '/auth/login', { json: { anonymous: true } })
    expect(anonymous.status).toBe(200)
    expect(anonymous.body.user).toEqual({ id: expect.any(String) as string, display_name: 'Anonymous user' })
    expect(typeof anonymous.body.refresh_token).toBe('string')
    expect((decodeJwt(String(anonymous.body.jwt_token)).hasura as Record<string, unknown>)['x-hasura-default-role']).toBe('anonymous')
    // Off (HBP's default and Synmetrix's): the anonymous key is just unknown to the login schema.
    const off = await startHbpEmulator({ users: [ADA] })
    try {
      expect((await call(off, 'POST', '/auth/login', { json: { anonymous: true } })).body.message).toBe('"email" is required')
    } finally {
      await off.stop()
    }
  })

  it('finds accounts by email whatever the letter case (auth.accounts.email is citext)', async () => {
    const emulator = await start()
    const shouted = await call(emulator, 'POST', '/auth/login', { json: { email: 'ADA@Analytical.org', password: ADA.password, cookie: false } })
    expect(shouted.status).toBe(200)
    expect((shouted.body.user as Record<string, unknown>).email).toBe(ADA.email)
    const again = await call(emulator, 'POST', '/auth/register', { json: { email: 'Ada@Analytical.ORG', password: 'another-1', cookie: false } })
    expect(again).toMatchObject({ status: 400, body: { message: 'Account already exists.' } })
  })

  it('lost password for an unknown address is a 400 "Account does not exist." (not the promised 204); a sign-in link with an unknown token is a bare 400', async () => {
    const emulator = await start({ lostPasswordEnabled: true })
    const unknown = await call(emulator, 'POST', '/auth/change-password/request', { json: { email: 'nobody@analytical.org' } })
    expect(unknown).toMatchObject({ status: 400, body: { statusCode: 400, error: 'Bad Request', message: 'Account does not exist.' } })
    expect((await call(emulator, 'POST', '/auth/change-password/request', { json: { email: ADA.email } })).status).toBe(204)
    for (const token of ['3f2a8c1e-5b7d-4e9f-a0c1-2d3e4f5a6b7c', 'not-a-uuid']) {
      const link = await call(emulator, 'GET', `/auth/magic-link?action=log-in&token=${token}`)
      expect(link).toMatchObject({ status: 400, body: { statusCode: 400, error: 'Bad Request' } })
      expect(link.body).not.toHaveProperty('message')
    }
    const register = await call(emulator, 'GET', '/auth/magic-link?action=register&token=not-a-uuid')
    expect(register.status).toBe(400)
    expect(register.body).not.toHaveProperty('message')
  })

  it('a password for an account that has none is a 400 without a message (bcrypt refuses a null hash)', async () => {
    const emulator = await start({ users: [{ email: 'gail@links.com' }] })
    const answer = await call(emulator, 'POST', '/auth/login', { json: { email: 'gail@links.com', password: 'guessing-1', cookie: false } })
    expect(answer).toMatchObject({ status: 400, body: { statusCode: 400, error: 'Bad Request' } })
    expect(answer.body).not.toHaveProperty('message')
  })

  it('REDIRECT_URL_ERROR: an activation or registration link that activates nothing redirects there, with no token', async () => {
    const emulator = await start({ redirectUrlError: 'https://app.synmetrix-demo.com/callback' })
    for (const path of ['/auth/activate?ticket=3f2a8c1e-5b7d-4e9f-a0c1-2d3e4f5a6b7c', '/auth/magic-link?action=register&token=3f2a8c1e-5b7d-4e9f-a0c1-2d3e4f5a6b7c', '/auth/magic-link?action=register&token=not-a-uuid']) {
      const answer = await call(emulator, 'GET', path)
      expect(answer.status).toBe(302)
      expect(answer.headers.get('location')).toBe('https://app.synmetrix-demo.com/callback')
    }
    // Not set (HBP's default): the route's own error.
    const plain = await startHbpEmulator({ users: [ADA] })
    try {
      expect((await call(plain, 'GET', '/auth/activate?ticket=3f2a8c1e-5b7d-4e9f-a0c1-2d3e4f5a6b7c')).body.message).toBe('Invalid or expired ticket.')
    } finally {
      await plain.stop()
    }
  })

  it('answers errors as Boom payloads, Joi messages included, and refuses unknown TLDs', async () => {
    const emulator = await start()
    expect((await login(emulator, { password: 'wrong', cookie: false })).body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Username and password do not match' })
    expect((await call(emulator, 'POST', '/auth/login', { json: { email: 'x@y.test', password: 'p' } })).body).toEqual({ statusCode: 400, error: 'Bad Request', message: '"email" must be a valid email' })
    expect((await call(emulator, 'POST', '/auth/login', { json: { email: 'x@y.c', password: 'p' } })).body.message).toBe('"email" must be a valid email')
    expect((await call(emulator, 'POST', '/auth/login', { json: { email: 'nobody@y.com', password: 'p' } })).body.message).toBe('Account does not exist.')
    expect((await call(emulator, 'POST', '/auth/login', { json: { ...ADA, extra: 1 } })).body.message).toBe('"extra" is not allowed')
  })

  it('refresh: rotates; a token that is not a UUID is a 400 with no message; a cookie wins over the query', async () => {
    const emulator = await start()
    const first = String((await login(emulator)).body.refresh_token)
    const second = await call(emulator, 'GET', `/auth/token/refresh?refresh_token=${first}`)
    expect(second.status).toBe(200)
    expect(second.body.refresh_token).not.toBe(first)
    expect((await call(emulator, 'GET', `/auth/token/refresh?refresh_token=${first}`)).body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Invalid or expired refresh token.' })
    expect((await call(emulator, 'GET', '/auth/token/refresh?refresh_token=nope')).body).toEqual({ statusCode: 400, error: 'Bad Request' })
    const viaCookie = await call(emulator, 'GET', `/auth/token/refresh?refresh_token=${String(second.body.refresh_token)}`, { headers: { cookie: `refresh_token=${first}` } })
    expect(viaCookie.status).toBe(401)
  })

  it('refresh tokens shorter than a day are born expired (HBP counts whole days)', async () => {
    let now = Date.now()
    const clocked = await start({ refreshExpiresInMinutes: 60, now: () => now })
    const token = String((await login(clocked)).body.refresh_token)
    now += 1
    expect((await call(clocked, 'GET', `/auth/token/refresh?refresh_token=${token}`)).status).toBe(401)
  })

  it('logout: a bad body is a 400; all:true with a dead token deletes nothing and still says 204', async () => {
    const emulator = await start()
    const a = String((await login(emulator)).body.refresh_token)
    const b = String((await login(emulator)).body.refresh_token)
    expect((await call(emulator, 'POST', `/auth/logout?refresh_token=${a}`, { json: { all: 'yes' } })).body.message).toBe('"all" must be a boolean')
    expect((await call(emulator, 'POST', '/auth/logout', { json: { all: true } })).status).toBe(401)
    const dead = '00000000-0000-4000-8000-000000000000'
    expect((await call(emulator, 'POST', `/auth/logout?refresh_token=${dead}`, { json: { all: true } })).status).toBe(204)
    expect(emulator.refreshTokensOf(ADA.email).sort()).toEqual([a, b].sort())
    expect((await call(emulator, 'POST', `/auth/logout?refresh_token=${a}`, { json: { all: true } })).status).toBe(204)
    expect(emulator.refreshTokensOf(ADA.email)).toEqual([])
  })

  it('jwks under HS256 is 501; turned-off features are 500s that say nothing', async () => {
    const emulator = await start()
    expect((await call(emulator, 'GET', '/auth/jwks')).body).toEqual({ statusCode: 501, error: 'Not Implemented', message: 'JWKS is not implemented on this server.' })
    expect((await call(emulator, 'POST', '/auth/change-password/request', { json: { email: ADA.email } })).body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'An internal server error occurred',
    })
  })

  it('MFA: generate, enable with a code, then login answers a ticket for /auth/mfa/totp', async () => {
    let now = Date.now()
    const emulator = await start({ now: () => now })
    const jwt = String((await login(emulator)).body.jwt_token)
    const bearer = { authorization: `Bearer ${jwt}` }
    const generated = await call(emulator, 'POST', '/auth/mfa/generate', { headers: bearer })
    expect(String(generated.body.image_url)).toMatch(/^data:image\/png;base64,/)
    const totp = new TOTP({ secret: String(generated.body.otp_secret) })
    expect((await call(emulator, 'POST', '/auth/mfa/enable', { headers: bearer, json: { code: totp.generate({ timestamp: now }) } })).status).toBe(204)
    const first = await login(emulator)
    expect(first.body).toEqual({ mfa: true, ticket: expect.any(String) as unknown })
    // The next period's code is refused, the previous one accepted.
    const ticket = String(first.body.ticket)
    expect((await call(emulator, 'POST', '/auth/mfa/totp', { json: { ticket, code: totp.generate({ timestamp: now + 30_000 }), cookie: false } })).status).toBe(401)
    const previous = totp.generate({ timestamp: now })
    now += 30_000
    const done = await call(emulator, 'POST', '/auth/mfa/totp', { json: { ticket, code: previous, cookie: false } })
    expect(done.status).toBe(200)
    expect(done.body).toHaveProperty('refresh_token')
  })

  it('magic link: mails a live refresh token; the link redirects to the success URL with it', async () => {
    const emulator = await start()
    expect((await call(emulator, 'POST', '/auth/login', { json: { email: ADA.email, cookie: false } })).body).toEqual({ magicLink: true })
    const mail = emulator.outbox.last(ADA.email, 'magic-link')
    expect(emulator.refreshTokensOf(ADA.email)).toContain(mail?.token)
    const followed = await call(emulator, 'GET', new URL(mail?.link ?? '').pathname + new URL(mail?.link ?? '').search)
    expect(followed.status).toBe(302)
    expect(followed.headers.get('location')).toBe(`${emulator.url}/callback?refresh_token=${mail?.token ?? ''}`)
  })

  it('rate limits per client with X-RateLimit-* headers, Retry-After and a Boom 429', async () => {
    const emulator = await start({ rateLimit: { max: 2, windowMs: 60_000 } })
    const ok = await call(emulator, 'GET', '/auth/jwks')
    expect(ok.headers.get('x-ratelimit-limit')).toBe('2')
    expect(ok.headers.get('x-ratelimit-remaining')).toBe('1')
    await call(emulator, 'GET', '/auth/jwks')
    const limited = await call(emulator, 'GET', '/auth/jwks')
    expect(limited.status).toBe(429)
    expect(limited.body).toEqual({ statusCode: 429, error: 'Too Many Requests', message: 'You are being rate limited.' })
    expect(limited.headers.get('retry-after')).toBe('60')
    expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000)
    // Another client (behind the proxy, the right-most X-Forwarded-For) has its own count.
    expect((await call(emulator, 'GET', '/auth/jwks', { headers: { 'x-forwarded-for': '203.0.113.9' } })).status).toBe(501)
  })
})
