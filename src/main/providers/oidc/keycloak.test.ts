/**
 * What a person meets with Keycloak besides the shared interoperability suite (interop.test.ts): a
 * realm left at Keycloak's default, where a rotated-out refresh token keeps working; a session
 * that ends when it has been idle too long; and its end-session page, asked with client_id alone.
 */
import { describe, expect, it } from 'vitest'
import { completeBrowserLogin } from '../../../dev/browser-login.ts'
import type { KeycloakServer } from '../../../dev/keycloak/server.ts'
import { RefreshRejectedError } from '../../core/errors.ts'
import type { BackendConfig } from '../../core/provider.ts'
import type { SignedIn } from '../../core/sessions/session.ts'
import { beginInterop, interopFailure, interopTarget, KEYCLOAK_NAME, keycloakTarget, rememberSession, useInteropTarget } from './interop-targets.ts'
import type { InteropHarness, InteropUser } from './interop-targets.ts'

const runs = interopTarget(KEYCLOAK_NAME) !== undefined

async function signIn(harness: InteropHarness, user: InteropUser, config: BackendConfig = harness.config): Promise<SignedIn> {
  const start = await beginInterop(harness, config)
  await completeBrowserLogin(start.url, user)
  return start.result
}

describe.runIf(runs)('Keycloak as a person meets it', () => {
  let keycloak: KeycloakServer
  // A realm as Keycloak makes it (refresh tokens not revoked when used).
  const target = keycloakTarget({ revokeRefreshToken: false }, (server) => {
    keycloak = server
  })
  const harness = useInteropTarget(target)

  it('gives an offline refresh token for offline_access, rotated on each renewal; the one before keeps working at a default realm', async () => {
    const { session } = await signIn(harness, harness.server.alice)
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

  it('refuses a refresh once the session has been idle longer than the realm allows, so the account asks for a new sign-in', async () => {
    await keycloak.admin('PUT', '', { ssoSessionIdleTimeout: 2, offlineSessionIdleTimeout: 2 })
    try {
      const { session } = await signIn(harness, harness.server.alice)
      await new Promise((resolve) => setTimeout(resolve, 3_500))
      expect(await interopFailure(harness, harness.provider.refresh(harness.config, session, harness.ctx))).toBeInstanceOf(RefreshRejectedError)
    } finally {
      await keycloak.admin('PUT', '', { ssoSessionIdleTimeout: 1800, offlineSessionIdleTimeout: 2_592_000 })
    }
  })

  it('asks the person to confirm the sign-out on its end-session page (client_id alone, no id_token_hint)', async () => {
    const { session } = await signIn(harness, harness.server.alice)
    const outcome = await harness.provider.signOut(harness.config, session, harness.ctx)
    expect(outcome.revokedOnServer).toBe(true)
    const page = await fetch(outcome.endSessionUrl ?? '')
    const html = await page.text()
    expect(page.status).toBe(200)
    expect(html).toContain('Do you want to log out?')
  })
})
