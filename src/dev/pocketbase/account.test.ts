import { describe, expect, it } from 'vitest'
import type { PocketBaseEmulator } from './server.ts'
import { ADA, failure, jwtClaims, raw, ROOT, sdk, emulatorPerTest } from './test-support.ts'

const start = emulatorPerTest()

const USERS = '/api/collections/users'

/** Whether the server still takes this token (auth-refresh is Latchkey's "is the session still good?" probe). */
async function stillValid(emulator: PocketBaseEmulator, token: string): Promise<boolean> {
  const { status } = await raw(emulator, 'POST', `${USERS}/auth-refresh`, { token })
  if (status !== 200 && status !== 401) throw new Error(`unexpected ${String(status)}`)
  return status === 200
}

async function signIn(emulator: PocketBaseEmulator, who = ADA): Promise<{ token: string; id: string }> {
  const { token, record } = await sdk(emulator).collection('users').authWithPassword(who.email, who.password)
  return { token, id: record.id }
}

describe('password reset', () => {
  it('answers 204 for any email, mails a 30-minute passwordReset token, and suppresses resends for 2 minutes', async () => {
    const { emulator, clock } = await start()
    const users = sdk(emulator).collection('users')
    expect(await users.requestPasswordReset('nobody@example.test')).toBe(true)
    expect(emulator.outbox.messages()).toEqual([])
    await users.requestPasswordReset(ADA.email)
    const mail = emulator.outbox.last(ADA.email, 'password-reset')
    expect(mail?.subject).toBe('Reset your PocketBase password')
    expect(mail?.text).toContain(`${emulator.url}/_/#/auth/confirm-password-reset/${mail?.token ?? ''}`)
    expect(jwtClaims(mail?.token ?? '')).toMatchObject({ type: 'passwordReset', email: ADA.email, exp: clock.now() / 1000 + 1800 })
    clock.advance(119)
    await users.requestPasswordReset(ADA.email)
    expect(emulator.outbox.messages()).toHaveLength(1)
    clock.advance(1)
    await users.requestPasswordReset(ADA.email)
    expect(emulator.outbox.messages()).toHaveLength(2)
  })

  it('answers 400 (not 403) where password sign-in is off, and mails nothing', async () => {
    const { emulator } = await start({ methods: { password: false } })
    const off = await failure(sdk(emulator).collection('users').requestPasswordReset(ADA.email))
    expect(off.response).toEqual({ status: 400, message: 'The collection is not configured to allow password authentication.', data: {} })
    expect(emulator.outbox.messages()).toEqual([])
  })

  it('sets the new password on confirm, which kills every token of the account', async () => {
    const { emulator } = await start()
    const { token } = await signIn(emulator)
    const users = sdk(emulator).collection('users')
    await users.requestPasswordReset(ADA.email)
    const resetToken = emulator.outbox.last(ADA.email, 'password-reset')?.token ?? ''
    expect(await users.confirmPasswordReset(resetToken, 'brand-new-pass', 'brand-new-pass')).toBe(true)
    expect(await stillValid(emulator, token)).toBe(false)
    expect((await failure(users.authWithPassword(ADA.email, ADA.password))).status).toBe(400)
    expect((await users.authWithPassword(ADA.email, 'brand-new-pass')).record.email).toBe(ADA.email)
    // The reset token was signed with the old tokenKey, so it is spent too.
    const again = await failure(users.confirmPasswordReset(resetToken, 'another-pass-1', 'another-pass-1'))
    expect(again.response).toMatchObject({ status: 400, data: { token: { code: 'validation_invalid_token' } } })
  })

  it('validates the confirmation and rejects an expired token', async () => {
    const { emulator, clock } = await start()
    const users = sdk(emulator).collection('users')
    await users.requestPasswordReset(ADA.email)
    const resetToken = emulator.outbox.last(ADA.email, 'password-reset')?.token ?? ''
    const mismatch = await failure(users.confirmPasswordReset(resetToken, 'brand-new-pass', 'other-pass'))
    expect(mismatch.response).toEqual({
      status: 400,
      message: 'An error occurred while validating the submitted data.',
      data: { passwordConfirm: { code: 'validation_values_mismatch', message: "Values don't match." } },
    })
    expect((await failure(users.confirmPasswordReset(resetToken, 'short', 'short'))).response).toMatchObject({
      data: { password: { code: 'validation_length_out_of_range' } },
    })
    clock.advance(1800)
    expect((await failure(users.confirmPasswordReset(resetToken, 'brand-new-pass', 'brand-new-pass'))).response).toMatchObject({
      data: { token: { code: 'validation_invalid_token', message: 'Invalid or expired token.' } },
    })
  })
})

