/**
 * What a person meets with the zitadel/oidc OpenID Provider (the library ZITADEL is built on)
 * besides the shared interoperability suite (interop.test.ts): a refresh token for offline_access
 * without prompt=consent, none without it, none either for a client without the refresh_token
 * grant (and what Latchkey says then), no consent page at all (prompt=consent is not asked about),
 * a sign-out that revokes the access token where there is no refresh token, and an
 * end-session page that ends nothing of the person's when asked with client_id alone, so that only
 * Latchkey's revocation ends the session on the server.
 */
import { describe, expect, it } from 'vitest'
import { RefreshRejectedError } from '../../core/errors.ts'
import type { BackendConfig } from '../../core/provider.ts'
import { CLIENT_WITHOUT_REFRESH_ID } from '../../../dev/zitadel/server.ts'
import { attemptSignIn, interopFailure, interopTarget, useInteropTarget, userinfoStatus, ZITADEL_NAME } from './interop-targets.ts'
import type { InteropTarget } from './interop-targets.ts'

const zitadel = interopTarget(ZITADEL_NAME)

describe.runIf(zitadel !== undefined)('the zitadel/oidc OpenID Provider as a person meets it', () => {
  const harness = useInteropTarget(zitadel as InteropTarget)
  const configWith = (settings: Record<string, string>): BackendConfig =>
    harness.provider.parseConfig({ issuer: harness.server.issuer, clientId: harness.server.clientId, ...settings })

  it('issues a refresh token for offline_access without prompt=consent (consent set to never)', async () => {
    const { url, result } = await attemptSignIn(harness, configWith({ consent: 'never' }))
    expect(url.searchParams.has('prompt')).toBe(false)
    const { session } = await result
    expect(session.scopes).toContain('offline_access')
    expect(await harness.server.refreshTokenIsActive(session.refreshToken ?? '')).toBe(true)
  })

  it('signs in with prompt=consent without a consent page: it has none, so the login is the only step', async () => {
    const { url, result } = await attemptSignIn(harness, harness.config)
    expect(url.searchParams.get('prompt')).toBe('consent')
    expect((await result).identity.subject).toBe(harness.server.alice.subject)
  })

  it('issues no refresh token without offline_access: the session then needs a new sign-in to renew', async () => {
    const config = configWith({ scopes: 'openid profile email' })
    const { session } = await (await attemptSignIn(harness, config)).result
    expect(session.refreshToken).toBeNull()
    expect(await interopFailure(harness, harness.provider.refresh(config, session, harness.ctx))).toBeInstanceOf(RefreshRejectedError)
  })

  it("says what to change when offline_access brought no refresh token (a client without the refresh_token grant)", async () => {
    const config = harness.provider.parseConfig({ issuer: harness.server.issuer, clientId: CLIENT_WITHOUT_REFRESH_ID })
    const { session } = await (await attemptSignIn(harness, config)).result
    // zitadel/oidc leaves the refresh token out without a word (pkg/op/token.go, needsRefreshToken).
    expect(session.scopes).toContain('offline_access')
    expect(session.refreshToken).toBeNull()
    const error = await interopFailure(harness, harness.provider.refresh(config, session, harness.ctx))
    expect(error).toBeInstanceOf(RefreshRejectedError)
    expect(error.message).toBe(
      `${new URL(harness.server.issuer).host} gave this session no refresh token although Latchkey asked for offline_access, so it cannot be renewed: ` +
        'the client is most likely not allowed refresh tokens (in ZITADEL, the application\'s “Refresh Token” option). Ask its administrator, or sign in again.',
    )
  })

  it('signs out a session without a refresh token by revoking its access token', async () => {
    const config = configWith({ scopes: 'openid profile email' })
    const { session } = await (await attemptSignIn(harness, config)).result
    const userinfo = (): Promise<number> => userinfoStatus(harness, session.accessToken)
    expect(await userinfo()).toBe(200)
    const outcome = await harness.provider.signOut(config, session, harness.ctx)
    expect(outcome).toMatchObject({ revokedOnServer: true })
    expect(await userinfo()).toBe(403)
  })

  it("ends nothing of the person's at its end-session page asked with client_id alone; Latchkey's revocation ends the session", async () => {
    const { session } = await (await attemptSignIn(harness, harness.config)).result
    const discovery = (await (await fetch(`${harness.server.issuer}/.well-known/openid-configuration`)).json()) as { end_session_endpoint: string }
    const endSession = new URL(discovery.end_session_endpoint)
    endSession.searchParams.set('client_id', harness.server.clientId)
    // Without id_token_hint it knows no person (pkg/op/session.go), yet says it signed them out.
    const page = await fetch(endSession)
    expect(await page.text()).toBe('signed out successfully')
    expect(await harness.server.refreshTokenIsActive(session.refreshToken ?? '')).toBe(true)

    const outcome = await harness.provider.signOut(harness.config, session, harness.ctx)
    expect(outcome.revokedOnServer).toBe(true)
    expect(outcome.endSessionUrl).toBe(endSession.href)
    expect(await harness.server.refreshTokenIsActive(session.refreshToken ?? '')).toBe(false)
  })
})
