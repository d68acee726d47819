import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import { startOidcServer } from '../../../dev/oidc-server.ts'
import { FAKE_CLOCK_START, FakeClock } from '../../core/testing/fake-clock.ts'
import {
  ALICE,
  BOB,
  bosBaseOnly,
  CAROL,
  despiteBosBaseTokenCache,
  expectDone,
  expectForm,
  failure,
  firstForm,
  leakedSecrets,
  mailedCode,
  mailedToken,
  ROOT,
  signInWithPassword,
  since,
  startHarness,
  useHarness,
  startRewritingProxy,
  TARGET_MODE,
  VERIFIED_ONLY,
} from './test-harness.ts'

const harness = useHarness()

describe('PocketBase sign-in with a password', () => {
  it('offers the enabled methods: email + password, and a code by email instead', async () => {
    const form = await firstForm(harness)
    expect(form.form.id).toBe('password')
    expect(form.form.fields.map((field) => [field.key, field.label, field.kind])).toEqual([
      ['identity', 'Email', 'email'],
      ['password', 'Password', 'password'],
    ])
    expect(form.form.actions).toEqual([
      { id: 'password', label: 'Sign in', fields: ['identity', 'password'] },
      { id: 'otp-request', label: 'Email me a code instead', fields: ['identity'] },
      { id: 'reset-request', label: 'Forgot your password?', fields: ['identity'] },
    ])
  })

  despiteBosBaseTokenCache.it('a forgotten password: the emailed token and a new password sign in, and the old password stops working', async () => {
    const own = await startHarness()
    own.secrets.add('brand-new-pass').add('carol-new-pass')
    try {
      const form = await firstForm(own)
      const confirm = expectForm(await form.submit('reset-request', { identity: ALICE.email }), 'reset-confirm')
      expect(confirm.form.description).toContain(ALICE.email)
      const wrong = await failure(confirm.submit('reset-confirm', { token: 'not-a-token', password: 'brand-new-pass', passwordConfirm: 'brand-new-pass' }))
      expect(wrong).toMatchObject({ code: 'VALIDATION', field: 'token' })
      const token = await mailedToken(own, ALICE.email, 'password-reset')
      const signedIn = expectDone(await confirm.submit('reset-confirm', { token, password: 'brand-new-pass', passwordConfirm: 'brand-new-pass' }))
      expect(signedIn.identity.subject).toBe(ALICE.id)
      const old = await failure((await firstForm(own)).submit('password', { identity: ALICE.email, password: ALICE.password }))
      expect(old.message).toBe('Wrong email or password.')
      // An account with MFA still needs its second step after a reset.
      const carol = expectForm(await (await firstForm(own)).submit('reset-request', { identity: CAROL.email }), 'reset-confirm')
      const carolToken = await mailedToken(own, CAROL.email, 'password-reset')
      expectForm(await carol.submit('reset-confirm', { token: carolToken, password: 'carol-new-pass', passwordConfirm: 'carol-new-pass' }), 'mfa')
      expect(leakedSecrets(own, JSON.stringify(signedIn.profile))).toEqual([])
    } finally {
      await own.stop()
    }
  })

  // The device came into the alert with PocketBase 0.33 (its ALERT_INFO, pocketbase/pocketbase 0f5411d).
  since('0.33.0', 'not in BosBase').it('names Latchkey, not Node, as the device in the server’s “Login from a new location” email', async () => {
    const own = await startHarness()
    try {
      // A first login from a browser, so that Latchkey's is from a new location.
      const browser = await fetch(`${own.emulator.url}/api/collections/users/auth-with-password`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Mozilla/5.0 (a browser)' },
        body: JSON.stringify({ identity: ALICE.email, password: ALICE.password }),
      })
      expect(browser.status).toBe(200)
      await signInWithPassword(own, ALICE)
      let alert: string | undefined
      for (let waited = 0; alert === undefined && waited < 5000; waited += 50) {
        alert = own.emulator.outbox.last(ALICE.email, 'login-alert')?.text
        if (alert === undefined) await new Promise((resolve) => setTimeout(resolve, 50))
      }
      expect(alert).toMatch(/ - 127\.0\.0\.1 Latchkey\b/)
    } finally {
      await own.stop()
    }
  })

  it('signs in: a PocketBase session with the record as identity and profile', async () => {
    const before = Date.now()
    const { session, identity, profile } = await signInWithPassword(harness, ALICE)
    expect(identity).toEqual({ subject: ALICE.id, name: ALICE.name, email: ALICE.email })
    // BosBase signs every token as a static one that lasts 100 years.
    const staticTokens = TARGET_MODE === 'bosbase'
    expect(session).toMatchObject({ refreshToken: null, idToken: null, tokenType: 'PocketBase', scopes: [], isStatic: staticTokens })
    const claims = decodeJwt(session.accessToken)
    expect(claims).toMatchObject({ id: ALICE.id, type: 'auth', refreshable: !staticTokens })
    expect(session.expiresAt).toBe((claims.exp ?? 0) * 1000)
    // PocketBase's default token duration for a regular collection: 5 days.
    expect(session.expiresAt).toBeGreaterThan(before + (staticTokens ? 99 * 365 : 5) * 86_400_000 - 5_000)
    expect(session.issuedAt).toBeGreaterThanOrEqual(before)
    expect(profile).toMatchObject({ id: ALICE.id, email: ALICE.email, name: ALICE.name, verified: { kind: 'yes-no', value: 'true' } })
    // Internal fields and empty ones (no avatar yet) are not shown.
    for (const hidden of ['collectionId', 'collectionName', 'avatar']) expect(profile).not.toHaveProperty(hidden)
    expect(Object.keys(profile).filter((key) => /password|token/i.test(key))).toEqual([])
    const events = harness.logger.lines.map((line) => line.split(' ')[1])
    expect(events).toEqual(expect.arrayContaining(['pocketbase.signin.started', 'pocketbase.signin.completed']))
  })

  it('says "Wrong email or password." and lets the same form be answered again', async () => {
    const form = await firstForm(harness)
    const error = await failure(form.submit('password', { identity: ALICE.email, password: 'not-the-password' }))
    expect(error.code).toBe('AUTH_FAILED')
    expect(error.message).toBe('Wrong email or password.')
    expect(expectDone(await form.submit('password', { identity: ALICE.email, password: ALICE.password })).identity.subject).toBe(ALICE.id)
  })

  it('checks empty fields before asking the server', async () => {
    const form = await firstForm(harness)
    const before = harness.emulator.requests().length
    const error = await failure(form.submit('password', { identity: ALICE.email, password: '' }))
    expect(error).toMatchObject({ code: 'VALIDATION', field: 'password' })
    expect(harness.emulator.requests().length).toBe(before)
  })

  it('puts the server’s own field problems on the form’s field', async () => {
    const form = await firstForm(harness)
    const tooLong = `${'a'.repeat(300)}@example.test`
    const password = await failure(form.submit('password', { identity: tooLong, password: 'whatever-1' }))
    expect(password).toMatchObject({ code: 'VALIDATION', field: 'identity' })
    const otp = await failure(form.submit('otp-request', { identity: tooLong }))
    expect(otp).toMatchObject({ code: 'VALIDATION', field: 'identity' })
  })

  it('reports NETWORK for a server that cannot be reached', async () => {
    const gone = await startHarness()
    await gone.stop()
    const error = await failure(harness.provider.beginSignIn(gone.config, harness.ctx))
    expect(error.code).toBe('NETWORK')
    expect(error.message).toContain(`Could not reach ${new URL(gone.emulator.url).host}`)
  })

  it('reports a collection the server does not have on the collection field', async () => {
    const config = harness.provider.parseConfig({ url: harness.emulator.url, collection: 'members' })
    const error = await failure(harness.provider.beginSignIn(config, harness.ctx))
    expect(error).toMatchObject({ code: 'VALIDATION', field: 'collection' })
    expect(error.message).toContain('members')
  })

  it('reports DISCOVERY_FAILED for a server that is not PocketBase (an OpenID Connect issuer)', async () => {
    const oidc = await startOidcServer()
    try {
      const config = harness.provider.parseConfig({ url: oidc.issuer })
      const error = await failure(harness.provider.beginSignIn(config, harness.ctx))
      expect(error.code).toBe('DISCOVERY_FAILED')
      expect(error.message).toContain(`${new URL(oidc.issuer).host} does not look like a PocketBase server`)
    } finally {
      await oidc.stop()
    }
  })

  it('says a PocketBase older than 0.23 is too old, not that the address is wrong', async () => {
    // Before 0.23 auth-methods answered {authProviders, usernamePassword, emailPassword, onlyVerified}, and `?fields=` picked from that.
    const proxy = await startRewritingProxy(harness.emulator.url, (methods, url) => {
      for (const key of Object.keys(methods)) Reflect.deleteProperty(methods, key)
      if (url.searchParams.has('fields')) return
      Object.assign(methods, { authProviders: [], usernamePassword: false, emailPassword: true, onlyVerified: false })
    })
    try {
      const error = await failure(harness.provider.beginSignIn(harness.provider.parseConfig({ url: proxy.url }), harness.ctx))
      expect(error.code).toBe('UNSUPPORTED')
      expect(error.message).toBe(
        `${new URL(proxy.url).host} runs a PocketBase older than 0.23, whose sign-in Latchkey does not support (no email codes, MFA or the newer OAuth2). Ask its administrator to upgrade it.`,
      )
    } finally {
      await proxy.stop()
    }
  })

  it('says a method was turned off (403) after the form offered it', async () => {
    const off = await startHarness({ methods: { password: false, otp: true, mfa: false } })
    const proxy = await startRewritingProxy(off.emulator.url, (methods) => {
      methods.password = { ...(methods.password as object), enabled: true }
    })
    try {
      const form = await firstForm(off, off.provider.parseConfig({ url: proxy.url }))
      expect(form.form.id).toBe('password')
      const error = await failure(form.submit('password', { identity: ALICE.email, password: ALICE.password }))
      expect(error.code).toBe('UNSUPPORTED')
      expect(error.message).toBe(`Password sign-in is turned off for this collection on ${new URL(proxy.url).host}.`)
    } finally {
      await proxy.stop()
      await off.stop()
    }
  })
})

