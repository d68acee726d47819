/**
 * OAuth through Supabase Auth's Keycloak provider, pointed at a real OpenID Connect server
 * (oidc-provider) mounted at Keycloak's paths: Latchkey → /authorize (PKCE) → the identity
 * provider's login and consent → Supabase Auth's /callback → Latchkey's loopback nonce path → the
 * PKCE code exchange; and linking that identity to an account that signed in with a password
 * (manual linking), then unlinking it. On the emulator and, where it runs, the real server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { completeBrowserLogin } from '../../../dev/browser-login.ts'
import { startOidcServer } from '../../../dev/oidc-server.ts'
import type { OidcServer } from '../../../dev/oidc-server.ts'
import type { BrowserSignIn } from '../../core/provider.ts'
import type { SignedIn } from '../../core/sessions/session.ts'
import { supabaseActions } from './actions.ts'
import { runSupabaseAction } from './run-action.ts'
import { failure, firstForm, leaked, remember, signInWithPassword, TARGETS, useTarget } from './test-targets.ts'

const KEYCLOAK_CLIENT = {
  client_id: 'supabase-auth',
  client_secret: 'supabase-auth-keycloak-secret-for-tests',
  client_name: 'Supabase Auth',
  redirect_uris: ['http://127.0.0.1/callback'],
  token_endpoint_auth_method: 'client_secret_basic',
} as const

describe.each(TARGETS)('Supabase sign-in with an OAuth provider (Keycloak-shaped OpenID Connect server) on the $name', (target) => {
  let idp: OidcServer
  beforeAll(async () => {
    idp = await startOidcServer({ keycloakRealm: 'latchkey', extraClients: [KEYCLOAK_CLIENT] })
  })
  afterAll(async () => {
    await idp.stop()
  })
  const harness = useTarget(target, () => ({ keycloak: { url: idp.issuer, clientId: KEYCLOAK_CLIENT.client_id, secret: KEYCLOAK_CLIENT.client_secret } }))

  const person = (index: number) => () => idp.users[index] ?? { id: '', password: '', email: '' }
  const [alice, bob] = [person(0), person(1)]

  async function startKeycloak(): Promise<BrowserSignIn> {
    const form = await firstForm(harness)
    expect(form.form.actions.map((action) => action.label)).toContain('Continue with Keycloak')
    const browser = (await form.submit('oauth:keycloak', {})) as BrowserSignIn
    expect(browser.kind).toBe('browser')
    return browser
  }

  it('offers “Continue with Keycloak” and signs in through the browser and the loopback', async () => {
    const browser = await startKeycloak()
    const url = new URL(browser.url)
    expect(url.pathname).toBe('/authorize')
    expect(url.searchParams.get('provider')).toBe('keycloak')
    expect(url.searchParams.get('code_challenge_method')).toBe('s256')
    expect(new URL(url.searchParams.get('redirect_to') ?? '').pathname).toMatch(/^\/supabase\/[\w-]{20,}$/)
    // The server sends the browser on to the realm's authorization endpoint, its flow state as `state`.
    const hop = await fetch(browser.url, { redirect: 'manual' })
    expect(hop.status).toBe(302)
    const atProvider = new URL(hop.headers.get('location') ?? '')
    expect(atProvider.pathname).toBe('/realms/latchkey/protocol/openid-connect/auth')
    expect(atProvider.searchParams.get('redirect_uri')).toBe(`${harness.server.url}/callback`)
    expect(atProvider.searchParams.get('state')).toMatch(/^[0-9a-f-]{36}$/)
    await completeBrowserLogin(browser.url, { login: alice().id, password: alice().password })
    const signedIn = remember(harness, (await browser.result) as SignedIn)
    expect(signedIn.identity.email).toBe(alice().email)
    expect(signedIn.profile.sign_in_methods).toBe('keycloak')
    expect(signedIn.profile.assurance_level).toContain('oauth')
    // user_metadata is the provider's claims as Supabase Auth's Keycloak provider maps them.
    const me = (await (await fetch(`${harness.server.url}/user`, { headers: { apikey: harness.server.anonKey, authorization: `Bearer ${signedIn.session.accessToken}` } })).json()) as { user_metadata: unknown }
    expect(me.user_metadata).toEqual({
      iss: idp.issuer,
      sub: alice().id,
      provider_id: alice().id,
      name: signedIn.identity.name,
      full_name: signedIn.identity.name,
      email: alice().email,
      email_verified: true,
      phone_verified: false,
      custom_claims: expect.objectContaining({ given_name: 'Alice', family_name: 'Liddell', preferred_username: alice().id }),
    })
    expect(leaked(harness)).toEqual([])
  })

  it('a second sign-in with the same Keycloak identity is the same account', async () => {
    const first = await startKeycloak()
    await completeBrowserLogin(first.url, { login: alice().id, password: alice().password })
    const again = await startKeycloak()
    await completeBrowserLogin(again.url, { login: alice().id, password: alice().password })
    const [one, two] = [remember(harness, (await first.result) as SignedIn), remember(harness, (await again.result) as SignedIn)]
    expect(two.identity.subject).toBe(one.identity.subject)
  })

  it('a /callback without a usable state goes back to the site with the server’s error', async () => {
    const answer = await fetch(`${harness.server.url}/callback?state=not-a-flow-state&code=x`, { redirect: 'manual' })
    expect(answer.status).toBe(303)
    const back = new URL(answer.headers.get('location') ?? '')
    expect(back.searchParams.get('error_code')).toBe('bad_oauth_state')
    expect(back.searchParams.get('error')).toBe('invalid_request')
  })

  it('links a Keycloak identity to a password account in the browser, lists it, then unlinks it', async () => {
    const person = await harness.person()
    const signedIn = await signInWithPassword(harness, person)
    const account = { config: harness.config, session: signedIn.session, identity: signedIn.identity, label: person.email }
    const before = await supabaseActions(account, harness.ctx)
    const link = before.find((action) => action.id === 'link-identity')
    expect(link?.form.fields[0]?.options).toEqual([{ value: 'keycloak', label: 'Keycloak' }])

    const tooEarly = await runSupabaseAction(account, 'link-identity', 'start', { provider: 'keycloak' }, harness.ctx)
    expect(tooEarly.message).toBe('Sign in with Keycloak in the browser that opened, then press “Finish linking”.')
    // auth-js asks /user/identities/authorize for the URL: the browser goes straight to the realm.
    expect(new URL(tooEarly.openInBrowser ?? '').pathname).toBe('/realms/latchkey/protocol/openid-connect/auth')
    const waiting = await supabaseActions(account, harness.ctx)
    expect(waiting.map((action) => action.id)).toContain('finish-link')
    expect(await failure(runSupabaseAction(account, 'finish-link', 'finish', {}, harness.ctx))).toMatchObject({ code: 'VALIDATION', message: 'Finish signing in with Keycloak in the browser first.' })

    await completeBrowserLogin(tooEarly.openInBrowser ?? '', { login: bob().id, password: bob().password })
    const linked = await runSupabaseAction(account, 'finish-link', 'finish', {}, harness.ctx)
    expect(linked.message).toBe('Keycloak sign-in is linked: you can sign in with it too.')
    expect(linked.profile?.sign_in_methods).toBe('email, keycloak')
    // This session stays the account's session; it still works.
    const after = await supabaseActions(account, harness.ctx)
    const identities = after.find((action) => action.id === 'identities')?.form.fields[0]?.options ?? []
    expect(identities.map((option) => option.label)).toEqual([`Email (${person.email})`, `Keycloak (${bob().email})`])
    expect(after.map((action) => action.id)).not.toContain('link-identity')

    // Signing in with Keycloak as bob now opens the same account.
    const viaKeycloak = await startKeycloak()
    await completeBrowserLogin(viaKeycloak.url, { login: bob().id, password: bob().password })
    expect(remember(harness, (await viaKeycloak.result) as SignedIn).identity.subject).toBe(person.id)

    const keycloak = identities.find((option) => option.label.startsWith('Keycloak'))
    const unlinked = await runSupabaseAction(account, 'identities', 'unlink', { identity: keycloak?.value ?? '' }, harness.ctx)
    expect(unlinked.message).toBe('keycloak sign-in was unlinked.')
    const last = await supabaseActions(account, harness.ctx)
    expect(last.find((action) => action.id === 'identities')?.form.fields[0]?.options?.map((option) => option.label)).toEqual([`Email (${person.email})`])
    expect(leaked(harness, linked.message, JSON.stringify(last))).toEqual([])
  })

  it('linking an identity that already belongs to another account is refused in words a person understands', async () => {
    const person = await harness.person()
    const signedIn = await signInWithPassword(harness, person)
    const account = { config: harness.config, session: signedIn.session, identity: signedIn.identity, label: person.email }
    const started = await runSupabaseAction(account, 'link-identity', 'start', { provider: 'keycloak' }, harness.ctx)
    await completeBrowserLogin(started.openInBrowser ?? '', { login: alice().id, password: alice().password })
    const error = await failure(runSupabaseAction(account, 'finish-link', 'finish', {}, harness.ctx))
    expect(error.message).toContain('Identity is already linked to another user')
  })
})
