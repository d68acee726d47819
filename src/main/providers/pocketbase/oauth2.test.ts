import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { completeBrowserLogin } from '../../../dev/browser-login.ts'
import { startOidcServer } from '../../../dev/oidc-server.ts'
import type { OidcServer } from '../../../dev/oidc-server.ts'
import type { BrowserSignIn, FormSignIn, SignInStart } from '../../core/provider.ts'
import type { SignedIn } from '../../core/sessions/session.ts'
import { ALICE, bosBaseOnly, CAROL, expectDone, expectForm, failure, firstForm, leakedSecrets, REAL_POCKETBASE, startHarness } from './test-harness.ts'
import type { Harness } from './test-harness.ts'

/** A real PocketBase names its generic OpenID Connect provider `oidc`; the emulator takes any name. */
const PROVIDER = REAL_POCKETBASE ? 'oidc' : 'example'
/**
 * Registered at the provider as PocketBase tells administrators to: the server's own
 * /api/oauth2-redirect (this OpenID Connect server lets a loopback redirect take any port), and
 * nothing on this computer.
 */
const CLIENT = { client_id: 'pocketbase', client_secret: 'pocketbase-client-secret-1', redirect_uris: ['http://127.0.0.1/api/oauth2-redirect'] }
/** Registered only with a loopback redirect on this computer, as for an account set to send the browser back here. */
const LOOPBACK_CLIENT = { client_id: 'pocketbase-loopback', client_secret: 'pocketbase-loopback-secret-1', redirect_uris: ['http://127.0.0.1/callback'] }
const OIDC_USERS = [
  { id: 'alice', password: 'wonderland', name: 'Alice Liddell', email: ALICE.email },
  { id: 'carol', password: 'carol-upstream-1', name: 'Carol', email: CAROL.email },
]

let oidc: OidcServer
let harness: Harness
beforeAll(async () => {
  oidc = await startOidcServer({ users: OIDC_USERS, extraClients: [CLIENT, LOOPBACK_CLIENT] })
  harness = await startHarness({
    upstream: { issuer: oidc.issuer, clientId: CLIENT.client_id, clientSecret: CLIENT.client_secret, name: PROVIDER, displayName: 'Example ID' },
  })
  for (const secret of [CLIENT.client_secret, LOOPBACK_CLIENT.client_secret, ...OIDC_USERS.map((user) => user.password)]) harness.secrets.add(secret)
})
afterAll(async () => {
  for (const token of oidc.issuedTokens()) harness.secrets.add(token)
  expect(leakedSecrets(harness)).toEqual([])
  await harness.stop()
  await oidc.stop()
})

function expectBrowser(start: SignInStart): BrowserSignIn {
  if (start.kind !== 'browser') throw new Error(`expected the browser, got ${start.kind}`)
  start.result.catch(() => undefined)
  return start
}

async function browserFrom(form: FormSignIn): Promise<BrowserSignIn> {
  return expectBrowser(await form.submit(`oauth2:${PROVIDER}`, {}))
}