describe('verification', () => {
  const newcomer = { email: 'new@example.test', password: 'newcomer-pass', verified: false }

  it('mails a verification token to an unverified account and verifies it on confirm', async () => {
    const { emulator, clock } = await start({ users: [newcomer, { ...ADA, verified: true }] })
    const users = sdk(emulator).collection('users')
    await users.requestVerification(ADA.email)
    await users.requestVerification('nobody@example.test')
    expect(emulator.outbox.messages()).toEqual([])
    await users.requestVerification(newcomer.email)
    await users.requestVerification(newcomer.email)
    expect(emulator.outbox.messages()).toHaveLength(1)
    const token = emulator.outbox.last(newcomer.email, 'verification')?.token ?? ''
    expect(jwtClaims(token)).toMatchObject({ type: 'verification', email: newcomer.email, exp: clock.now() / 1000 + 86400 })
    expect(await users.confirmVerification(token)).toBe(true)
    expect(emulator.user('users', newcomer.email)).toMatchObject({ verified: true })
  })

  it('keeps BosBase verification tokens for 3 days, and refuses superusers', async () => {
    const { emulator, clock } = await start({ mode: 'bosbase', users: [newcomer] })
    await sdk(emulator).collection('users').requestVerification(newcomer.email)
    expect(jwtClaims(emulator.outbox.last(newcomer.email, 'verification')?.token ?? '').exp).toBe(clock.now() / 1000 + 259200)
    expect((await failure(sdk(emulator).collection('_superusers').requestVerification(ROOT.email))).response).toEqual({
      status: 400,
      message: 'All superusers are verified by default.',
      data: {},
    })
  })

  it('replaces the password on confirm when password sign-in is off, in PocketBase only (old tokens die)', async () => {
    for (const mode of ['pocketbase', 'bosbase'] as const) {
      const { emulator } = await start({ mode, methods: { password: false }, users: [newcomer] })
      const root = sdk(emulator)
      await root.collection('_superusers').authWithPassword(ROOT.email, ROOT.password)
      const asNewcomer = await root.collection('users').impersonate(String(emulator.user('users', newcomer.email)?.id), 3600)
      const users = sdk(emulator).collection('users')
      await users.requestVerification(newcomer.email)
      await users.confirmVerification(emulator.outbox.last(newcomer.email, 'verification')?.token ?? '')
      expect(await stillValid(emulator, asNewcomer.authStore.token)).toBe(mode === 'bosbase')
      await emulator.stop()
    }
  })

  it('rejects a token that is not a verification token', async () => {
    const { emulator } = await start({ users: [newcomer] })
    const { token } = await signIn(emulator, newcomer)
    expect((await failure(sdk(emulator).collection('users').confirmVerification(token))).response).toMatchObject({
      data: { token: { code: 'validation_invalid_token_claims' } },
    })
  })
})

