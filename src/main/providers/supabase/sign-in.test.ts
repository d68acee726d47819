import { decodeJwt } from 'jose'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { expectDone, expectForm, failure, firstForm, leaked, remember, signInWithPassword, TARGETS, useTarget } from './test-targets.ts'
import { untilSendAllowed } from './testing/server-rules.ts'

describe.each(TARGETS)('Supabase sign-in against the $name', (target) => {
  const harness = useTarget(target)

  it('offers what the project has turned on: password, codes, a link, anonymous, sign-up, reset', async () => {
    const form = await firstForm(harness)
    expect(form.form.fields.map((field) => [field.key, field.label])).toEqual([
      ['identity', 'Email or phone number'],
      ['password', 'Password'],
    ])
    expect(form.form.actions.map((action) => action.id)).toEqual(['password', 'code-request', 'link-request', 'anonymous', 'sign-up', 'reset-request'])
  })

  it('signs in with email and password: a rotating session whose expiry is the token’s, at aal1', async () => {
    const person = await harness.person({ name: 'Ada Lovelace' })
    const { session, identity, profile } = await signInWithPassword(harness, person)
    expect(identity).toEqual({ subject: person.id, name: 'Ada Lovelace', email: person.email })
    expect(session.refreshToken).toMatch(/\S{8,}/)
    expect(session.tokenType).toBe('bearer')
    expect(session.expiresAt).toBe((decodeJwt(session.accessToken).exp ?? 0) * 1000)
    expect(profile).toMatchObject({ id: person.id, email: person.email, name: 'Ada Lovelace', sign_in_methods: 'email' })
    expect(profile.assurance_level).toMatch(/^aal1: one factor \(password\)$/)
  })

  it('a wrong password is the server’s invalid_credentials, on the password field', async () => {
    const person = await harness.person()
    const form = await firstForm(harness)
    const error = await failure(form.submit('password', { identity: person.email, password: 'not-the-password' }))
    expect(error).toMatchObject({ code: 'VALIDATION', field: 'password', message: 'Wrong email, phone or password.' })
    expect(leaked(harness, error.message)).toEqual([])
  })

  it('a second text asked for too soon is the server’s text-message limit, with when to try again', async () => {
    const person = await harness.person({ phone: true })
    const code = expectForm(await (await firstForm(harness)).submit('code-request', { identity: `+${person.phone}` }), 'code')
    const error = await failure(code.submit('resend', {}))
    expect(error).toMatchObject({ code: 'RATE_LIMITED' })
    expect(error.message).toMatch(new RegExp(`^${harness.host} has sent too many text messages\\. Try again after `))
  })

  it('a banned person is told so whatever password is typed (the server checks the ban before the password)', async () => {
    const person = await harness.person()
    await harness.admin('PUT', `/admin/users/${person.id}`, { ban_duration: '24h' })
    const error = await failure((await firstForm(harness)).submit('password', { identity: person.email, password: 'not-the-password' }))
    expect(error.message).toBe(`This account is banned on ${harness.host}.`)
  })

  it('an unconfirmed address is told to confirm first', async () => {
    const person = await harness.person({ confirmed: false })
    const error = await failure((await firstForm(harness)).submit('password', { identity: person.email, password: person.password }))
    expect(error.message).toBe('This email address is not confirmed yet. Use the link or code in the confirmation email first.')
  })

  it('signs in with a phone number and password', async () => {
    const person = await harness.person({ phone: true })
    const signedIn = remember(harness, expectDone(await (await firstForm(harness)).submit('password', { identity: `+${person.phone}`, password: person.password })))
    expect(signedIn.identity.subject).toBe(person.id)
  })

  it('signs in with a code sent by email; a wrong code stays on the form', async () => {
    const person = await harness.person()
    const form = await firstForm(harness)
    const code = expectForm(await form.submit('code-request', { identity: person.email }), 'code')
    expect(code.form.description).toContain(person.email)
    const mail = await harness.mail(person.email)
    const wrong = await failure(code.submit('code', { code: mail.code === '000000' ? '111111' : '000000' }))
    expect(wrong).toMatchObject({ code: 'VALIDATION', field: 'code', message: 'That code or link is wrong or has expired. Ask for a new one.' })
    const signedIn = remember(harness, expectDone(await code.submit('code', { code: mail.code })))
    expect(signedIn.identity.email).toBe(person.email)
    expect(signedIn.profile.assurance_level).toContain('otp')
  })

  it('signs in with a code sent by text message (the Send-SMS hook)', async () => {
    const person = await harness.person({ phone: true })
    const code = expectForm(await (await firstForm(harness)).submit('code-request', { identity: `+${person.phone}` }), 'code')
    const otp = await harness.sms(person.phone)
    const signedIn = remember(harness, expectDone(await code.submit('code', { code: otp })))
    expect(signedIn.identity.subject).toBe(person.id)
  })

  it('a code for an address without an account: the server’s refusal, not a new account', async () => {
    const error = await failure((await firstForm(harness)).submit('code-request', { identity: `nobody-${String(Date.now())}@example.test` }))
    expect(error).toMatchObject({ code: 'VALIDATION', field: 'identity' })
    expect(error.message).toContain('does not sign in with emailed codes for addresses without an account')
  })

  it('signs in with the emailed link opened in a browser: PKCE through the loopback nonce path', async () => {
    const person = await harness.person()
    const step = expectForm(await (await firstForm(harness)).submit('link-request', { identity: person.email }), 'link')
    const { link } = await harness.mail(person.email)
    expect(link).not.toBeNull()
    const verify = new URL(link ?? '')
    harness.secrets.add(verify.searchParams.get('token') ?? '')
    const redirect = new URL(verify.searchParams.get('redirect_to') ?? '')
    expect(redirect.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(redirect.pathname).toMatch(/^\/supabase\/[\w-]{20,}$/)
    // The browser: the server's /verify, then its redirect to our loopback with ?code=.
    const page = await fetch(verify, { redirect: 'follow' })
    expect(page.url).toContain(redirect.pathname)
    expect(new URL(page.url).searchParams.get('code')).toMatch(/^[\w-]{20,}$/)
    const signedIn = remember(harness, expectDone(await step.submit('link', {})))
    expect(signedIn.identity.subject).toBe(person.id)
  })

  it('a redirect to a wrong nonce path does not complete the attempt', async () => {
    const person = await harness.person()
    const step = expectForm(await (await firstForm(harness)).submit('link-request', { identity: person.email }), 'link')
    const { link } = await harness.mail(person.email)
    const redirect = new URL(new URL(link ?? '').searchParams.get('redirect_to') ?? '')
    const forged = await fetch(`${redirect.origin}/supabase/forged-nonce?code=00000000-0000-0000-0000-000000000000`)
    expect(forged.status).toBe(404)
    // The real link still works afterwards.
    await fetch(new URL(link ?? ''), { redirect: 'follow' })
    remember(harness, expectDone(await step.submit('link', {})))
  })

  it('signs in anonymously', async () => {
    const signedIn = remember(harness, expectDone(await (await firstForm(harness)).submit('anonymous', {})))
    expect(signedIn.profile.anonymous).toEqual({ kind: 'yes-no', value: 'true' })
    expect(decodeJwt(signedIn.session.accessToken).is_anonymous).toBe(true)
  })

  it('a new password over 72 bytes is refused on its field, for sign-up and for a change (the server answers a bare validation_failed)', async () => {
    const long = 'é'.repeat(37) // 37 letters, 74 bytes
    const signUp = await failure((await firstForm(harness)).submit('sign-up', { identity: `long-${String(Date.now())}@example.test`, password: long }))
    expect(signUp).toMatchObject({ code: 'VALIDATION', field: 'password', message: 'The password is too long: at most 72 bytes (72 letters or digits; fewer with accents or emoji).' })
    const person = await harness.person()
    const signedIn = await signInWithPassword(harness, person)
    const account = { config: harness.config, session: signedIn.session, identity: signedIn.identity, label: person.email }
    const change = await failure(harness.provider.runAction?.(account, 'change-password', 'change', { password: long, passwordConfirm: long }, harness.ctx) ?? Promise.resolve())
    expect(change).toMatchObject({ code: 'VALIDATION', field: 'password' })
  })

  it('signs up with a confirmation code, and shows weak-password reasons', async () => {
    const email = `new-${String(Date.now())}@example.test`
    const form = await firstForm(harness)
    const weak = await failure(form.submit('sign-up', { identity: email, password: 'abc' }))
    expect(weak).toMatchObject({ code: 'VALIDATION', field: 'password', message: 'Choose a stronger password. It should be at least 6 characters.' })
    harness.secrets.add('a-fine-password-1')
    const confirm = expectForm(await form.submit('sign-up', { identity: email, password: 'a-fine-password-1' }), 'confirm-sign-up')
    const { code } = await harness.mail(email)
    const signedIn = remember(harness, expectDone(await confirm.submit('code', { code })))
    expect(signedIn.identity.email).toBe(email)
  })

  it('signing up with an address that has an account gets the server’s real answer: the same “check your email”, no mail', async () => {
    const person = await harness.person()
    const before = harness.server.mails().length
    expectForm(await (await firstForm(harness)).submit('sign-up', { identity: person.email, password: 'another-password-1' }), 'confirm-sign-up')
    expect(harness.server.mails().slice(before).filter((mail) => mail.to === person.email)).toEqual([])
  })

  it('resets a forgotten password with the emailed code, then is signed in with it', async () => {
    const person = await harness.person()
    const reset = expectForm(await (await firstForm(harness)).submit('reset-request', { identity: person.email }), 'reset-confirm')
    const { code } = await harness.mail(person.email)
    harness.secrets.add('brand-new-password-1')
    const signedIn = remember(harness, expectDone(await reset.submit('reset-confirm', { code, password: 'brand-new-password-1', passwordConfirm: 'brand-new-password-1' })))
    expect(signedIn.identity.subject).toBe(person.id)
    await signInWithPassword(harness, { email: person.email, password: 'brand-new-password-1' })
  })

  it('resets a forgotten password with the emailed link opened on this computer (PKCE, the loopback), then a new password', async () => {
    const person = await harness.person()
    const reset = expectForm(await (await firstForm(harness)).submit('reset-request', { identity: person.email }), 'reset-confirm')
    expect(reset.form.actions.map((action) => action.label)).toEqual(['Set password and sign in', 'I opened the link', 'Back to sign-in'])
    const { link } = await harness.mail(person.email)
    // The emailed link goes through the server's /verify, which sends the browser to the loopback with ?code=.
    const landed = await fetch(new URL(link ?? ''), { redirect: 'follow' })
    expect(new URL(landed.url).pathname).toMatch(/^\/supabase\/[\w-]{20,}$/)
    expect(new URL(landed.url).searchParams.get('code')).toMatch(/\S{20,}/)
    harness.secrets.add('link-new-password-1')
    const mismatch = await failure(reset.submit('reset-link', { password: 'link-new-password-1', passwordConfirm: 'something-else-1' }))
    expect(mismatch).toMatchObject({ code: 'VALIDATION', field: 'passwordConfirm' })
    const signedIn = remember(harness, expectDone(await reset.submit('reset-link', { password: 'link-new-password-1', passwordConfirm: 'link-new-password-1' })))
    expect(signedIn.identity.subject).toBe(person.id)
    const old = await failure((await firstForm(harness)).submit('password', { identity: person.email, password: person.password }))
    expect(old.message).toBe('Wrong email, phone or password.')
    await signInWithPassword(harness, { email: person.email, password: 'link-new-password-1' })
  })

  it('sends the sign-up confirmation again, and the newest code confirms', async () => {
    const email = `resend-${String(Date.now())}@example.test`
    harness.secrets.add('resent-password-1')
    const confirm = expectForm(await (await firstForm(harness)).submit('sign-up', { identity: email, password: 'resent-password-1' }), 'confirm-sign-up')
    const sent = Date.now()
    const first = await harness.mail(email)
    await untilSendAllowed(sent) // the server's minimum interval between two emails (GOTRUE_SMTP_MAX_FREQUENCY)
    const again = expectForm(await confirm.submit('resend', {}), 'confirm-sign-up')
    const second = await harness.mail(email, 1)
    expect(harness.server.mails().filter((mail) => mail.to === email)).toHaveLength(2)
    if (second.code !== first.code) expect(await failure(again.submit('code', { code: first.code }))).toMatchObject({ field: 'code' })
    const signedIn = remember(harness, expectDone(await again.submit('code', { code: second.code })))
    expect(signedIn.identity.email).toBe(email)
  })

  it('says plainly when the URL is not a Supabase Auth server', async () => {
    const other = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>'))
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${String((other.address() as AddressInfo).port)}`
    try {
      const config = harness.provider.parseConfig({ url, apiKey: harness.server.anonKey })
      const error = await failure(harness.provider.beginSignIn(config, harness.ctx))
      expect(error).toMatchObject({ code: 'DISCOVERY_FAILED' })
      expect(error.message).toContain('is not a Supabase Auth server')
    } finally {
      other.close()
    }
  })
})

describe.each(TARGETS)('Supabase sign-in where the project turned methods off, against the $name', (target) => {
  const harness = useTarget(target, { email: false, phone: true, anonymousSignIns: false, disableSignup: true })

  it('offers only what /settings says is on: no email codes or links, no anonymous sign-in, no sign-up', async () => {
    const form = await firstForm(harness)
    expect(form.form.fields.map((field) => field.label)).toEqual(['Phone number', 'Password'])
    expect(form.form.actions.map((action) => action.id)).toEqual(['password', 'code-request'])
  })

  it('an email address typed anyway is refused before anything is sent', async () => {
    const error = await failure((await firstForm(harness)).submit('password', { identity: 'someone@example.test', password: 'whatever-1' }))
    expect(error).toMatchObject({ code: 'VALIDATION', field: 'identity' })
  })
})

describe.each(TARGETS)('Supabase sign-in where only email is on, against the $name', (target) => {
  const harness = useTarget(target, { phone: false, anonymousSignIns: false })

  it('asks for an email address only, with codes, links, sign-up and reset', async () => {
    const form = await firstForm(harness)
    expect(form.form.fields.map((field) => field.label)).toEqual(['Email', 'Password'])
    expect(form.form.actions.map((action) => action.id)).toEqual(['password', 'code-request', 'link-request', 'sign-up', 'reset-request'])
  })
})

describe.each(TARGETS)('Supabase rate limits, against the $name', (target) => {
  const harness = useTarget(target, { maxFrequencySeconds: 60 })

  it('a second email within the server’s interval is a 429 that says when to try again (and carries that time)', async () => {
    const person = await harness.person()
    expectForm(await (await firstForm(harness)).submit('code-request', { identity: person.email }), 'code')
    const before = Date.now()
    const error = await failure((await firstForm(harness)).submit('code-request', { identity: person.email }))
    expect(error.code).toBe('RATE_LIMITED')
    expect(error.message).toMatch(/^127\.0\.0\.1:\d+ has sent too many emails\. Try again after \d\d:\d\d UTC \(in about \d+ seconds\)\.$/)
    const seconds = Number(/in about (\d+) seconds/.exec(error.message)?.[1])
    expect(seconds).toBeGreaterThan(50)
    expect(seconds).toBeLessThanOrEqual(60)
    expect(error.retryAt).toBeGreaterThanOrEqual(before + 50_000)
    expect(error.retryAt).toBeLessThanOrEqual(Date.now() + 60_000)
  })
})

describe.each(TARGETS)('Supabase sign-in when the project has sent its emails for the hour, against the $name', (target) => {
  const harness = useTarget(target, { emailsPerHour: 1 })

  it('says so, and that the limit lasts up to an hour (it counts per hour, not per 5 minutes)', async () => {
    const first = await harness.person()
    const second = await harness.person()
    expectForm(await (await firstForm(harness)).submit('code-request', { identity: first.email }), 'code')
    const error = await failure((await firstForm(harness)).submit('code-request', { identity: second.email }))
    expect(error).toMatchObject({ code: 'RATE_LIMITED' })
    expect(error.message).toMatch(new RegExp(`^${harness.host} has sent too many emails\\. Try again after \\d\\d:\\d\\d UTC \\(in about 60 minutes\\)\\.$`))
  })
})
