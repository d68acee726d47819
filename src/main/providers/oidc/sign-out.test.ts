import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { leakedSecrets, signIn, startHarness } from '../../../dev/oidc/provider-harness.ts'
import type { Harness } from '../../../dev/oidc/provider-harness.ts'
import { startQuirkyIdp } from '../../../dev/oidc/quirky-idp.ts'
import { RefreshRejectedError } from '../../core/errors.ts'
import type { Session } from '../../core/sessions/session.ts'
import { readSettings } from './config.ts'
import { revocationAuth } from './revocation-auth.ts'

let harness: Harness
beforeAll(async () => {
  harness = await startHarness()
})
afterAll(async () => {
  expect(leakedSecrets(harness)).toEqual([])
  await harness.stop()
})

const someSession: Session = {
  accessToken: 'at-quirky',
  refreshToken: 'rt-quirky',
  idToken: null,
  tokenType: 'Bearer',
  scopes: ['openid'],
  expiresAt: null,
  issuedAt: 0,
}

describe('sign-out against a real oidc-provider', () => {
  it('revokes the refresh token on the server and offers the end-session URL', async () => {
    const { session } = await signIn(harness)
    const outcome = await harness.provider.signOut(harness.config, session, harness.ctx)
    expect(outcome.revokedOnServer).toBe(true)
    expect(await harness.server.refreshTokenIsActive(session.refreshToken ?? '')).toBe(false)
    await expect(harness.provider.refresh(harness.config, session, harness.ctx)).rejects.toBeInstanceOf(RefreshRejectedError)
    expect(leakedSecrets(harness, outcome.message)).toEqual([])

    const endSession = new URL(outcome.endSessionUrl ?? '')
    expect(endSession.origin).toBe(harness.server.issuer)
    expect(endSession.searchParams.get('client_id')).toBe(harness.server.clientId)
    expect(endSession.searchParams.has('id_token_hint')).toBe(false)
    expect(endSession.href).not.toContain(session.idToken ?? '-')
    // The server accepts it (a bad request gets its error page with status 400).
    const page = await fetch(endSession)
    expect(page.status).toBe(200)
    expect(await page.text()).not.toContain('Something went wrong')
  })
})

describe('sign-out against servers that do not revoke', () => {
  it('reports honestly when the server refuses to revoke', async () => {
    const idp = await startQuirkyIdp()
    try {
      idp.revocation = { status: 401, body: JSON.stringify({ error: 'invalid_client' }) }
      const config = harness.provider.parseConfig({ issuer: idp.issuer, clientId: 'quirky' })
      const outcome = await harness.provider.signOut(config, someSession, harness.ctx)
      expect(outcome).toMatchObject({ revokedOnServer: false, endSessionUrl: null })
      expect(outcome.message).toContain('refused')
    } finally {
      await idp.stop()
    }
  })

  it('reports honestly when the server cannot be reached', async () => {
    const gone = await startQuirkyIdp()
    await gone.stop()
    const config = harness.provider.parseConfig({ issuer: gone.issuer, clientId: 'quirky' })
    const outcome = await harness.provider.signOut(config, someSession, harness.ctx)
    expect(outcome).toMatchObject({ revokedOnServer: false, endSessionUrl: null })
    expect(outcome.message).toContain('Could not reach')
    expect(harness.logger.text()).not.toContain('rt-quirky')
  })
})

describe('sign-out with the client authentication the server advertises', () => {
  it('revokes with Authorization: Bearer <access token> at a server that accepts only that', async () => {
    const idp = await startQuirkyIdp({ revocationAuth: 'bearer' })
    try {
      idp.bearerTokens.add(someSession.accessToken)
      const config = harness.provider.parseConfig({ issuer: idp.issuer, clientId: 'quirky' })
      const outcome = await harness.provider.signOut(config, someSession, harness.ctx)
      expect(outcome.revokedOnServer).toBe(true)
      expect(idp.revocationRequests).toHaveLength(1)
      expect(idp.revocationRequests[0]?.authorization).toBe(`Bearer ${someSession.accessToken}`)
      expect(idp.revocationRequests[0]?.body.get('token')).toBe(someSession.refreshToken)
      expect(harness.logger.text()).not.toContain(someSession.accessToken)
    } finally {
      await idp.stop()
    }
  })

  it('still reports a refusal when the bearer is not accepted (an expired access token)', async () => {
    const idp = await startQuirkyIdp({ revocationAuth: 'bearer' })
    try {
      const config = harness.provider.parseConfig({ issuer: idp.issuer, clientId: 'quirky' })
      const outcome = await harness.provider.signOut(config, someSession, harness.ctx)
      expect(outcome.revokedOnServer).toBe(false)
      expect(outcome.message).toMatch(/refused to revoke the session \(HTTP 401\)/)
    } finally {
      await idp.stop()
    }
  })

  it('names the public client alone where the server lists only confidential methods (Keycloak), and picks none a confidential client cannot use', () => {
    const server = { issuer: 'https://id.example.test', revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'private_key_jwt'] }
    const settings = readSettings(harness.provider.parseConfig({ issuer: server.issuer, clientId: 'quirky' }))
    expect(revocationAuth(settings, server, someSession).method).toBe('none')
    expect(revocationAuth({ ...settings, clientSecret: 's3cret' }, server, someSession).method).toBe('client_secret_basic')
    const onlyKeys = { issuer: server.issuer, revocation_endpoint_auth_methods_supported: ['private_key_jwt'] }
    expect(revocationAuth({ ...settings, clientSecret: 's3cret' }, onlyKeys, someSession)).toEqual({ method: null, advertised: ['private_key_jwt'] })
    expect(revocationAuth(settings, { issuer: server.issuer, revocation_endpoint_auth_methods_supported: ['bearer', 'none'] }, someSession).method).toBe('none')
  })
})
