import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose'
import { createServer } from 'node:http'
import { describe, expect, it } from 'vitest'
import { startHbpEmulator } from '../../../dev/synmetrix/server.ts'
import { ALICE, BOB, CAROL, CAROL_SECRET, expectDone, expectForm, failure, firstForm, leakedSecrets, signIn, startHarness, totpCode, useHarness } from './test-harness.ts'
import { freePort } from '../../../dev/free-port.ts'
import { refreshTokenCookie } from './login-request.ts'

describe('Synmetrix sign-in against the hasura-backend-plus emulator', () => {
  const harness = useHarness()

  it('signs in with email and password, never in cookie mode, and shows the Hasura claims', async () => {
    const { session, identity, profile } = await signIn(harness, ALICE)
    const account = harness.emulator.account(ALICE.email)
    expect(identity).toEqual({ subject: account?.id, name: 'Alice Liddell', email: ALICE.email })
    expect(harness.emulator.refreshTokensOf(ALICE.email)).toContain(session.refreshToken)
    // 10800 minutes, from the JWT's own exp (jwt_expires_in is the same in milliseconds).
    const claims = decodeJwt(session.accessToken)
    expect(session.expiresAt).toBe((claims.exp ?? 0) * 1000)
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(10800 * 60)
    expect(profile).toMatchObject({ 'User id': account?.id, 'Allowed roles': 'user, analyst', 'Default role': 'user', 'Role for other tools': 'user' })
    expect(profile).not.toHaveProperty('Claims namespace')
  })

  it('refuses a wrong password and an unknown account in words a person understands, the form staying', async () => {
    const form = await firstForm(harness)
    expect((await failure(form.submit('password', { email: ALICE.email, password: 'nope-nope' }))).message).toBe('Wrong email or password.')
    const unknown = await failure(form.submit('password', { email: 'nobody@wonderland.com', password: 'whatever-1' }))
    expect(unknown.message).toBe(`No account on ${new URL(harness.emulator.url).host} uses that email address.`)
    // HBP's e-mail validator does not know .test: said plainly, on the email field.
    const tld = await failure(form.submit('password', { email: 'alice@example.test', password: 'whatever-1' }))
    expect(tld).toMatchObject({ code: 'VALIDATION', field: 'email' })
    expect(tld.message).toMatch(/domain ending/)
    expectDone(await form.submit('password', { email: ALICE.email, password: ALICE.password }))
  })

  it('signs in whatever the letter case of the email typed (HBP looks addresses up as citext)', async () => {
    const { identity } = expectDone(await (await firstForm(harness)).submit('password', { email: 'ALICE@Wonderland.com', password: ALICE.password }))
    expect(identity.email).toBe(ALICE.email)
  })

  it('asks an MFA account for its authenticator code and signs in with it', async () => {
    const form = await firstForm(harness)
    const mfa = expectForm(await form.submit('password', { email: CAROL.email, password: CAROL.password }), 'mfa-code')
    expect(Date.parse(mfa.form.expiresAt ?? '')).toBeGreaterThan(Date.now() + 59 * 60_000)
    const wrong = await failure(mfa.submit('mfa', { code: '000000' === totpCode(harness, CAROL_SECRET) ? '111111' : '000000' }))
    expect(wrong).toMatchObject({ code: 'VALIDATION', field: 'code' })
    expect((await failure(mfa.submit('mfa', { code: '12345' }))).field).toBe('code')
    const { identity } = expectDone(await mfa.submit('mfa', { code: totpCode(harness, CAROL_SECRET) }))
    expect(identity.email).toBe(CAROL.email)
    // The ticket was used up: the same step again goes back to the start.
    expectForm(await mfa.submit('mfa', { code: totpCode(harness, CAROL_SECRET) }), 'password')
  })

  it('emails a sign-in link; the pasted link (or its token) signs in and stops working', async () => {
    const form = await firstForm(harness)
    const paste = expectForm(await form.submit('magic-link', { email: BOB.email }), 'paste-link')
    const mail = harness.emulator.outbox.last(BOB.email, 'magic-link')
    expect(mail?.link).toContain('/auth/magic-link?action=log-in&token=')
    const { session, identity } = expectDone(await paste.submit('use-link', { link: mail?.link ?? '' }))
    expect(identity.email).toBe(BOB.email)
    // Exchanged at once: the emailed token was rotated away; the session's token is a new one.
    expect(session.refreshToken).not.toBe(mail?.token)
    expect(harness.emulator.refreshTokensOf(BOB.email)).not.toContain(mail?.token)
    expect((await failure(paste.submit('use-link', { link: mail?.token ?? '' }))).message).toMatch(/expired or was already used/)
    // A bare token from a new email works too; a link for another server is refused before anything is sent.
    expectForm(await paste.submit('magic-link', {}), 'paste-link')
    const token = harness.emulator.outbox.last(BOB.email, 'magic-link')?.token ?? ''
    expect((await failure(paste.submit('use-link', { link: `https://elsewhere.com/auth/magic-link?action=log-in&token=${token}` }))).field).toBe('link')
    expectDone(await paste.submit('use-link', { link: token }))
  })

  it('registers with auto-activation (Synmetrix) and is signed in at once', async () => {
    const form = await firstForm(harness)
    const register = expectForm(await form.submit('register-form', {}), 'register')
    const short = await failure(register.submit('register', { email: 'dora@explorer.com', password: '12345', passwordConfirm: '12345' }))
    expect(short).toMatchObject({ code: 'VALIDATION', field: 'password', message: 'Use at least 6 characters.' })
    harness.secrets.add('map-and-backpack')
    const { identity } = expectDone(await register.submit('register', { email: 'dora@explorer.com', password: 'map-and-backpack', passwordConfirm: 'map-and-backpack' }))
    expect(identity.email).toBe('dora@explorer.com')
    const again = await failure(register.submit('register', { email: 'dora@explorer.com', password: 'map-and-backpack', passwordConfirm: 'map-and-backpack' }))
    expect(again).toMatchObject({ field: 'email' })
  })

  it('refuses a server that is not hasura-backend-plus before sending any password', async () => {
    const error = await failure(harness.provider.beginSignIn(harness.provider.parseConfig({ url: `${harness.emulator.url}/elsewhere` }), harness.ctx))
    expect(error.code).toBe('DISCOVERY_FAILED')
    const stopped = await startHbpEmulator({ users: [] })
    await stopped.stop()
    expect((await failure(harness.provider.beginSignIn(harness.provider.parseConfig({ url: stopped.url }), harness.ctx))).code).toBe('NETWORK')
  })
})

