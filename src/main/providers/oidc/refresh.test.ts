import { decodeJwt } from 'jose'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { leakedSecrets, remember, signIn, startHarness } from '../../../dev/oidc/provider-harness.ts'
import type { Harness } from '../../../dev/oidc/provider-harness.ts'
import { startQuirkyIdp } from '../../../dev/oidc/quirky-idp.ts'
import type { QuirkyIdp } from '../../../dev/oidc/quirky-idp.ts'
import { AppError, RefreshRejectedError, TransientError } from '../../core/errors.ts'
import type { Session } from '../../core/sessions/session.ts'
import { failure } from '../test-failure.ts'

let harness: Harness
beforeAll(async () => {
  harness = await startHarness({ server: { accessTokenTtlSeconds: 5 } })
})
afterAll(async () => {
  expect(leakedSecrets(harness)).toEqual([])
  await harness.stop()
})

/** The AppError a refresh fails with; its message must hold no secret. */
async function refreshError(promise: Promise<unknown>): Promise<AppError> {
  const error = await failure(promise)
  expect(leakedSecrets(harness, error.message)).toEqual([])
  return error
}

describe('refresh against a real oidc-provider', () => {
  it('gets a new access token and a rotated refresh token', async () => {
    const { session } = await signIn(harness)
    const { session: next } = await harness.provider.refresh(harness.config, session, harness.ctx)
    remember(harness, next)
    expect(next.accessToken).not.toBe(session.accessToken)
    expect(next.refreshToken).not.toBeNull()
    expect(next.refreshToken).not.toBe(session.refreshToken)
    expect(next.idToken).not.toBeNull()
    expect(next.expiresAt).toBeGreaterThan(Date.now())
    expect(next.expiresAt).toBeLessThanOrEqual(Date.now() + 5_000)
    expect(await harness.server.refreshTokenIsActive(next.refreshToken ?? '')).toBe(true)
    expect(await harness.server.refreshTokenIsActive(session.refreshToken ?? '')).toBe(false)
  })

  it('brings no profile when the new ID token names only the subject (oidc-provider puts claims in userinfo)', async () => {
    const { session, profile } = await signIn(harness)
    expect(profile).toMatchObject({ email: 'alice@example.test' })
    const result = await harness.provider.refresh(harness.config, session, harness.ctx)
    remember(harness, result.session)
    expect(decodeJwt(result.session.idToken ?? '')).not.toHaveProperty('email')
    expect(result.profile).toBeUndefined()
  })

  it('rejects reuse of a rotated-out refresh token with RefreshRejectedError', async () => {
    const { session } = await signIn(harness)
    const { session: next } = await harness.provider.refresh(harness.config, session, harness.ctx)
    remember(harness, next)
    const error = await refreshError(harness.provider.refresh(harness.config, session, harness.ctx))
    expect(error).toBeInstanceOf(RefreshRejectedError)
    expect(error.message).toContain('invalid_grant')
  })

  it('rejects a refresh after the server revoked the user', async () => {
    const { session } = await signIn(harness, { login: 'bob', password: 'canwefixit' })
    expect(await harness.server.revokeAllFor('bob')).toBeGreaterThan(0)
    expect(await refreshError(harness.provider.refresh(harness.config, session, harness.ctx))).toBeInstanceOf(RefreshRejectedError)
  })

  it('cannot renew a session that has no refresh token (offline_access not asked for)', async () => {
    const { session } = await signIn(harness)
    const error = await refreshError(harness.provider.refresh(harness.config, { ...session, refreshToken: null, scopes: ['openid', 'profile', 'email'] }, harness.ctx))
    expect(error).toBeInstanceOf(RefreshRejectedError)
    expect(error.message).toBe('This session cannot be renewed without signing in again.')
  })

  it('says the client may not be allowed refresh tokens when offline_access brought none', async () => {
    const { session } = await signIn(harness)
    expect(session.scopes).toContain('offline_access')
    const error = await refreshError(harness.provider.refresh(harness.config, { ...session, refreshToken: null }, harness.ctx))
    expect(error).toBeInstanceOf(RefreshRejectedError)
    expect(error.message).toContain('gave this session no refresh token although Latchkey asked for offline_access')
    expect(error.message).toContain('Ask its administrator, or sign in again.')
  })
})

