/** Signing in to an Authing app that asks every login for its own second step (1636). */
import { describe, expect, it } from 'vitest'
import { ADA, expectDone, expectForm, failure, firstForm, GRACE, sentCode, useHarness, wrongCode } from './test-harness.ts'

const harness = useHarness({ appMfa: ['OTP', 'SMS', 'EMAIL'] })
const onlyAuthenticator = useHarness({ appMfa: ['OTP'] })

describe('the app’s own second step (1636)', () => {
  it('texts a code to the account’s phone number and signs in with it', async () => {
    const form = await firstForm(harness)
    const mfa = expectForm(await form.submit('password', { account: ADA.email, password: ADA.password }), 'mfa')
    expect(mfa.form.actions.map((action) => action.id)).toEqual(['mfa-sms', 'mfa-email', 'back'])
    expect(mfa.form.fields).toEqual([])
    const entry = expectForm(await mfa.submit('mfa-sms', {}), 'mfa-code')
    expect(entry.form.description).toContain(ADA.phone)
    const code = sentCode(harness, ADA.phone ?? '')
    expect(harness.emulator.outbox.last(ADA.phone ?? '')?.scene).toBe('mfa-verify')
    expect(await failure(entry.submit('mfa-code', { code: wrongCode(code) }))).toMatchObject({ code: 'VALIDATION', field: 'code' })
    expect(expectDone(await entry.submit('mfa-code', { code })).identity.subject).toBe(ADA.id)
    expect(harness.emulator.requests().some((request) => request.path === '/api/v2/applications/mfa/sms/verify' && request.status === 200)).toBe(true)
  })

  it('emails a code to the account’s address and signs in with it', async () => {
    const form = await firstForm(harness)
    const mfa = expectForm(await form.submit('password', { account: ADA.email, password: ADA.password }), 'mfa')
    const entry = expectForm(await mfa.submit('mfa-email', {}), 'mfa-code')
    expect(harness.emulator.outbox.last(ADA.email)?.scene).toBe('MFA_VERIFY_CODE')
    expect(expectDone(await entry.submit('mfa-code', { code: sentCode(harness, ADA.email) })).identity.subject).toBe(ADA.id)
  })

  it('takes the authenticator code from a user who has one', async () => {
    const form = await firstForm(harness)
    const mfa = expectForm(await form.submit('password', { account: GRACE.email, password: GRACE.password }), 'mfa')
    expect(mfa.form.fields.map((field) => field.key)).toEqual(['code'])
    expect(mfa.form.actions.map((action) => action.id)).toEqual(['mfa', 'mfa-recovery', 'mfa-email', 'back'])
    expect(expectDone(await mfa.submit('mfa', { code: harness.emulator.totp(GRACE.email) })).identity.subject).toBe(GRACE.id)
  })

  it('takes the authenticator’s recovery code instead, for a user who lost the app', async () => {
    const form = await firstForm(harness)
    const mfa = expectForm(await form.submit('password', { account: GRACE.email, password: GRACE.password }), 'mfa')
    const recovery = expectForm(await mfa.submit('mfa-recovery', {}), 'mfa-recovery')
    expect(expectDone(await recovery.submit('mfa-recovery', { recoveryCode: GRACE.totpRecoveryCode ?? '' })).identity.subject).toBe(GRACE.id)
  })

  it('says plainly when the app asks for a second step this account cannot give here', async () => {
    const form = await firstForm(onlyAuthenticator)
    const refused = await failure(form.submit('password', { account: ADA.email, password: ADA.password }))
    expect(refused.code).toBe('UNSUPPORTED')
    expect(refused.message).toMatch(/authenticator app/)
  })
})