describe('a hasura-backend-plus signing with RS256 (its /auth/jwks publishes the key set)', () => {
  it('is recognised, signs in and renews, and its tokens verify against the published keys', async () => {
    const harness = await startHarness({ jwtAlgorithm: 'RS256' })
    try {
      const { session } = await signIn(harness, ALICE)
      const keys = createLocalJWKSet((await (await fetch(`${harness.emulator.url}/auth/jwks`)).json()) as JSONWebKeySet)
      expect((await jwtVerify(session.accessToken, keys, { issuer: 'nhost' })).protectedHeader.alg).toBe('RS256')
      const { session: next } = await harness.provider.refresh(harness.config, session, harness.ctx)
      expect((await jwtVerify(next.accessToken, keys)).payload.sub).toBe(harness.emulator.account(ALICE.email)?.id)
    } finally {
      await harness.stop()
    }
  })
})

describe('registration without auto-activation (VERIFY_EMAILS on)', () => {
  it('says "check your email", then the pasted activation link activates and signs in', async () => {
    const harness = await startHarness({ autoActivateNewUsers: false, verifyEmails: true })
    try {
      const register = expectForm(await (await firstForm(harness)).submit('register-form', {}), 'register')
      harness.secrets.add('pending-pass-1')
      const check = expectForm(await register.submit('register', { email: 'erin@pending.org', password: 'pending-pass-1', passwordConfirm: 'pending-pass-1' }), 'paste-link')
      expect(check.form.title).toBe('Check your email')
      expect(harness.emulator.account('erin@pending.org')?.active).toBe(false)
      const signInFirst = await failure((await firstForm(harness)).submit('password', { email: 'erin@pending.org', password: 'pending-pass-1' }))
      expect(signInFirst.message).toMatch(/not activated yet/)
      const mail = harness.emulator.outbox.last('erin@pending.org', 'activate-account')
      const { identity } = expectDone(await check.submit('use-link', { link: mail?.link ?? '' }))
      expect(identity.email).toBe('erin@pending.org')
      expect(harness.emulator.account('erin@pending.org')?.active).toBe(true)
      expect(leakedSecrets(harness)).toEqual([])
    } finally {
      await harness.stop()
    }
  })

  it('an activation link used twice, on a server with an error page (REDIRECT_URL_ERROR), is said to have done nothing', async () => {
    const harness = await startHarness({ autoActivateNewUsers: false, verifyEmails: true, redirectUrlError: 'https://app.synmetrix-demo.com/callback' })
    try {
      const register = expectForm(await (await firstForm(harness)).submit('register-form', {}), 'register')
      harness.secrets.add('pending-pass-2')
      const check = expectForm(await register.submit('register', { email: 'finn@pending.org', password: 'pending-pass-2', passwordConfirm: 'pending-pass-2' }), 'paste-link')
      const link = harness.emulator.outbox.last('finn@pending.org', 'activate-account')?.link ?? ''
      expectDone(await check.submit('use-link', { link }))
      const again = await failure(check.submit('use-link', { link }))
      expect(again).toMatchObject({ code: 'AUTH_FAILED' })
      expect(again.message).toMatch(/did not activate the account/)
    } finally {
      await harness.stop()
    }
  })

  it('says a server without sign-in links has turned them off', async () => {
    const harness = await startHarness({ magicLinkEnabled: false })
    try {
      const error = await failure((await firstForm(harness)).submit('magic-link', { email: ALICE.email }))
      expect(error).toMatchObject({ code: 'UNSUPPORTED', message: `${new URL(harness.emulator.url).host} has turned sign-in links off. Sign in with your password.` })
    } finally {
      await harness.stop()
    }
  })

  it('a forgotten password: Synmetrix has turned it off; where it is on, the emailed ticket and a new password sign in', async () => {
    const off = await startHarness()
    try {
      const error = await failure((await firstForm(off)).submit('reset-request', { email: ALICE.email }))
      expect(error).toMatchObject({ code: 'UNSUPPORTED', message: `${new URL(off.emulator.url).host} has turned lost-password emails off.` })
    } finally {
      await off.stop()
    }
    const harness = await startHarness({ lostPasswordEnabled: true })
    try {
      // HBP answers an unknown address with a 400, not the 204 its comment promises: said, and no ticket form.
      const nobody = await failure((await firstForm(harness)).submit('reset-request', { email: 'nobody@wonderland.com' }))
      expect(nobody.message).toBe(`No account on ${new URL(harness.emulator.url).host} uses that email address.`)
      const reset = expectForm(await (await firstForm(harness)).submit('reset-request', { email: BOB.email }), 'reset-confirm')
      const ticket = harness.emulator.outbox.last(BOB.email, 'lost-password')?.token ?? ''
      harness.secrets.add('found-it-again')
      const mismatch = await failure(reset.submit('reset-confirm', { ticket, password: 'found-it-again', passwordConfirm: 'found-it-agai' }))
      expect(mismatch.field).toBe('passwordConfirm')
      const { identity } = expectDone(await reset.submit('reset-confirm', { ticket, password: 'found-it-again', passwordConfirm: 'found-it-again' }))
      expect(identity.email).toBe(BOB.email)
      expect(leakedSecrets(harness)).toEqual([])
    } finally {
      await harness.stop()
    }
  })
})