describe('refresh against servers that misbehave', () => {
  let idp: QuirkyIdp
  const session: Session = {
    accessToken: 'old-access',
    refreshToken: 'old-refresh',
    idToken: 'old-id',
    tokenType: 'Bearer',
    scopes: ['openid', 'offline_access'],
    expiresAt: 0,
    issuedAt: 0,
  }
  const configFor = (issuer: string) => harness.provider.parseConfig({ issuer, clientId: 'quirky' })
  afterEach(async () => {
    remember(harness, session)
    await idp.stop()
  })

  it('treats 400 with an empty body as a rejected refresh', async () => {
    idp = await startQuirkyIdp()
    idp.token = { status: 400 }
    const error = await refreshError(harness.provider.refresh(configFor(idp.issuer), session, harness.ctx))
    expect(error).toBeInstanceOf(RefreshRejectedError)
    expect(error.message).toContain('HTTP 400')
    expect(idp.tokenRequests[0]?.get('grant_type')).toBe('refresh_token')
  })

  it('treats 401 with a JSON error as a rejected refresh', async () => {
    idp = await startQuirkyIdp()
    idp.token = { status: 401, body: JSON.stringify({ error: 'invalid_client' }) }
    const error = await refreshError(harness.provider.refresh(configFor(idp.issuer), session, harness.ctx))
    expect(error).toBeInstanceOf(RefreshRejectedError)
    expect(error.message).toContain('invalid_client')
  })

  it('treats 503 as transient', async () => {
    idp = await startQuirkyIdp()
    idp.token = { status: 503, body: '<h1>down for maintenance</h1>', contentType: 'text/html' }
    expect(await refreshError(harness.provider.refresh(configFor(idp.issuer), session, harness.ctx))).toBeInstanceOf(TransientError)
  })

  it('keeps the session on a 429 and tries again when Retry-After says (a rate limit says nothing about the token)', async () => {
    idp = await startQuirkyIdp()
    idp.token = { status: 429, body: JSON.stringify({ error: 'too_many_requests' }), headers: { 'retry-after': '120' } }
    const before = Date.now()
    const error = await refreshError(harness.provider.refresh(configFor(idp.issuer), session, harness.ctx))
    expect(error).toBeInstanceOf(TransientError)
    expect(error.message).toContain('slow down')
    expect(error.retryAt).toBeGreaterThanOrEqual(before + 120_000)
    expect(error.retryAt).toBeLessThanOrEqual(Date.now() + 120_000)
  })

  it('keeps the session on a 429 without headers and on a 408 (retried on the usual schedule)', async () => {
    idp = await startQuirkyIdp()
    for (const status of [429, 408]) {
      idp.token = { status }
      const error = await refreshError(harness.provider.refresh(configFor(idp.issuer), session, harness.ctx))
      expect(error).toBeInstanceOf(TransientError)
      expect(error.retryAt).toBeUndefined()
    }
  })

  it('takes a 503\'s Retry-After as an HTTP date', async () => {
    idp = await startQuirkyIdp()
    const at = new Date(Math.ceil((Date.now() + 10 * 60_000) / 1000) * 1000)
    idp.token = { status: 503, headers: { 'retry-after': at.toUTCString() } }
    const error = await refreshError(harness.provider.refresh(configFor(idp.issuer), session, harness.ctx))
    expect(error).toBeInstanceOf(TransientError)
    expect(error.retryAt).toBe(at.getTime())
  })

  it('does not retry a 200 answer it cannot use (the refresh token is probably spent): rejected', async () => {
    idp = await startQuirkyIdp()
    idp.token = { status: 200, body: JSON.stringify({ token_type: 'bearer' }), contentType: 'application/json' }
    const error = await refreshError(harness.provider.refresh(configFor(idp.issuer), session, harness.ctx))
    expect(error).toBeInstanceOf(RefreshRejectedError)
    expect(error.message).toContain('could not use')
  })

  it('treats an unreachable token endpoint as transient', async () => {
    const closed = await startQuirkyIdp()
    await closed.stop()
    idp = await startQuirkyIdp({ tokenEndpoint: `${closed.issuer}/token` })
    expect(await refreshError(harness.provider.refresh(configFor(idp.issuer), session, harness.ctx))).toBeInstanceOf(TransientError)
  })

  it('keeps the refresh token and ID token when the server sends no new ones', async () => {
    idp = await startQuirkyIdp()
    idp.token = { status: 200, body: JSON.stringify({ access_token: 'new-access', token_type: 'Bearer', expires_in: 60 }) }
    const { session: next } = await harness.provider.refresh(configFor(idp.issuer), session, harness.ctx)
    expect(next).toMatchObject({ accessToken: 'new-access', refreshToken: 'old-refresh', idToken: 'old-id', scopes: session.scopes })
    expect(next.expiresAt).toBeGreaterThan(Date.now() + 50_000)
  })
})
