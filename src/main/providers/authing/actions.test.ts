/** Account actions of an Authing account over HTTP against the emulator. */
import * as OTPAuth from 'otpauth'
import { describe, expect, it } from 'vitest'
import type { AccountAction } from '../../../shared/contract.ts'
import type { ActionResult, ProviderAccount } from '../../core/provider.ts'
import { ADA, expectDone, expectForm, failure, firstForm, LINUS, sentCode, signIn, useHarness } from './test-harness.ts'

const harness = useHarness()

async function account(login: string, password: string): Promise<ProviderAccount> {
  const signedIn = await signIn(harness, login, password)
  return { config: harness.config, session: signedIn.session, identity: signedIn.identity, label: login }
}

async function actions(of: ProviderAccount): Promise<AccountAction[]> {
  return (await harness.provider.actions?.(of, harness.ctx)) ?? []
}

async function run(of: ProviderAccount, form: string, action: string, values: Record<string, string> = {}): Promise<ActionResult> {
  const result = await harness.provider.runAction?.(of, form, action, values, harness.ctx)
  if (result === undefined) throw new Error('no actions')
  return result
}

describe('account actions', () => {
  it('offers profile, user-defined values, password, phone, email and authenticator forms', async () => {
    const ada = await account(ADA.email, ADA.password)
    const list = await actions(ada)
    expect(list.map((action) => action.id)).toEqual([
      'profile', 'custom-data', 'change-password', 'reset-password', 'update-phone', 'unbind-phone', 'update-email', 'unbind-email', 'authenticator',
    ])
    const profile = list[0]?.form.fields ?? []
    expect(profile.find((field) => field.key === 'nickname')?.value).toBe('Ada')
    const qr = list.at(-1)?.form.fields[0]
    expect(qr?.kind).toBe('qr')
    expect(qr?.preview).toMatch(/^data:image\/svg\+xml;base64,/)
  })

  it('saves changed profile fields only, and names a taken username', async () => {
    const ada = await account(ADA.email, ADA.password)
    const result = await run(ada, 'profile', 'save', { nickname: 'Countess', company: 'Analytical Engines', gender: 'F' })
    expect(result.message).toBe('Saved 3 fields.')
    expect(result.profile).toMatchObject({ nickname: 'Countess', company: 'Analytical Engines', gender: 'F' })
    expect(harness.emulator.user(ADA.email)).toMatchObject({ nickname: 'Countess' })
    expect(await failure(run(ada, 'profile', 'save', { username: 'linus' }))).toMatchObject({ code: 'VALIDATION', field: 'username' })
  })

  it('sets, types and removes user-defined values', async () => {
    const ada = await account(ADA.email, ADA.password)
    expect((await run(ada, 'custom-data', 'set', { key: 'age', value: '36', type: 'NUMBER' })).profile).toMatchObject({ 'udv.age': '36' })
    expect((await run(ada, 'custom-data', 'set', { key: 'newsletter', value: 'true', type: 'BOOLEAN' })).profile).toMatchObject({ 'udv.newsletter': { kind: 'yes-no', value: 'true' } })
    expect(await failure(run(ada, 'custom-data', 'set', { key: 'age', value: 'old', type: 'NUMBER' }))).toMatchObject({ field: 'value' })
    // The pool's own type check: age is a number there.
    expect(await failure(run(ada, 'custom-data', 'set', { key: 'age', value: 'old', type: 'STRING' }))).toMatchObject({ code: 'VALIDATION', field: 'value' })
    const list = await actions(ada)
    expect(list.find((action) => action.id === 'custom-data')?.form.description).toContain('Age (age, number) = 36')
    expect((await run(ada, 'custom-data', 'remove', { key: 'age' })).profile?.['udv.age']).toBeUndefined()
  })

  it('changes the password with the current one', async () => {
    const linus = await account(LINUS.email, LINUS.password)
    harness.secrets.add('penguin-2000')
    expect(await failure(run(linus, 'change-password', 'change', { oldPassword: 'not-it-1', password: 'penguin-2000', passwordConfirm: 'penguin-2000' }))).toMatchObject({ field: 'oldPassword' })
    expect((await run(linus, 'change-password', 'change', { oldPassword: LINUS.password, password: 'penguin-2000', passwordConfirm: 'penguin-2000' })).message).toBe('Password changed.')
    expect((await signIn(harness, LINUS.email, 'penguin-2000')).identity.subject).toBe(LINUS.id)
    await run(linus, 'change-password', 'change', { oldPassword: 'penguin-2000', password: LINUS.password, passwordConfirm: LINUS.password })
  })

  it('binds a phone number with a texted code, then removes it', async () => {
    const linus = await account(LINUS.email, LINUS.password)
    expect((await actions(linus)).map((action) => action.id)).toContain('bind-phone')
    expect((await run(linus, 'bind-phone', 'send', { phone: '13700000007' })).message).toMatch(/Code sent to 13700000007/)
    expect(await failure(run(linus, 'bind-phone', 'send', { phone: '13700000007' }))).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringMatching(/try again in \d+ s/) })
    const bound = await run(linus, 'bind-phone', 'bind', { phone: '13700000007', code: sentCode(harness, '13700000007') })
    expect(bound.profile).toMatchObject({ phone: '13700000007' })
    expect((await run(linus, 'unbind-phone', 'unbind')).profile?.phone).toBeUndefined()
  })

  it('changes the email address with a code sent to the new one', async () => {
    const linus = await account(LINUS.email, LINUS.password)
    await run(linus, 'update-email', 'send', { email: 'torvalds@example.test' })
    const changed = await run(linus, 'update-email', 'update', { email: 'torvalds@example.test', code: sentCode(harness, 'torvalds@example.test') })
    expect(changed.profile).toMatchObject({ email: 'torvalds@example.test' })
    harness.advanceClientTime(61_000)
    harness.advanceServerTime(61_000)
    await run(linus, 'update-email', 'send', { email: LINUS.email })
    await run(linus, 'update-email', 'update', { email: LINUS.email, code: sentCode(harness, LINUS.email) })
  })

  it('turns the authenticator step on: the next sign-in asks for its code', async () => {
    const linus = await account(LINUS.email, LINUS.password)
    const secret = (await actions(linus)).find((action) => action.id === 'authenticator')?.form.fields[0]?.value ?? ''
    const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate({ timestamp: harness.serverNow() })
    expect(await failure(run(linus, 'authenticator', 'confirm', { code: code === '000000' ? '111111' : '000000' }))).toMatchObject({ field: 'code' })
    await run(linus, 'authenticator', 'confirm', { code })
    const form = await firstForm(harness)
    expectForm(await form.submit('password', { account: LINUS.email, password: LINUS.password }), 'mfa')
    await run(linus, 'authenticator', 'disable')
  })

  it('shows the recovery code the server gives at enrolment, and it signs in when the authenticator is lost', async () => {
    const linus = await account(LINUS.email, LINUS.password)
    const qr = (await actions(linus)).find((action) => action.id === 'authenticator')?.form.fields[0]
    const recoveryCode = /recovery code ([\w-]+)/i.exec(qr?.help ?? '')?.[1] ?? ''
    expect(recoveryCode).not.toBe('')
    const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(qr?.value ?? '') }).generate({ timestamp: harness.serverNow() })
    expect((await run(linus, 'authenticator', 'confirm', { code })).message).toMatch(/recovery code/)
    const form = await firstForm(harness)
    const mfa = expectForm(await form.submit('password', { account: LINUS.email, password: LINUS.password }), 'mfa')
    const recovery = expectForm(await mfa.submit('mfa-recovery', {}), 'mfa-recovery')
    expect(await failure(recovery.submit('mfa-recovery', { recoveryCode: 'not-the-code' }))).toMatchObject({ code: 'VALIDATION', field: 'recoveryCode' })
    expect(expectDone(await recovery.submit('mfa-recovery', { recoveryCode })).identity.subject).toBe(LINUS.id)
    expect(harness.emulator.requests().some((request) => request.path === '/api/v2/mfa/totp/recovery' && request.status === 200)).toBe(true)
    await run(linus, 'authenticator', 'disable')
  })

  it('reports a token logged out elsewhere as a session that ended, changing nothing', async () => {
    const ada = await account(ADA.email, ADA.password)
    harness.advanceServerTime(2000)
    harness.emulator.logoutEverywhere(ADA.email)
    const result = await run(ada, 'custom-data', 'set', { key: 'school', value: 'Home', type: 'STRING' })
    expect(result.sessionEnded).toMatch(/no longer valid/)
    expect(await failure(actions(ada))).toMatchObject({ code: 'REFRESH_REJECTED' })
  })
})
