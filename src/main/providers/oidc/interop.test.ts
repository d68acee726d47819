import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import { completeBrowserLogin } from '../../../dev/browser-login.ts'
import { RefreshRejectedError } from '../../core/errors.ts'
import { FakeClock } from '../../core/testing/fake-clock.ts'
import { boot, world } from '../../core/testing/harness.ts'
import { beginInterop, INTEROP_TARGETS, interopFailure, interopLeaks, rememberSession, reportSkippedTargets, signInAs, useInteropTarget, userinfoStatus } from './interop-targets.ts'

/** The standard claims about the person (OpenID Connect Core §5.1). */
const STANDARD_CLAIMS = new Set(['sub', 'name', 'given_name', 'family_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture', 'website', 'email', 'email_verified', 'gender', 'birthdate', 'zoneinfo', 'locale', 'phone_number', 'phone_number_verified', 'address', 'updated_at'])


reportSkippedTargets()

describe.each(INTEROP_TARGETS)('OpenID Connect against a real $name', (target) => {
  const harness = useInteropTarget(target)

  it('signs in through the login and consent pages with PKCE, checks the ID token and reads the claims', async () => {
    const before = Date.now()
    const { alice } = harness.server
    const { session, identity, profile } = await signInAs(harness, alice)
    expect(identity).toEqual({ subject: alice.subject, name: alice.name, email: alice.email })
    expect(profile).toMatchObject({ name: alice.name, email: alice.email })
    // Only claims about the person: none of the server's protocol claims (Hydra's `rat`, the time the sign-in was asked for).
    expect(Object.keys(profile).filter((claim) => !STANDARD_CLAIMS.has(claim))).toEqual([])
    expect(session.refreshToken).not.toBeNull()
    expect(session.expiresAt).toBeGreaterThan(before)
    expect(decodeJwt(session.idToken ?? '')).toMatchObject({ iss: harness.server.issuer, sub: alice.subject })
    expect(await harness.server.refreshTokenIsActive(session.refreshToken ?? '')).toBe(true)
    expect(interopLeaks(harness, JSON.stringify(profile))).toEqual([])
  })

  it('asks with PKCE S256, state and nonce', async () => {
    const attempt = await beginInterop(harness)
    attempt.cancel()
    const params = new URL(attempt.url).searchParams
    expect(params.get('code_challenge_method')).toBe('S256')
    expect(params.get('code_challenge')).toMatch(/^[\w-]{43}$/)
    expect(params.get('state')).toBeTruthy()
    expect(params.get('nonce')).toBeTruthy()
  })

  it('renews the session with a rotated refresh token, and the old one is spent', async () => {
    const { session } = await signInAs(harness, harness.server.alice)
    const { session: next } = await harness.provider.refresh(harness.config, session, harness.ctx)
    rememberSession(harness, next)
    expect(next.accessToken).not.toBe(session.accessToken)
    expect(next.refreshToken).not.toBeNull()
    expect(next.refreshToken).not.toBe(session.refreshToken)
    expect(next.idToken).not.toBeNull()
    expect(await harness.server.refreshTokenIsActive(next.refreshToken ?? '')).toBe(true)
    expect(await harness.server.refreshTokenIsActive(session.refreshToken ?? '')).toBe(false)
  })

  it('refuses a reused refresh token, so the account asks for a new sign-in', async () => {
    const { session } = await signInAs(harness, harness.server.alice)
    const { session: next } = await harness.provider.refresh(harness.config, session, harness.ctx)
    rememberSession(harness, next)
    expect(await interopFailure(harness, harness.provider.refresh(harness.config, session, harness.ctx))).toBeInstanceOf(RefreshRejectedError)
    const newer = harness.provider.refresh(harness.config, next, harness.ctx)
    if (target.traits.reuseEndsNewerToken) {
      expect(await interopFailure(harness, newer)).toBeInstanceOf(RefreshRejectedError)
    } else {
      rememberSession(harness, (await newer).session)
    }
  })

  it('refuses a refresh after the server ended the person\'s sessions, so the account asks for a new sign-in', async () => {
    const { bob } = harness.server
    const { session } = await signInAs(harness, bob)
    await harness.server.revokeAllFor(bob)
    expect(await interopFailure(harness, harness.provider.refresh(harness.config, session, harness.ctx))).toBeInstanceOf(RefreshRejectedError)
  })

  it('marks the account as needing a new sign-in when the server has ended its session', async () => {
    const { bob } = harness.server
    const w = world()
    w.clock = new FakeClock(Date.now())
    const { latchkey } = boot(w, { providers: [harness.provider] })
    try {
      await latchkey.loadSecrets()
      const step = await latchkey.beginSignIn('oidc', { issuer: harness.server.issuer, clientId: harness.server.clientId })
      if (step.kind !== 'browser') throw new Error('expected a browser step')
      await completeBrowserLogin(w.opened[0] ?? '', bob)
      const done = await latchkey.completeSignIn(step.attemptId)
      if (done.kind !== 'done') throw new Error('expected a signed-in account')
      expect(done.account).toMatchObject({ status: 'signed-in' })
      await harness.server.revokeAllFor(bob)
      await expect(latchkey.refresh(done.account.id)).rejects.toBeInstanceOf(RefreshRejectedError)
      expect(latchkey.summary(done.account.id)).toMatchObject({ status: 'needs-attention', attention: { reason: 'refresh-rejected' } })
      expect(interopLeaks(harness, ...w.logger.lines)).toEqual([])
    } finally {
      latchkey.dispose()
    }
  })

  it('signs out: revokes the refresh token and the access token handed out, and offers an end-session URL the server accepts', async () => {
    const { session } = await signInAs(harness, harness.server.alice)
    const userinfo = (): Promise<number> => userinfoStatus(harness, session.accessToken)
    expect(await userinfo()).toBe(200)
    const outcome = await harness.provider.signOut(harness.config, session, harness.ctx)
    expect(outcome.revokedOnServer).toBe(true)
    expect(await harness.server.refreshTokenIsActive(session.refreshToken ?? '')).toBe(false)
    // A tool that was handed the access token loses access too (RFC 7009 §2.1: the server SHOULD end the grant's access tokens).
    // RFC 6750 §3.1 says 401; zitadel/oidc answers 403 for a token its storage no longer holds (pkg/op/userinfo.go).
    expect(await userinfo()).toBe(target.traits.revokedTokenStatus)
    expect(await interopFailure(harness, harness.provider.refresh(harness.config, session, harness.ctx))).toBeInstanceOf(RefreshRejectedError)
    expect(interopLeaks(harness, outcome.message, outcome.endSessionUrl ?? '')).toEqual([])
    if (target.traits.endSessionByClientId) {
      const endSession = new URL(outcome.endSessionUrl ?? '')
      expect(endSession.searchParams.get('client_id')).toBe(harness.server.clientId)
      const page = await fetch(endSession, { redirect: 'manual' })
      await page.text()
      expect(page.status === 200 || (page.status >= 300 && page.status < 400)).toBe(true)
    }
  })

  it('signs in another account with the login asked for again', async () => {
    const { bob } = harness.server
    const start = await beginInterop(harness, harness.config, 'another-account')
    expect(new URL(start.url).searchParams.get('prompt')).toMatch(/^(login|select_account) consent$/)
    await completeBrowserLogin(start.url, bob)
    const signedIn = await start.result
    expect(signedIn.identity).toEqual({ subject: bob.subject, name: bob.name, email: bob.email })
  })

  it.runIf(target.traits.consentPage)('reports AUTH_DENIED when the person denies consent', async () => {
    const attempt = await beginInterop(harness)
    await completeBrowserLogin(attempt.url, harness.server.bob, { deny: true })
    const error = await interopFailure(harness, attempt.result)
    expect(error.code).toBe('AUTH_DENIED')
    expect(error.message).toBe(`You declined the sign-in at ${new URL(harness.server.issuer).host}.`)
  })

  it('keeps the person on the login page after a wrong password, and signs in with the right one', async () => {
    const { alice } = harness.server
    const attempt = await beginInterop(harness)
    await expect(completeBrowserLogin(attempt.url, { login: alice.login, password: 'not-the-password' })).rejects.toThrow('rejected the username or password')
    await completeBrowserLogin(attempt.url, alice)
    expect((await attempt.result).identity.subject).toBe(alice.subject)
  })
})