describe('email change', () => {
  it('needs a token first (401), then a different, unused address', async () => {
    const { emulator } = await start()
    expect((await raw(emulator, 'POST', `${USERS}/request-email-change`, { json: { newEmail: 'x' } })).body).toEqual({
      status: 401,
      message: 'The request requires valid record authorization token.',
      data: {},
    })
    const pb = sdk(emulator)
    await pb.collection('users').authWithPassword(ADA.email, ADA.password)
    const same = await failure(pb.collection('users').requestEmailChange(ADA.email))
    expect(same.response).toMatchObject({ status: 400, data: { newEmail: { code: 'validation_not_in_invalid' } } })
    const taken = await failure(pb.collection('users').requestEmailChange('grace@example.test'))
    expect(taken.response).toMatchObject({ status: 400, data: { newEmail: { code: 'validation_invalid_new_email', message: 'Invalid new email address.' } } })
    expect(emulator.outbox.messages()).toEqual([])
  })

  it('mails the new address; confirming with the current password switches the email and kills old tokens', async () => {
    const { emulator } = await start()
    const pb = sdk(emulator)
    const { token } = await pb.collection('users').authWithPassword(ADA.email, ADA.password)
    await pb.collection('users').requestEmailChange('ada@new.example')
    const mail = emulator.outbox.last('ada@new.example', 'email-change')
    expect(jwtClaims(mail?.token ?? '')).toMatchObject({ type: 'emailChange', email: ADA.email, newEmail: 'ada@new.example' })
    expect(await stillValid(emulator, token)).toBe(true)
    const wrongPassword = await failure(pb.collection('users').confirmEmailChange(mail?.token ?? '', 'not-it'))
    expect(wrongPassword.response).toMatchObject({ data: { password: { code: 'validation_invalid_password' } } })
    expect(await pb.collection('users').confirmEmailChange(mail?.token ?? '', ADA.password)).toBe(true)
    // The SDK clears its store after confirming an email change of the signed-in record.
    expect(pb.authStore.token).toBe('')
    expect(await stillValid(emulator, token)).toBe(false)
    expect(emulator.user('users', 'ada@new.example')).toMatchObject({ email: 'ada@new.example', verified: true })
    expect((await sdk(emulator).collection('users').authWithPassword('ada@new.example', ADA.password)).record.email).toBe('ada@new.example')
  })

  it('orders the taken-address check per server: after the token in PocketBase, before it in BosBase', async () => {
    for (const [mode, code] of [
      ['pocketbase', 'validation_invalid_token_email'],
      ['bosbase', 'validation_existing_token_email'],
    ] as const) {
      const { emulator } = await start({ mode, users: [ADA, { email: 'late@example.test', password: 'late-comer-1' }] })
      const pb = sdk(emulator)
      await pb.collection('users').authWithPassword(ADA.email, ADA.password)
      await pb.collection('users').requestEmailChange('wanted@example.test')
      const mailed = emulator.outbox.last('wanted@example.test', 'email-change')?.token ?? ''
      // Someone else takes the address meanwhile (changing their own email).
      const other = sdk(emulator)
      await other.collection('users').authWithPassword('late@example.test', 'late-comer-1')
      await other.collection('users').requestEmailChange('wanted@example.test')
      await other.collection('users').confirmEmailChange(emulator.outbox.last('wanted@example.test', 'email-change')?.token ?? '', 'late-comer-1')
      expect((await failure(pb.collection('users').confirmEmailChange(mailed, ADA.password))).response).toMatchObject({ data: { token: { code } } })
      // With a token that is also invalid, only BosBase still reports the taken address.
      const forged = `${mailed.slice(0, -2)}xx`
      const expected = mode === 'bosbase' ? code : 'validation_invalid_token'
      expect((await failure(pb.collection('users').confirmEmailChange(forged, ADA.password))).response).toMatchObject({ data: { token: { code: expected } } })
      await emulator.stop()
    }
  })

  it('is not for superusers', async () => {
    const { emulator } = await start()
    const root = sdk(emulator)
    await root.collection('_superusers').authWithPassword(ROOT.email, ROOT.password)
    expect((await failure(root.collection('_superusers').requestEmailChange('root@new.example'))).response).toEqual({
      status: 400,
      message: 'All superusers can change their emails directly.',
      data: {},
    })
    expect((await failure(root.collection('users').requestEmailChange('root@new.example'))).response).toMatchObject({
      status: 403,
      message: 'The request requires auth record from _superusers collection.',
    })
  })
})

describe('password change through the record', () => {
  it('requires the right old password', async () => {
    const { emulator } = await start()
    const pb = sdk(emulator)
    const { record } = await pb.collection('users').authWithPassword(ADA.email, ADA.password)
    const missing = await failure(pb.collection('users').update(record.id, { password: 'brand-new-pass', passwordConfirm: 'brand-new-pass' }))
    expect(missing.response).toEqual({
      status: 400,
      message: 'Failed to update record.',
      data: { oldPassword: { code: 'validation_required', message: 'Cannot be blank.' } },
    })
    const wrong = await failure(pb.collection('users').update(record.id, { oldPassword: 'nope', password: 'brand-new-pass', passwordConfirm: 'brand-new-pass' }))
    expect(wrong.response).toMatchObject({ data: { oldPassword: { code: 'validation_invalid_old_password', message: 'Missing or invalid old password.' } } })
    const short = await failure(pb.collection('users').update(record.id, { oldPassword: ADA.password, password: 'short', passwordConfirm: 'short' }))
    expect(short.response).toMatchObject({ data: { password: { code: 'validation_min_text_constraint', params: { min: 8 } } } })
  })

  it('rotates the tokenKey, so the token of that very request is dead afterwards (the SDK keeps it)', async () => {
    const { emulator } = await start()
    const pb = sdk(emulator)
    const { record, token } = await pb.collection('users').authWithPassword(ADA.email, ADA.password)
    const updated = await pb.collection('users').update(record.id, { oldPassword: ADA.password, password: 'brand-new-pass', passwordConfirm: 'brand-new-pass' })
    expect(updated).not.toHaveProperty('password')
    expect(updated).not.toHaveProperty('tokenKey')
    expect(pb.authStore.token).toBe(token)
    expect(await stillValid(emulator, token)).toBe(false)
    expect((await failure(pb.collection('users').getOne(record.id))).status).toBe(404)
    expect((await sdk(emulator).collection('users').authWithPassword(ADA.email, 'brand-new-pass')).record.id).toBe(record.id)
  })

  it('does the same for a password set elsewhere', async () => {
    const { emulator } = await start()
    const { token } = await signIn(emulator)
    emulator.setPassword('users', ADA.email, 'set-by-admin-1')
    expect(await stillValid(emulator, token)).toBe(false)
    expect((await sdk(emulator).collection('users').authWithPassword(ADA.email, 'set-by-admin-1')).record.email).toBe(ADA.email)
  })
})
