/**
 * OAuth through Supabase Auth's Keycloak provider, pointed at a real OpenID Connect server
 * (oidc-provider) mounted at Keycloak's paths: Latchkey → /authorize (PKCE) → the identity
 * provider's login and consent → Supabase Auth's /callback → Latchkey's loopback nonce path → the
 * PKCE code exchange. Only the real server has this round trip; without it the test says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { completeBrowserLogin } from '../../../dev/browser-login.ts'
import { startOidcServer } from '../../../dev/oidc-server.ts'
import type { OidcServer } from '../../../dev/oidc-server.ts'
import { realServerUnavailable, startRealAuthServer } from '../../../dev/supabase-real/server.ts'
import type { RealAuthServer } from '../../../dev/supabase-real/server.ts'
import { systemClock } from '../../core/ports.ts'
import type { BrowserSignIn } from '../../core/provider.ts'
import type { SignedIn } from '../../core/sessions/session.ts'
import { recordingLogger } from '../../core/testing/recording-logger.ts'
import { expectForm } from '../testing/sign-in-steps.ts'
import { createSupabaseProvider } from './provider.ts'

const KEYCLOAK_CLIENT = {
  client_id: 'supabase-auth',
  client_secret: 'supabase-auth-keycloak-secret-for-tests',
  client_name: 'Supabase Auth',
  redirect_uris: ['http://127.0.0.1/callback'],
  token_endpoint_auth_method: 'client_secret_basic',
} as const

const unavailable = realServerUnavailable()
if (unavailable !== null) console.warn(`Supabase OAuth round trip skipped: it needs the real Supabase Auth server (${unavailable}).`)

describe.skipIf(unavailable !== null)('Supabase sign-in with an OAuth provider (Keycloak-shaped OpenID Connect server)', () => {
  let idp: OidcServer
  let server: RealAuthServer
  const provider = createSupabaseProvider({ signInTimeoutMs: 20_000 })
  const logger = recordingLogger()
  const ctx = { clock: systemClock, logger }

  beforeAll(async () => {
    idp = await startOidcServer({ keycloakRealm: 'latchkey', extraClients: [KEYCLOAK_CLIENT] })
    server = await startRealAuthServer({ keycloak: { url: idp.issuer, clientId: KEYCLOAK_CLIENT.client_id, secret: KEYCLOAK_CLIENT.client_secret } })
  }, 60_000)
  afterAll(async () => {
    await server.stop()
    await idp.stop()
  })

  it('offers “Continue with Keycloak” and signs in through the browser and the loopback', async () => {
    const config = provider.parseConfig({ url: server.url, apiKey: server.anonKey })
    const form = expectForm(await provider.beginSignIn(config, ctx), 'sign-in')
    expect(form.form.actions.map((action) => action.label)).toContain('Continue with Keycloak')
    const browser = (await form.submit('oauth:keycloak', {})) as BrowserSignIn
    expect(browser.kind).toBe('browser')
    const url = new URL(browser.url)
    expect(url.pathname).toBe('/authorize')
    expect(url.searchParams.get('provider')).toBe('keycloak')
    expect(url.searchParams.get('code_challenge_method')).toBe('s256')
    expect(new URL(url.searchParams.get('redirect_to') ?? '').pathname).toMatch(/^\/supabase\/[\w-]{20,}$/)
    const alice = idp.users[0] ?? { id: '', password: '', email: '' }
    await completeBrowserLogin(browser.url, { login: alice.id, password: alice.password })
    const signedIn = (await browser.result) as SignedIn
    expect(signedIn.identity.email).toBe(alice.email)
    expect(signedIn.profile.sign_in_methods).toBe('keycloak')
    for (const token of [signedIn.session.accessToken, signedIn.session.refreshToken ?? '']) expect(logger.lines.join('\n')).not.toContain(token)
  })
})
