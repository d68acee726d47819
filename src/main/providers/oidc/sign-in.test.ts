import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { completeBrowserLogin } from '../../../dev/browser-login.ts'
import { ALICE, beginBrowser, leakedSecrets, remember, signIn, startHarness } from '../../../dev/oidc/provider-harness.ts'
import { getWithHost } from '../../../dev/raw-get.ts'
import type { Harness } from '../../../dev/oidc/provider-harness.ts'
import { startQuirkyIdp } from '../../../dev/oidc/quirky-idp.ts'
import { AppError } from '../../core/errors.ts'
import type { BackendConfig, SignInPurpose } from '../../core/provider.ts'
import type { SignedIn } from '../../core/sessions/session.ts'
import { FakeClock } from '../../core/testing/fake-clock.ts'
import { createOidcProvider } from './provider.ts'

let harness: Harness
beforeAll(async () => {
  harness = await startHarness()
})
afterAll(async () => {
  expect(leakedSecrets(harness)).toEqual([])
  await harness.stop()
})

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error: unknown = await promise.then(
    () => expect.fail('expected the sign-in to fail'),
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

describe('OpenID Connect sign-in against a real oidc-provider', () => {
  it('signs in through the browser and fills the session, identity and profile', async () => {
    const before = Date.now()
    const signedIn = await signIn(harness)
    const { session, identity, profile } = signedIn
    expect(identity).toEqual({ subject: 'alice', name: 'Alice Liddell', email: 'alice@example.test' })
    expect(profile).toMatchObject({ name: 'Alice Liddell', email: 'alice@example.test', preferred_username: 'alice', email_verified: { kind: 'yes-no', value: 'true' } })
    // updated_at, seconds since the epoch on the wire, is a time.
    expect(profile.updated_at).toEqual({ kind: 'time', value: '2025-12-05T17:10:36.000Z' })
    expect(session.accessToken).not.toBe('')
    expect(session.refreshToken).not.toBeNull()
    expect(session.scopes).toEqual(expect.arrayContaining(['openid', 'offline_access']))
    expect(session.expiresAt).toBeGreaterThanOrEqual(before + 3_500_000)
    const idClaims = decodeJwt(session.idToken ?? '')
    expect(idClaims).toMatchObject({ iss: harness.server.issuer, aud: harness.server.clientId, sub: 'alice' })
    expect(await harness.server.refreshTokenIsActive(session.refreshToken ?? '')).toBe(true)
    expect(harness.logger.entries.map((entry) => entry.event)).toEqual(expect.arrayContaining(['oidc.signin.started', 'oidc.signin.completed']))
    expect(leakedSecrets(harness, JSON.stringify(profile))).toEqual([])
  })

  it('opens an authorization URL with PKCE S256, state, nonce and consent for offline access', async () => {
    const attempt = await beginBrowser(harness)
    attempt.cancel()
    const url = new URL(attempt.url)
    expect(url.origin + url.pathname).toBe(`${harness.server.issuer}/auth`)
    expect(url.searchParams.get('code_challenge_method')).toBe('S256')
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/)
    expect(url.searchParams.get('state')).toBeTruthy()
    expect(url.searchParams.get('nonce')).toBeTruthy()
    expect(url.searchParams.get('prompt')).toBe('consent')
    expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/)
    await failure(attempt.result)
  })

  it('reports AUTH_DENIED when the person denies access', async () => {
    const attempt = await beginBrowser(harness)
    await completeBrowserLogin(attempt.url, { login: 'bob', password: 'canwefixit' }, { deny: true })
    const error = await failure(attempt.result)
    expect(error.code).toBe('AUTH_DENIED')
    expect(error.message).toBe(`You declined the sign-in at ${new URL(harness.server.issuer).host}.`)
  })

  it('ignores a redirect with a wrong or missing state or another Host (400) and still completes the real one', async () => {
    const attempt = await beginBrowser(harness)
    const url = new URL(attempt.url)
    const redirectUri = url.searchParams.get('redirect_uri') ?? ''
    const iss = encodeURIComponent(harness.server.issuer)
    expect((await fetch(`${redirectUri}?code=forged&state=forged&iss=${iss}`)).status).toBe(400)
    expect((await fetch(`${redirectUri}?code=forged&iss=${iss}`)).status).toBe(400)
    const state = url.searchParams.get('state') ?? ''
    expect(await getWithHost(`${redirectUri}?code=forged&state=${state}&iss=${iss}`, `localhost:${new URL(redirectUri).port}`)).toBe(400)
    await completeBrowserLogin(attempt.url, ALICE)
    const signedIn = await attempt.result
    remember(harness, signedIn.session)
    expect(signedIn.identity.subject).toBe('alice')
  })

  it('reports AUTH_FAILED for an answer from another issuer (RFC 9207 mix-up)', async () => {
    const attempt = await beginBrowser(harness)
    const url = new URL(attempt.url)
    const back = new URL(url.searchParams.get('redirect_uri') ?? '')
    back.search = new URLSearchParams({ code: 'x', state: url.searchParams.get('state') ?? '', iss: 'https://evil.example' }).toString()
    await fetch(back)
    expect((await failure(attempt.result)).code).toBe('AUTH_FAILED')
  })

  it('reports AUTH_TIMEOUT when the browser step is not finished in time', async () => {
    const clock = new FakeClock()
    const provider = createOidcProvider({ signInTimeoutMs: 120_000 })
    const start = await provider.beginSignIn(harness.config, { clock, logger: harness.logger })
    if (start.kind !== 'browser') throw new Error('expected a browser sign-in')
    expect(start.expiresAt).toBe(clock.now() + 120_000)
    await clock.advance(120_000)
    const error = await failure(start.result)
    expect(error.code).toBe('AUTH_TIMEOUT')
    expect(error.message).toBe('The browser sign-in was not completed within 2 minutes.')
  })

  it('reports AUTH_CANCELLED after cancel and stops listening', async () => {
    const attempt = await beginBrowser(harness)
    attempt.cancel()
    expect((await failure(attempt.result)).code).toBe('AUTH_CANCELLED')
    const redirectUri = new URL(attempt.url).searchParams.get('redirect_uri') ?? ''
    await expect(fetch(redirectUri)).rejects.toThrow()
  })

  it('uses a pinned redirect port and path, and says when the port is taken', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as AddressInfo).port
    const pinned = harness.provider.parseConfig({
      issuer: harness.server.issuer,
      clientId: harness.server.clientId,
      redirectPort: String(port),
    })
    const error = await failure(harness.provider.beginSignIn(pinned, harness.ctx))
    expect(error.code).toBe('PORT_IN_USE')
    expect(error.message).toContain(String(port))
    await new Promise((resolve) => blocker.close(resolve))

    const attempt = await beginBrowser(harness, { ...pinned, redirectPath: '/callback' })
    expect(new URL(attempt.url).searchParams.get('redirect_uri')).toBe(`http://127.0.0.1:${String(port)}/callback`)
    await completeBrowserLogin(attempt.url, { login: 'alice', password: 'wonderland' })
    expect((await attempt.result).identity.subject).toBe('alice')
  })
})