describe('a sign-in link that comes back through the loopback', () => {
  it('signs in when the browser brings the token back to the port REDIRECT_URL_SUCCESS points at, and refuses another account’s token', async () => {
    const port = await freePort()
    const harness = await startHarness({ redirectUrlSuccess: `http://127.0.0.1:${String(port)}/synmetrix` })
    try {
      const config = harness.provider.parseConfig({ url: harness.emulator.url, linkPort: String(port) })
      const first = expectForm(await harness.provider.beginSignIn(config, harness.ctx), 'password')
      const waiting = expectForm(await first.submit('magic-link', { email: BOB.email }), 'paste-link')
      expect(waiting.form.description).toContain(`http://127.0.0.1:${String(port)}/synmetrix`)
      expect((await failure(waiting.submit('link-opened', {}))).message).toMatch(/has not come back yet/)
      // Something else knocking on the port (no token in the right shape) does not end the wait.
      expect((await fetch(`http://127.0.0.1:${String(port)}/synmetrix?refresh_token=nope`)).status).toBe(400)
      // The person opens the emailed link: HBP redirects the browser to the loopback with the token.
      const mail = harness.emulator.outbox.last(BOB.email, 'magic-link')
      const landed = await fetch(mail?.link ?? '')
      expect(landed.status).toBe(200)
      expect(landed.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${String(port)}/synmetrix\\?refresh_token=`))
      const { identity, session } = expectDone(await waiting.submit('link-opened', {}))
      expect(identity.email).toBe(BOB.email)
      expect(session.refreshToken).not.toBe(mail?.token)

      // Another account's token delivered to the port (login CSRF) is not used.
      const pasted = expectForm(await (await firstForm(harness)).submit('magic-link', { email: ALICE.email }), 'paste-link')
      expect(pasted.form.actions.map((action) => action.id)).not.toContain('link-opened')
      const aliceToken = harness.emulator.outbox.last(ALICE.email, 'magic-link')?.token ?? ''
      const again = expectForm(await (expectForm(await harness.provider.beginSignIn(config, harness.ctx), 'password')).submit('magic-link', { email: BOB.email }), 'paste-link')
      expect((await fetch(`http://127.0.0.1:${String(port)}/synmetrix?refresh_token=${aliceToken}`)).status).toBe(200)
      expect((await failure(again.submit('link-opened', {}))).code).toBe('AUTH_STATE_MISMATCH')

      // Cancelling stops listening: the port is free again.
      const third = expectForm(await (expectForm(await harness.provider.beginSignIn(config, harness.ctx), 'password')).submit('magic-link', { email: BOB.email }), 'paste-link')
      third.cancel()
      const reuse = createServer()
      await new Promise<void>((resolve, reject) => {
        reuse.once('error', reject)
        reuse.listen(port, '127.0.0.1', resolve)
      })
      await new Promise((resolve) => reuse.close(resolve))
      expect(leakedSecrets(harness)).toEqual([])
    } finally {
      await harness.stop()
    }
  })
})

describe('an account with no password (made by a sign-in link)', () => {
  it('is told why a password does not work and how to sign in instead', async () => {
    const harness = await startHarness({ users: [{ email: 'gail@links.com' }] })
    try {
      const error = await failure((await firstForm(harness)).submit('password', { email: 'gail@links.com', password: 'guessing-1' }))
      expect(error.code).toBe('AUTH_FAILED')
      expect(error.message).toMatch(/no password yet/)
      expect(error.message).toContain('Email me a sign-in link')
    } finally {
      await harness.stop()
    }
  })
})

describe('a hasura-backend-plus with anonymous users on (ANONYMOUS_USERS_ENABLED)', () => {
  it('signs in with a password and by emailed link although the server refuses the cookie setting, and the session renews', async () => {
    const harness = await startHarness({ anonymousUsersEnabled: true })
    try {
      const { session, identity } = await signIn(harness, ALICE)
      expect(identity.email).toBe(ALICE.email)
      expect(harness.emulator.refreshTokensOf(ALICE.email)).toEqual([session.refreshToken])
      const { session: next } = await harness.provider.refresh(harness.config, session, harness.ctx)
      expect(harness.emulator.refreshTokensOf(ALICE.email)).toEqual([next.refreshToken])

      const paste = expectForm(await (await firstForm(harness)).submit('magic-link', { email: BOB.email }), 'paste-link')
      const mail = harness.emulator.outbox.last(BOB.email, 'magic-link')
      expect(expectDone(await paste.submit('use-link', { link: mail?.link ?? '' })).identity.email).toBe(BOB.email)

      // An account with authenticator codes still gets its second step.
      const mfa = expectForm(await (await firstForm(harness)).submit('password', { email: CAROL.email, password: CAROL.password }), 'mfa-code')
      expectDone(await mfa.submit('mfa', { code: totpCode(harness, CAROL_SECRET) }))
      expect(leakedSecrets(harness)).toEqual([])
    } finally {
      await harness.stop()
    }
  })
})

describe('the refresh token HBP sets as a cookie', () => {
  const token = '3f2a8c1e-5b7d-4e9f-a0c1-2d3e4f5a6b7c'
  it('is read unsigned, and signed with COOKIE_SECRET (s:<token>.<signature>); other cookies are not taken for it', () => {
    const headers = (...cookies: string[]) => {
      const result = new Headers()
      for (const cookie of cookies) result.append('set-cookie', cookie)
      return result
    }
    expect(refreshTokenCookie(headers(`refresh_token=${token}; Max-Age=2592000; Path=/; HttpOnly; SameSite=Lax`))).toBe(token)
    expect(refreshTokenCookie(headers('permission_variables=%7B%7D; Path=/', `refresh_token=s%3A${token}.Zm9vYmFyYmF6cXV4cXV1eA; Path=/; HttpOnly`))).toBe(token)
    expect(refreshTokenCookie(headers('refresh_token=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT', `permission_variables=${token}`))).toBeNull()
  })
})
