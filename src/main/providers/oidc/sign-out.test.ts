import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { leakedSecrets, signIn, startHarness } from '../../../dev/oidc/provider-harness.ts'
import type { Harness } from '../../../dev/oidc/provider-harness.ts'
import { startQuirkyIdp } from '../../../dev/oidc/quirky-idp.ts'
import { RefreshRejectedError } from '../../core/errors.ts'
import type { Session } from '../../core/sessions/session.ts'

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