describe('PocketBase OAuth2 sign-in in the browser', () => {
  it('offers one button per provider, next to the other methods', async () => {
    const form = await firstForm(harness)
    expect(form.form.actions.at(-1)).toEqual({ id: `oauth2:${PROVIDER}`, label: 'Continue with Example ID', fields: [] })
  })

  it('signs in through the provider and the server’s own redirect, which forwards the answer to Latchkey', async () => {
    const browser = await browserFrom(await firstForm(harness))
    const url = new URL(browser.url)
    expect(url.origin).toBe(oidc.issuer)
    expect(url.searchParams.get('client_id')).toBe(CLIENT.client_id)
    expect(url.searchParams.get('code_challenge_method')).toBe('S256')
    expect(url.searchParams.get('redirect_uri')).toBe(`${harness.emulator.url}/api/oauth2-redirect`)
    // The event stream's client id (40 characters), not the server's 30-character state.
    expect(url.searchParams.get('state')).toMatch(/^\w{40}$/)
    expect(url.searchParams.getAll('state')).toHaveLength(1)
    expect(browser.expiresAt).toBeGreaterThan(Date.now() + 290_000)

    await completeBrowserLogin(browser.url, { login: 'alice', password: 'wonderland' })
    const signedIn = (await browser.result) as SignedIn
    expect(expectDone(signedIn).identity).toEqual({ subject: ALICE.id, name: ALICE.name, email: ALICE.email })
    expect(signedIn.session.tokenType).toBe('PocketBase')
  })

  it('is not disturbed by an answer for another state, and still completes the real one', async () => {
    const browser = await browserFrom(await firstForm(harness))
    const url = new URL(browser.url)
    const redirect = url.searchParams.get('redirect_uri') ?? ''
    // The server sends these to its failure page and forwards nothing.
    expect((await fetch(`${redirect}?code=forged&state=forged`, { redirect: 'manual' })).headers.get('location')).toMatch(/oauth2-redirect-failure$/)
    expect((await fetch(`${redirect}?code=forged`, { redirect: 'manual' })).headers.get('location')).toMatch(/oauth2-redirect-failure$/)
    await completeBrowserLogin(browser.url, { login: 'alice', password: 'wonderland' })
    expect(expectDone((await browser.result) as SignedIn).identity.subject).toBe(ALICE.id)
  })

  it('reports AUTH_DENIED when the person declines at the provider', async () => {
    const browser = await browserFrom(await firstForm(harness))
    await completeBrowserLogin(browser.url, { login: 'alice', password: 'wonderland' }, { deny: true })
    const error = await failure(browser.result)
    expect(error.code).toBe('AUTH_DENIED')
    expect(error.message).toContain('Example ID')
  })

  it('cancels: the result rejects and the server has nobody left to forward the answer to', async () => {
    const browser = await browserFrom(await firstForm(harness))
    browser.cancel()
    expect((await failure(browser.result)).code).toBe('AUTH_CANCELLED')
    const url = new URL(browser.url)
    const redirect = `${url.searchParams.get('redirect_uri') ?? ''}?code=late&state=${url.searchParams.get('state') ?? ''}`
    // The stream is closed: the server no longer knows the client id.
    for (let tries = 0; tries < 50; tries++) {
      const location = (await fetch(redirect, { redirect: 'manual' })).headers.get('location') ?? ''
      if (/oauth2-redirect-failure$/.test(location)) return
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    throw new Error('the server still forwards answers for a cancelled sign-in')
  })

  it('closes a waiting browser step when the whole attempt is cancelled', async () => {
    const form = await firstForm(harness)
    const browser = await browserFrom(form)
    form.cancel()
    expect((await failure(browser.result)).code).toBe('AUTH_CANCELLED')
  })

  it('OAuth2 first under MFA: the browser step leads to a second step with the other methods', async () => {
    const browser = await browserFrom(await firstForm(harness))
    await completeBrowserLogin(browser.url, { login: 'carol', password: 'carol-upstream-1' })
    const mfa = expectForm((await browser.result), 'mfa')
    expect(mfa.form.actions.map((action) => action.id)).toEqual(['password', 'otp-request'])
    expect(expectDone(await mfa.submit('password', { identity: CAROL.email, password: CAROL.password })).identity.subject).toBe(CAROL.id)
  })

  it('password first under MFA, then OAuth2 as the second step', async () => {
    const mfa = expectForm(await (await firstForm(harness)).submit('password', { identity: CAROL.email, password: CAROL.password }), 'mfa')
    expect(mfa.form.actions.map((action) => action.id)).toEqual(['otp-request', `oauth2:${PROVIDER}`])
    const browser = await browserFrom(mfa)
    await completeBrowserLogin(browser.url, { login: 'carol', password: 'carol-upstream-1' })
    expect(expectDone((await browser.result) as SignedIn).identity.email).toBe(CAROL.email)
  })
})

bosBaseOnly.describe('BosBase OAuth2 sign-in', () => {
  it('goes through the server’s redirect too, which BosBase needs named in the exchange', async () => {
    const browser = await browserFrom(await firstForm(harness))
    expect(new URL(browser.url).searchParams.get('redirect_uri')).toBe(`${harness.emulator.url}/api/oauth2-redirect`)
    await completeBrowserLogin(browser.url, { login: 'alice', password: 'wonderland' })
    const signedIn = expectDone(await browser.result)
    expect(signedIn.identity.email).toBe(ALICE.email)
    expect(signedIn.session.isStatic).toBe(true)
  })
})

describe('PocketBase OAuth2 sent back to this computer (the account’s OAuth2 redirect setting)', () => {
  it('signs in through a loopback receiver with Latchkey’s own state, for a provider registered that way', async () => {
    const loopback = await startHarness({
      upstream: { issuer: oidc.issuer, clientId: LOOPBACK_CLIENT.client_id, clientSecret: LOOPBACK_CLIENT.client_secret, name: PROVIDER, displayName: 'Example ID' },
    })
    try {
      const config = loopback.provider.parseConfig({ url: loopback.emulator.url, oauth2Redirect: 'To this computer' })
      expect(config.oauth2Redirect).toBe('loopback')
      const browser = expectBrowser(await (await firstForm(loopback, config)).submit(`oauth2:${PROVIDER}`, {}))
      const url = new URL(browser.url)
      expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/)
      expect(url.searchParams.get('state')).toMatch(/^[\w-]{32}$/)
      // An answer with another state is not taken; the real one still completes.
      expect((await fetch(`${url.searchParams.get('redirect_uri') ?? ''}?code=forged&state=forged`)).status).toBe(400)
      await completeBrowserLogin(browser.url, { login: 'alice', password: 'wonderland' })
      expect(expectDone((await browser.result) as SignedIn).identity.email).toBe(ALICE.email)

      // The default still goes through the server, which this provider refuses: the setting is what makes it work.
      const viaServer = expectBrowser(await (await firstForm(loopback)).submit(`oauth2:${PROVIDER}`, {}))
      expect(new URL(viaServer.url).searchParams.get('redirect_uri')).toBe(`${loopback.emulator.url}/api/oauth2-redirect`)
      viaServer.cancel()
    } finally {
      await loopback.stop()
    }
  })

  it('takes only the two ways back it names', () => {
    expect(harness.provider.parseConfig({ url: harness.emulator.url, oauth2Redirect: 'through the server' })).not.toHaveProperty('oauth2Redirect')
    expect(() => harness.provider.parseConfig({ url: harness.emulator.url, oauth2Redirect: 'loopback please' })).toThrow(/“through the server” or “to this computer”/)
  })
})

describe('PocketBase with OAuth2 only', () => {
  it('shows the provider buttons and nothing else', async () => {
    const only = await startHarness({
      methods: { password: false, otp: false, mfa: false, oauth2: true },
      upstream: { issuer: oidc.issuer, clientId: CLIENT.client_id, clientSecret: CLIENT.client_secret, name: PROVIDER, displayName: 'Example ID' },
    })
    try {
      const form = await firstForm(only)
      expect(form.form).toMatchObject({ id: 'oauth2', fields: [], actions: [{ id: `oauth2:${PROVIDER}`, label: 'Continue with Example ID', fields: [] }] })
    } finally {
      await only.stop()
    }
  })
})