describe('PocketBase sign-in refused with 403: the server\'s reason, not "turned off"', () => {
  it('an account the collection\'s auth rule does not let in (verified = true) is told so on the password form', async () => {
    const strict = await startHarness({ authRule: VERIFIED_ONLY })
    try {
      const form = await firstForm(strict)
      const error = await failure(form.submit('password', { identity: BOB.email, password: BOB.password }))
      expect(error.code).toBe('AUTH_FAILED')
      expect(error.message).toMatch(/does not let this account sign in: it does not meet the collection’s sign-in rule \(the server said: “The request doesn't satisfy the collection requirements to authenticate\.”\)/)
      expect(error.message).not.toMatch(/turned off/)
      expect(expectDone(await form.submit('password', { identity: ALICE.email, password: ALICE.password })).identity.email).toBe(ALICE.email)
    } finally {
      await strict.stop()
    }
  })

  bosBaseOnly.it('a BosBase rule written `verified = true` lets no one in (PostgreSQL cannot compare it): each account is told the rule refused it', async () => {
    const strict = await startHarness({ authRule: 'verified = true' })
    try {
      const form = await firstForm(strict)
      for (const person of [ALICE, BOB]) {
        const error = await failure(form.submit('password', { identity: person.email, password: person.password }))
        expect(error.message).toMatch(/does not let this account sign in: it does not meet the collection’s sign-in rule/)
      }
    } finally {
      await strict.stop()
    }
  })

  // The allow-list came with PocketBase 0.38 (pocketbase/pocketbase 21a5524).
  since('0.38.0', 'not in BosBase').it('a superuser outside the superuser IP allow-list is told that, not that passwords are off', async () => {
    const guarded = await startHarness({ superuserIPs: ['10.1.2.3'] })
    try {
      const form = await firstForm(guarded, guarded.superusers)
      const error = await failure(form.submit('password', { identity: ROOT.email, password: ROOT.password }))
      expect(error.message).toMatch(/refused the superuser sign-in from this computer’s address: its superuser IP allow-list does not include it/)
    } finally {
      await guarded.stop()
    }
  })
})

describe('PocketBase sign-in with a code sent by email', () => {
  it('emails a code, asks for it, and signs in with it', async () => {
    const form = await firstForm(harness)
    const before = Date.now()
    const codeForm = expectForm(await form.submit('otp-request', { identity: BOB.email }), 'otp-code')
    expect(codeForm.form.fields).toEqual([{ key: 'code', label: 'Code', kind: 'code', required: true }])
    expect(codeForm.form.description).toContain(`If ${BOB.email} has an account on ${new URL(harness.emulator.url).host}, a code is on its way.`)
    expect(codeForm.form.actions.map((action) => [action.id, action.label])).toEqual([
      ['otp', 'Sign in'],
      ['otp-request', 'Send a new code'],
      ['back', 'Use another method'],
    ])
    const expiresAt = Date.parse(codeForm.form.expiresAt ?? '')
    expect(expiresAt).toBeGreaterThanOrEqual(before + 180_000)
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 180_000)

    const code = await mailedCode(harness, BOB.email)
    const signedIn = expectDone(await codeForm.submit('otp', { code }))
    expect(signedIn.identity).toEqual({ subject: BOB.id, name: BOB.name, email: BOB.email })
  })

  it('after 10 codes still valid the server sends none: the form says so and when to ask again', async () => {
    const own = await startHarness()
    try {
      const form = await firstForm(own)
      let codeForm = expectForm(await form.submit('otp-request', { identity: ALICE.email }), 'otp-code')
      for (let request = 2; request <= 10; request++) codeForm = expectForm(await codeForm.submit('otp-request', {}), 'otp-code')
      expect(codeForm.form.description).toMatch(/a code is on its way/)
      const mailedCodes = (): number => own.emulator.outbox.messages().filter((message) => message.kind === 'otp').length
      await expect.poll(mailedCodes).toBe(10)
      const eleventh = expectForm(await codeForm.submit('otp-request', {}), 'otp-code')
      // The same otpId came back: no new code exists to be mailed.
      expect(mailedCodes()).toBe(10)
      expect(eleventh.form.description).toMatch(/sent no new code: it sends at most 10 that are still valid\. Enter the last code it sent to alice@example\.test, or ask for a new one after \d\d:\d\d\./)
      expect(eleventh.form.expiresAt).toBe(codeForm.form.expiresAt)
      expect(expectDone(await eleventh.submit('otp', { code: await mailedCode(own, ALICE.email) })).identity.email).toBe(ALICE.email)
    } finally {
      await own.stop()
    }
  })

  it('says a wrong code is wrong, sends a new one on request, and goes back to the first form', async () => {
    const form = await firstForm(harness)
    const codeForm = expectForm(await form.submit('otp-request', { identity: ALICE.email }), 'otp-code')
    const first = await mailedCode(harness, ALICE.email)
    const wrong = first === '00000000' ? '11111111' : '00000000'
    const error = await failure(codeForm.submit('otp', { code: wrong }))
    expect(error).toMatchObject({ code: 'AUTH_FAILED', message: 'That code is wrong or has expired.' })

    harness.emulator.outbox.clear()
    const again = expectForm(await codeForm.submit('otp-request', {}), 'otp-code')
    expect(await mailedCode(harness, ALICE.email)).toMatch(/^\d{8}$/)
    expectForm(await again.submit('back', {}), 'password')
  })

  it('needs an email address for a code', async () => {
    const error = await failure((await firstForm(harness)).submit('otp-request', { identity: 'alice' }))
    expect(error).toMatchObject({ code: 'VALIDATION', field: 'identity' })
  })

  it('reports RATE_LIMITED with the time to try again once the per-record limit is hit', async () => {
    const clock = new FakeClock()
    const limited = await startHarness({}, { clock })
    try {
      const codeForm = expectForm(await (await firstForm(limited)).submit('otp-request', { identity: ALICE.email }), 'otp-code')
      const code = await mailedCode(limited, ALICE.email)
      const wrong = code === '00000000' ? '11111111' : '00000000'
      for (let attempt = 0; attempt < 5; attempt++) {
        expect((await failure(codeForm.submit('otp', { code: wrong }))).code).toBe('AUTH_FAILED')
      }
      // The limiter counts before comparing: now even the right code is refused.
      const error = await failure(codeForm.submit('otp', { code }))
      const retryAt = new Date(FAKE_CLOCK_START + 180_000).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false })
      expect(error.code).toBe('RATE_LIMITED')
      expect(error.message).toBe(`Too many attempts for this account. Ask for a new code after ${retryAt} (in about 3 minutes) and enter that one.`)
      expect(leakedSecrets(limited, error.message)).toEqual([])
    } finally {
      await limited.stop()
    }
  })

  it('tells the server’s own rate limit (per address, a few seconds) apart from the per-account code limit', async () => {
    // PocketBase's settings rate limiter answers 429 "Too Many Requests." with no window; its default rule for sign-ins is 2 per 3 s.
    const limited = await startHarness({ rateLimits: [{ label: 'users:auth', maxRequests: 1, duration: 60 }] })
    try {
      const wrong = await failure((await firstForm(limited)).submit('password', { identity: ALICE.email, password: 'not-her-password' }))
      expect(wrong.message).toBe('Wrong email or password.')
      const error = await failure((await firstForm(limited)).submit('password', { identity: ALICE.email, password: ALICE.password }))
      expect(error.code).toBe('RATE_LIMITED')
      expect(error.message).toBe(
        `${new URL(limited.emulator.url).host} is turning away requests from this computer for now: too many in a short time. Wait a moment, then try again.`,
      )
    } finally {
      await limited.stop()
    }
  })

  it('offers only the code when only OTP is on', async () => {
    const otpOnly = await startHarness({ methods: { password: false, otp: true, mfa: false } })
    try {
      const form = await firstForm(otpOnly)
      expect(form.form.id).toBe('otp-email')
      expect(form.form.fields.map((field) => [field.key, field.kind])).toEqual([['email', 'email']])
      expect(form.form.actions).toEqual([{ id: 'otp-request', label: 'Email me a code', fields: ['email'] }])
      const codeForm = expectForm(await form.submit('otp-request', { email: ALICE.email }), 'otp-code')
      expect(expectDone(await codeForm.submit('otp', { code: await mailedCode(otpOnly, ALICE.email) })).identity.email).toBe(ALICE.email)
    } finally {
      await otpOnly.stop()
    }
  })

  it('fails clearly when no sign-in method is on', async () => {
    const none = await startHarness({ methods: { password: false, otp: false, mfa: false, oauth2: false } })
    try {
      const error = await failure(none.provider.beginSignIn(none.config, none.ctx))
      expect(error.code).toBe('AUTH_FAILED')
      expect(error.message).toContain('has no sign-in method turned on')
    } finally {
      await none.stop()
    }
  })
})
