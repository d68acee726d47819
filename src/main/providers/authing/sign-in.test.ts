/** Signing in to the Authing emulator over HTTP through the provider's forms. */
import { describe, expect, it } from 'vitest'
import { ADA, expectDone, expectForm, failure, firstForm, GRACE, LINUS, sentCode, signIn, useHarness, wrongCode } from './test-harness.ts'

const harness = useHarness()

describe('password sign-in', () => {
  it('signs in by email with a 14-day v2 token, the password encrypted with the key the server publishes', async () => {
    const signedIn = await signIn(harness, ADA.email, ADA.password)
    expect(signedIn.identity).toEqual({ subject: ADA.id, name: 'Ada Lovelace', email: ADA.email })
    expect(signedIn.session.refreshToken).toBeNull()
    const lifetime = (signedIn.session.expiresAt ?? 0) - signedIn.session.issuedAt
    expect(lifetime).toBeGreaterThan(13.9 * 86_400_000)
    expect(lifetime).toBeLessThanOrEqual(14 * 86_400_000 + 1000)
    expect(harness.emulator.requests().filter((request) => request.path === '/api/v2/.well-known').length).toBeGreaterThan(0)
    expect(harness.emulator.requests().some((request) => request.operation === 'loginByEmail' && request.status === 200)).toBe(true)
  })

  it('signs in by username and by phone number', async () => {
    expect((await signIn(harness, 'linus', LINUS.password)).identity.subject).toBe(LINUS.id)
    expect((await signIn(harness, '138 0000 0001', ADA.password)).identity.subject).toBe(ADA.id)
  })

  it('names the field a wrong password or an unknown account is about, and keeps the form', async () => {
    const form = await firstForm(harness)
    const wrong = await failure(form.submit('password', { account: ADA.email, password: 'not-it-1' }))
    expect(wrong).toMatchObject({ code: 'VALIDATION', field: 'password' })
    expect(wrong.message).toMatch(/wrong/i)
    const unknown = await failure(form.submit('password', { account: 'nobody@example.test', password: 'whatever-1' }))
    expect(unknown).toMatchObject({ code: 'VALIDATION', field: 'account' })
    expect(expectDone(await form.submit('password', { account: ADA.email, password: ADA.password })).identity.subject).toBe(ADA.id)
  })

  it('asks for the authenticator code when the server answers 1635, and verifies it', async () => {
    const form = await firstForm(harness)
    const mfa = expectForm(await form.submit('password', { account: GRACE.email, password: GRACE.password }), 'mfa')
    const code = harness.emulator.totp(GRACE.email)
    const wrong = await failure(mfa.submit('mfa', { code: code === '000000' ? '111111' : '000000' }))
    expect(wrong).toMatchObject({ code: 'VALIDATION', field: 'code' })
    expect(expectDone(await mfa.submit('mfa', { code })).identity.subject).toBe(GRACE.id)
  })

  it('goes back to the sign-in form, account kept, when the second step took longer than the server allows', async () => {
    const form = await firstForm(harness)
    const mfa = expectForm(await form.submit('password', { account: GRACE.email, password: GRACE.password }), 'mfa')
    harness.advanceServerTime(11 * 60_000)
    const again = expectForm(await mfa.submit('mfa', { code: harness.emulator.totp(GRACE.email) }), 'sign-in')
    expect(again.form.description).toMatch(/took too long/)
    expect(again.form.fields.find((field) => field.key === 'account')?.value).toBe(GRACE.email)
  })

  it('offers what the app allows: a code, registration and reset; no browser without a registered port', async () => {
    const form = await firstForm(harness)
    expect(form.form.actions.map((action) => action.id)).toEqual(['password', 'code', 'register', 'reset'])
  })
})

describe('codes', () => {
  it('sends an SMS code with a resend countdown, and signs in with it', async () => {
    const form = await firstForm(harness)
    const request = expectForm(await form.submit('code', {}), 'code-request')
    const entry = expectForm(await request.submit('code-request', { target: ADA.phone ?? '' }), 'code')
    expect(entry.form.description).toContain(ADA.phone)
    const tooSoon = await failure(entry.submit('code-resend', {}))
    expect(tooSoon.code).toBe('RATE_LIMITED')
    expect(tooSoon.message).toMatch(/try again in \d+ s/)
    const code = sentCode(harness, ADA.phone ?? '')
    expect(await failure(entry.submit('code', { code: wrongCode(code) }))).toMatchObject({ code: 'VALIDATION', field: 'code' })
    expect(expectDone(await entry.submit('code', { code })).identity.subject).toBe(ADA.id)
  })

  it('says “try again in N s” when the server refuses a new code inside its interval', async () => {
    const form = await firstForm(harness)
    const request = expectForm(await form.submit('code', {}), 'code-request')
    // The server still remembers the code sent by the previous test; this client does not.
    harness.advanceClientTime(61_000)
    const refused = await failure(request.submit('code-request', { target: ADA.phone ?? '' }))
    expect(refused.code).toBe('RATE_LIMITED')
    expect(refused.message).toMatch(/try again in \d+ s/)
    harness.advanceServerTime(61_000)
  })

  it('signs in with an emailed code', async () => {
    const form = await firstForm(harness)
    const request = expectForm(await form.submit('code', {}), 'code-request')
    const entry = expectForm(await request.submit('code-request', { target: LINUS.email }), 'code')
    expect(expectDone(await entry.submit('code', { code: sentCode(harness, LINUS.email) })).identity.subject).toBe(LINUS.id)
  })
})

describe('registration and reset', () => {
  it('checks that the email is new and the password meets the pool’s rule, then signs the new account in', async () => {
    const form = await firstForm(harness)
    const register = expectForm(await form.submit('register', {}), 'register')
    expect(await failure(register.submit('register', { account: ADA.email, password: 'fresh-pass-1', passwordConfirm: 'fresh-pass-1' }))).toMatchObject({ field: 'account' })
    const signedIn = expectDone(await register.submit('register', { account: 'new@example.test', password: 'fresh-pass-1', passwordConfirm: 'fresh-pass-1' }))
    harness.secrets.add('fresh-pass-1')
    expect(signedIn.identity.email).toBe('new@example.test')
    expect(await signIn(harness, 'new@example.test', 'fresh-pass-1')).toBeDefined()
  })

  it('registers a phone number with a texted code', async () => {
    const form = await firstForm(harness)
    const register = expectForm(await form.submit('register', {}), 'register')
    const entry = expectForm(await register.submit('register', { account: '13900000002', password: '', passwordConfirm: '' }), 'register-code')
    const signedIn = expectDone(await entry.submit('register-code', { code: sentCode(harness, '13900000002') }))
    expect(signedIn.identity.name).toBe('13900000002')
  })

  it('resets a forgotten password with an emailed code and signs straight in', async () => {
    const form = await firstForm(harness)
    const reset = expectForm(await form.submit('reset', { account: LINUS.email }), 'reset')
    expect(reset.form.fields[0]?.value).toBe(LINUS.email)
    harness.advanceServerTime(61_000)
    harness.advanceClientTime(61_000)
    const confirm = expectForm(await reset.submit('reset-request', { target: LINUS.email }), 'reset-confirm')
    harness.secrets.add('new-penguin-2')
    const signedIn = expectDone(await confirm.submit('reset-confirm', { code: sentCode(harness, LINUS.email), password: 'new-penguin-2', passwordConfirm: 'new-penguin-2' }))
    expect(signedIn.identity.subject).toBe(LINUS.id)
  })
})