describe('the prompt: consent only for a refresh token, a choice of account for another account', () => {
  const promptOf = async (config: BackendConfig, purpose: SignInPurpose): Promise<string | null> => {
    const start = await harness.provider.beginSignIn(config, harness.ctx, { purpose })
    if (start.kind !== 'browser') throw new Error('expected a browser sign-in')
    start.result.catch(() => undefined)
    start.cancel()
    return new URL(start.url).searchParams.get('prompt')
  }

  it('asks for consent only with offline_access, and never when the settings say so', async () => {
    expect(await promptOf(harness.config, 'again')).toBe('consent')
    const noOffline = harness.provider.parseConfig({ issuer: harness.server.issuer, clientId: harness.server.clientId, scopes: 'openid profile email' })
    expect(await promptOf(noOffline, 'first')).toBeNull()
    const never = harness.provider.parseConfig({ issuer: harness.server.issuer, clientId: harness.server.clientId, consent: 'Never' })
    expect(never.consent).toBe('never')
    expect(await promptOf(never, 'first')).toBeNull()
    expect(harness.provider.parseConfig({ issuer: harness.server.issuer, clientId: 'x', consent: 'when needed' })).not.toHaveProperty('consent')
    expect(() => harness.provider.parseConfig({ issuer: harness.server.issuer, clientId: 'x', consent: 'sometimes' })).toThrow(/“when needed” or “never”/)
  })

  it('signs in without consent when told to (oidc-provider then issues no refresh token)', async () => {
    const never = harness.provider.parseConfig({ issuer: harness.server.issuer, clientId: harness.server.clientId, consent: 'never' })
    const attempt = await beginBrowser(harness, never)
    await completeBrowserLogin(attempt.url, ALICE)
    const signedIn = await attempt.result
    remember(harness, signedIn.session)
    expect(signedIn.identity.subject).toBe('alice')
    expect(signedIn.session.refreshToken).toBeNull()
  })

  it('asks oidc-provider (no select_account) to log in again for another account, and it signs in', async () => {
    const start = await harness.provider.beginSignIn(harness.config, harness.ctx, { purpose: 'another-account' })
    if (start.kind !== 'browser') throw new Error('expected a browser sign-in')
    expect(new URL(start.url).searchParams.get('prompt')).toBe('login consent')
    await completeBrowserLogin(start.url, { login: 'bob', password: 'canwefixit' })
    const signedIn = await start.result
    if ('kind' in signedIn) throw new Error('expected a session')
    remember(harness, signedIn.session)
    expect(signedIn.identity.subject).toBe('bob')
  })

  it('asks for select_account where the server lists it, and login where it lists other prompts', async () => {
    const choosing = await startQuirkyIdp({ promptValues: ['none', 'login', 'consent', 'select_account'] })
    const notChoosing = await startQuirkyIdp({ promptValues: ['none', 'login', 'consent'] })
    try {
      const configFor = (issuer: string): BackendConfig => harness.provider.parseConfig({ issuer, clientId: 'quirky' })
      expect(await promptOf(configFor(choosing.issuer), 'another-account')).toBe('select_account consent')
      expect(await promptOf(configFor(choosing.issuer), 'first')).toBe('consent')
      expect(await promptOf(configFor(notChoosing.issuer), 'another-account')).toBe('login consent')
    } finally {
      await choosing.stop()
      await notChoosing.stop()
    }
  })
})

