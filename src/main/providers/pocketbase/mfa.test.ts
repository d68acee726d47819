import { describe, expect, it } from 'vitest'
import { CAROL, expectDone, expectForm, failure, firstForm, mailedCode, MFA_MINUTES, REAL_POCKETBASE, recordId, startHarness, useHarness } from './test-harness.ts'
import { untilPast } from '../testing/server-clock.ts'

const harness = useHarness()

describe('PocketBase MFA (a second method after the first)', () => {
  it('password first, then a code: the second step offers only the other methods', async () => {
    const before = Date.now()
    const mfa = expectForm(await (await firstForm(harness)).submit('password', { identity: CAROL.email, password: CAROL.password }), 'mfa')
    expect(mfa.form.title).toBe('Second step required')
    expect(mfa.form.description).toContain(`${String(MFA_MINUTES)} minutes`)
    const expiresAt = Date.parse(mfa.form.expiresAt ?? '')
    expect(expiresAt).toBeGreaterThanOrEqual(before + MFA_MINUTES * 60_000)
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + MFA_MINUTES * 60_000)
    expect(mfa.form.actions.map((action) => action.id)).toEqual(['otp-request'])
    expect(mfa.form.fields).toEqual([{ key: 'email', label: 'Email', kind: 'email', required: true, value: CAROL.email }])

    const codeForm = expectForm(await mfa.submit('otp-request', { email: CAROL.email }), 'otp-code')
    const signedIn = expectDone(await codeForm.submit('otp', { code: await mailedCode(harness, CAROL.email) }))
    expect(signedIn.identity).toEqual({ subject: CAROL.id, name: CAROL.name, email: CAROL.email })
  })

  it('a code first, then the password', async () => {
    const codeForm = expectForm(await (await firstForm(harness)).submit('otp-request', { identity: CAROL.email }), 'otp-code')
    const mfa = expectForm(await codeForm.submit('otp', { code: await mailedCode(harness, CAROL.email) }), 'mfa')
    expect(mfa.form.actions.map((action) => action.id)).toEqual(['password'])
    expect(mfa.form.fields.find((field) => field.key === 'identity')?.value).toBe(CAROL.email)
    const wrong = await failure(mfa.submit('password', { identity: CAROL.email, password: 'nope-nope' }))
    expect(wrong.message).toBe('Wrong email or password.')
    expect(expectDone(await mfa.submit('password', { identity: CAROL.email, password: CAROL.password })).identity.subject).toBe(CAROL.id)
  })

  it('says the second step must be for the same account when it is another’s (PocketBase: “Invalid MFA session.”)', async () => {
    const DORA = { id: recordId('dora00000000001'), email: 'dora@example.test', password: 'dora-secret-1', name: 'Dora', verified: true, mfa: true }
    const two = await startHarness({ users: [CAROL, DORA] })
    two.secrets.add(DORA.password)
    try {
      const mfa = expectForm(await (await firstForm(two)).submit('otp-request', { identity: CAROL.email }), 'otp-code')
      const second = expectForm(await mfa.submit('otp', { code: await mailedCode(two, CAROL.email) }), 'mfa')
      // Dora's right password, in Carol's second step.
      const error = await failure(second.submit('password', { identity: DORA.email, password: DORA.password }))
      expect(error.code).toBe('AUTH_FAILED')
      expect(error.message).toBe(`The second step must be for the account of the first (${CAROL.email}). Use that account, or start again.`)
    } finally {
      await two.stop()
    }
  })

  it('goes back to the first form, saying why, when the MFA window has passed', async () => {
    // PocketBase's shortest MFA window is 10 s: the emulator's clock moves past it, a real server's is waited out.
    const short = await startHarness({ mfaDurationSeconds: 10 })
    try {
      const mfa = expectForm(await (await firstForm(short)).submit('password', { identity: CAROL.email, password: CAROL.password }), 'mfa')
      const started = Date.now()
      expect(mfa.form.description).toContain('Finish within 10 seconds.')
      // The MFA session lapses 10 s after the server made it (its created time, to the millisecond).
      if (REAL_POCKETBASE) await untilPast(started, 10)
      else short.advanceServerTime(11_000)
      // A fresh code (valid), but the MFA session it completes has lapsed.
      const codeForm = expectForm(await mfa.submit('otp-request', { email: CAROL.email }), 'otp-code')
      const code = await mailedCode(short, CAROL.email)
      const back = expectForm(await codeForm.submit('otp', { code }), 'password')
      expect(back.form.description).toBe('The 10-second window for the second step passed. Sign in again.')
    } finally {
      await short.stop()
    }
  }, 30_000)
})
