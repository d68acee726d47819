/**
 * What a person meets with Keycloak besides the shared interoperability suite (interop.test.ts): a
 * realm left at Keycloak's default, where a rotated-out refresh token keeps working; its
 * `offline_access` role, without which it refuses a refresh token for offline_access; offline
 * sessions, which an administrator's sign-out of the person ends too, as does taking back the
 * person's consent; a client with consent off, which shows no consent page; a session that ends
 * when it has been idle too long; and its end-session page, asked with client_id alone.
 */
import { describe, expect, it } from 'vitest'
import { completeBrowserLogin } from '../../../dev/browser-login.ts'
import { NO_CONSENT_CLIENT_ID } from '../../../dev/keycloak/realm.ts'
import type { KeycloakServer } from '../../../dev/keycloak/server.ts'
import { RefreshRejectedError } from '../../core/errors.ts'
import type { BackendConfig } from '../../core/provider.ts'
import { beginInterop, interopFailure, interopTarget, KEYCLOAK_NAME, keycloakTarget, rememberSession, signInAs, useInteropTarget } from './interop-targets.ts'
import { untilNextSecond } from '../testing/server-clock.ts'

const runs = interopTarget(KEYCLOAK_NAME) !== undefined


describe.runIf(runs)('Keycloak as a person meets it', () => {
  let keycloak: KeycloakServer
  // A realm as Keycloak makes it (refresh tokens not revoked when used), and bob without the offline_access role.
  const target = keycloakTarget({ revokeRefreshToken: false, withoutOfflineRole: ['bob'] }, (server) => {
    keycloak = server
  })
  const harness = useInteropTarget(target)
  const configWith = (settings: Record<string, string>): BackendConfig =>
    harness.provider.parseConfig({ issuer: harness.server.issuer, clientId: harness.server.clientId, ...settings })

  it('gives an offline refresh token for offline_access, rotated on each renewal; the one before keeps working at a default realm', async () => {
    const { session } = await signInAs(harness, harness.server.alice)
    expect(session.scopes).toContain('offline_access')
    const { session: next } = await harness.provider.refresh(harness.config, session, harness.ctx)
    rememberSession(harness, next)
    expect(next.refreshToken).not.toBe(session.refreshToken)
    // Keycloak revokes a used refresh token only with "Revoke Refresh Token" on; Latchkey keeps the newest either way.
    const { session: fromOld } = await harness.provider.refresh(harness.config, session, harness.ctx)
    rememberSession(harness, fromOld)
    const { session: third } = await harness.provider.refresh(harness.config, next, harness.ctx)
    rememberSession(harness, third)
    expect(await harness.server.refreshTokenIsActive(third.refreshToken ?? '')).toBe(true)
  })

  // A client made in Keycloak's console has consent off. Latchkey still asks for consent
  // (prompt=consent) with offline_access; Keycloak shows no consent page for such a client and gives
  // the offline session all the same. The person declines any consent page here, so the sign-in
  // succeeds only if none is shown.
  it('signs in with offline_access at a client with consent off, without a consent page, and renews the offline session', async () => {
    const config = configWith({ clientId: NO_CONSENT_CLIENT_ID })
    const start = await beginInterop(harness, config)
    expect(new URL(start.url).searchParams.get('prompt')).toContain('consent')
    await completeBrowserLogin(start.url, harness.server.alice, { deny: true })
    const { session, identity } = await start.result
    expect(identity.subject).toBe(harness.server.alice.subject)
    expect(session.scopes).toContain('offline_access')
    expect(await harness.server.refreshTokenIsActive(session.refreshToken ?? '')).toBe(true)
    const { session: next } = await harness.provider.refresh(config, session, harness.ctx)
    rememberSession(harness, next)
    expect(next.refreshToken).not.toBe(session.refreshToken)
    expect(next.scopes).toContain('offline_access')
  })

  it("says what to do when the person lacks Keycloak's offline_access role, and signs in without asking for offline_access", async () => {
    const { bob } = harness.server
    const error = await interopFailure(harness, signInAs(harness, bob))
    expect(error.code).toBe('AUTH_FAILED')
    expect(error.message).toContain('not_allowed')
    expect(error.message).toContain('offline_access')
    expect(error.message).toContain("remove offline_access from Scopes in this account's settings")

    // Without offline_access Keycloak gives a refresh token bound to its own sign-in session, which Latchkey renews.
    const config = configWith({ scopes: 'openid profile email' })
    const { session, identity } = await signInAs(harness, bob, config)
    expect(identity.subject).toBe(bob.subject)
    expect(session.refreshToken).not.toBeNull()
    const { session: next } = await harness.provider.refresh(config, session, harness.ctx)
    rememberSession(harness, next)
    expect(next.refreshToken).not.toBe(session.refreshToken)
  })

  // Keycloak's sign-out of a person (admin POST /users/{id}/logout) ends their sessions and sets
  // their not-before time to now (UserResource.logout, setNotBeforeForUser): every token issued in
  // an earlier second is refused after it, offline tokens too. Its times are whole seconds, so the
  // sign-in is a second older than the sign-out here, as it is for any person.
  it("ends even an offline session when an administrator signs the person out: the account is told to sign in again", async () => {
    const { alice } = harness.server
    const { session } = await signInAs(harness, alice)
    expect(session.scopes).toContain('offline_access')
    await untilNextSecond(Date.now())
    await keycloak.admin('POST', `/users/${alice.subject}/logout`)
    const error = await interopFailure(harness, harness.provider.refresh(harness.config, session, harness.ctx))
    expect(error).toBeInstanceOf(RefreshRejectedError)
    expect(error.message).toContain('Sign in again')
  })

  it("ends an offline session when the person's consent is taken back", async () => {
    const { session } = await signInAs(harness, harness.server.alice)
    const { session: next } = await harness.provider.refresh(harness.config, session, harness.ctx)
    rememberSession(harness, next)
    await keycloak.admin('DELETE', `/users/${harness.server.alice.subject}/consents/${harness.server.clientId}`)
    expect(await interopFailure(harness, harness.provider.refresh(harness.config, next, harness.ctx))).toBeInstanceOf(RefreshRejectedError)
  })

  it('refuses a refresh once the session has been idle longer than the realm allows, so the account asks for a new sign-in', async () => {
    await keycloak.admin('PUT', '', { ssoSessionIdleTimeout: 2, offlineSessionIdleTimeout: 2 })
    try {
      const { session } = await signInAs(harness, harness.server.alice)
      await new Promise((resolve) => setTimeout(resolve, 3_500))
      expect(await interopFailure(harness, harness.provider.refresh(harness.config, session, harness.ctx))).toBeInstanceOf(RefreshRejectedError)
    } finally {
      await keycloak.admin('PUT', '', { ssoSessionIdleTimeout: 1800, offlineSessionIdleTimeout: 2_592_000 })
    }
  })

  it('asks the person to confirm the sign-out on its end-session page (client_id alone, no id_token_hint)', async () => {
    const { session } = await signInAs(harness, harness.server.alice)
    const outcome = await harness.provider.signOut(harness.config, session, harness.ctx)
    expect(outcome.revokedOnServer).toBe(true)
    const page = await fetch(outcome.endSessionUrl ?? '')
    const html = await page.text()
    expect(page.status).toBe(200)
    expect(html).toContain('Do you want to log out?')
  })
})
