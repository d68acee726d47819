/** Signing in when the app makes the person choose a new password first (1639 first sign-in, 2058 rotation). */
import { describe, expect, it } from 'vitest'
import { expectDone, expectForm, failure, firstForm, useHarness } from './test-harness.ts'

const NEWCOMER = { id: 'u-new', email: 'newcomer@example.test', password: 'given-by-admin-1', mustResetPassword: 'first-login' as const }
const ROTATED = { id: 'u-old', email: 'rotated@example.test', password: 'ninety-days-old', mustResetPassword: 'rotation' as const }
const WEAK = { id: 'u-weak', email: 'weak@example.test', password: 'qwerty12', mustResetPassword: 'unsafe' as const }
const harness = useHarness({ users: [NEWCOMER, ROTATED, WEAK] })

describe('a new password the app asks for at sign-in', () => {
  it('sets the first password of an account whose administrator asked for one, then signs in with it', async () => {
    const form = await firstForm(harness)
    const choose = expectForm(await form.submit('password', { account: NEWCOMER.email, password: NEWCOMER.password }), 'first-password')
    expect(await failure(choose.submit('first-password', { password: 'own-pass-1', passwordConfirm: 'other-pass-1' }))).toMatchObject({ field: 'passwordConfirm' })
    harness.secrets.add('own-pass-1')
    const signedIn = expectDone(await choose.submit('first-password', { password: 'own-pass-1', passwordConfirm: 'own-pass-1' }))
    expect(signedIn.identity.subject).toBe(NEWCOMER.id)
    expect(harness.emulator.requests().some((request) => request.operation === 'resetPasswordByFirstLoginToken' && request.status === 200)).toBe(true)
    // The old password no longer works; the new one does, with no further step.
    const again = await firstForm(harness)
    expect(await failure(again.submit('password', { account: NEWCOMER.email, password: NEWCOMER.password }))).toMatchObject({ field: 'password' })
    expectDone(await again.submit('password', { account: NEWCOMER.email, password: 'own-pass-1' }))
  })

  it('replaces a password the app calls unsafe, then signs in', async () => {
    const form = await firstForm(harness)
    const choose = expectForm(await form.submit('password', { account: WEAK.email, password: WEAK.password }), 'first-password')
    expect(choose.form.description).toMatch(/not safe enough/)
    harness.secrets.add('much-better-3')
    expect(expectDone(await choose.submit('first-password', { password: 'much-better-3', passwordConfirm: 'much-better-3' })).identity.subject).toBe(WEAK.id)
  })

  it('replaces a password the app says is too old, with the current one confirmed, then signs in', async () => {
    const form = await firstForm(harness)
    const rotate = expectForm(await form.submit('password', { account: ROTATED.email, password: ROTATED.password }), 'rotate-password')
    expect(rotate.form.fields.map((field) => field.key)).toEqual(['oldPassword', 'password', 'passwordConfirm'])
    harness.secrets.add('fresh-pass-2')
    const signedIn = expectDone(await rotate.submit('rotate-password', { oldPassword: ROTATED.password, password: 'fresh-pass-2', passwordConfirm: 'fresh-pass-2' }))
    expect(signedIn.identity.subject).toBe(ROTATED.id)
    expect(harness.emulator.requests().some((request) => request.operation === 'resetPasswordByForceResetToken' && request.status === 200)).toBe(true)
  })
})