describe('OpenID Connect sign-in against servers that misbehave', () => {
  it('reports DISCOVERY_FAILED for a URL that is not an OpenID Connect issuer', async () => {
    const notOidc = await startQuirkyIdp({ discovery: false })
    try {
      const config = harness.provider.parseConfig({ issuer: notOidc.issuer, clientId: 'x' })
      const error = await failure(harness.provider.beginSignIn(config, harness.ctx))
      expect(error.code).toBe('DISCOVERY_FAILED')
      expect(error.message).toContain('does not look like an OpenID Connect issuer')
    } finally {
      await notOidc.stop()
    }
  })

  it('names the issuer the server gives when it is not the one typed, and explains a multi-tenant pattern', async () => {
    const elsewhere = await startQuirkyIdp({ advertisedIssuer: 'https://id.example.com/realms/main' })
    const template = await startQuirkyIdp({ advertisedIssuer: 'https://login.example.com/{tenantid}/v2.0' })
    try {
      const mismatch = await failure(harness.provider.beginSignIn(harness.provider.parseConfig({ issuer: elsewhere.issuer, clientId: 'x' }), harness.ctx))
      expect(mismatch.code).toBe('DISCOVERY_FAILED')
      expect(mismatch.message).toContain('names its issuer "https://id.example.com/realms/main"')
      expect(mismatch.message).toContain('Use exactly its issuer')
      const multi = await failure(harness.provider.beginSignIn(harness.provider.parseConfig({ issuer: template.issuer, clientId: 'x' }), harness.ctx))
      expect(multi.code).toBe('DISCOVERY_FAILED')
      expect(multi.message).toContain('is a multi-tenant address')
      expect(multi.message).toContain('with its ID in place of the part in braces')
    } finally {
      await elsewhere.stop()
      await template.stop()
    }
  })

  it('reports DISCOVERY_FAILED for an issuer that cannot be reached', async () => {
    const gone = await startQuirkyIdp()
    await gone.stop()
    const config = harness.provider.parseConfig({ issuer: gone.issuer, clientId: 'x' })
    const error = await failure(harness.provider.beginSignIn(config, harness.ctx))
    expect(error.code).toBe('DISCOVERY_FAILED')
    expect(error.message).toContain('Could not reach')
  })

  it('reports AUTH_CANCELLED for a cancel while the code is being exchanged', async () => {
    const idp = await startQuirkyIdp()
    try {
      idp.token = { status: 500, delayMs: 300 }
      const config = harness.provider.parseConfig({ issuer: idp.issuer, clientId: 'quirky' })
      const start = await harness.provider.beginSignIn(config, harness.ctx)
      if (start.kind !== 'browser') throw new Error('expected a browser sign-in')
      await fetch(start.url)
      start.cancel()
      expect((await failure(start.result)).code).toBe('AUTH_CANCELLED')
    } finally {
      await idp.stop()
    }
  })

  it('validates the ID token (nonce, audience) and names a non-standard code error', async () => {
    const idp = await startQuirkyIdp()
    try {
      const config = harness.provider.parseConfig({ issuer: idp.issuer, clientId: 'quirky' })
      const answerWith = (nonce: string | null, audience = 'quirky'): void => {
        const now = Math.floor(Date.now() / 1000)
        const claims = { iss: idp.issuer, aud: audience, sub: 'u1', iat: now, exp: now + 60, nonce, name: 'Quirky User' }
        const idToken = `${b64({ alg: 'RS256' })}.${b64(claims)}.c2lnbmF0dXJl`
        idp.token = { status: 200, body: JSON.stringify({ access_token: 'quirky-at', token_type: 'Bearer', id_token: idToken }) }
      }
      // Starts a sign-in, lets `prepare` set the token answer, follows the redirect; the result stays pending.
      const attempt = async (prepare: (nonce: string | null) => void): Promise<{ result: Promise<SignedIn> }> => {
        const start = await beginBrowser(harness, config)
        prepare(new URL(start.url).searchParams.get('nonce'))
        await fetch(start.url)
        return { result: start.result }
      }

      const accepted = await (await attempt((nonce) => answerWith(nonce))).result
      expect(accepted.identity).toMatchObject({ subject: 'u1', name: 'Quirky User' })
      expect(idp.tokenRequests[0]?.get('code_verifier')).toMatch(/^[\w-]{43}$/)
      expect((await failure((await attempt(() => answerWith('not-the-one'))).result)).message).toContain('nonce')
      expect((await failure((await attempt((nonce) => answerWith(nonce, 'someone-else'))).result)).message).toContain('aud')

      idp.token = { status: 403, body: JSON.stringify({ error: 'code_already_used' }) }
      const error = await failure((await attempt(() => undefined)).result)
      expect(error.code).toBe('AUTH_FAILED')
      expect(error.message).toContain('code_already_used')
      expect(error.message).not.toContain('quirky-at')

      // A rate limit on the token endpoint is not a refusal: the person is told when to try again.
      for (const body of [JSON.stringify({ error: 'too_many_requests' }), undefined]) {
        const before = Date.now()
        idp.token = { status: 429, headers: { 'retry-after': '90' }, ...(body === undefined ? {} : { body }) }
        const limited = await failure((await attempt(() => undefined)).result)
        expect(limited.code).toBe('RATE_LIMITED')
        expect(limited.message).toContain('slow down')
        expect(limited.retryAt).toBeGreaterThanOrEqual(before + 90_000)
      }
    } finally {
      await idp.stop()
    }
  })
})

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}
