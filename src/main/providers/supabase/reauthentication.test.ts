import { describe, expect, it } from 'vitest'
import { startSupabaseEmulator } from '../../../dev/supabase/server.ts'
import type { ProviderAccount } from '../../core/provider.ts'
import { expectDone, firstForm, remember, failure, useTarget } from './test-targets.ts'
import type { Target } from './test-targets.ts'

/** The real server asks for reauthentication only from sessions older than a day: the emulator is told to ask at once. */
const ASKING_AT_ONCE: Target = { name: 'emulator', start: (options) => startSupabaseEmulator({ users: [], ...options, reauthenticationAfterSeconds: 0 }) }

describe('Supabase reauthentication for a password change, on an account with a phone and no email address (emulator)', () => {
  const harness = useTarget(ASKING_AT_ONCE, { requireReauthentication: true })

  it('the code is texted to the phone, and the form and messages say so', async () => {
    const phone = `1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`
    harness.secrets.add('phone-only-pw-1').add('phone-only-pw-2')
    await harness.admin('POST', '/admin/users', { phone, password: 'phone-only-pw-1', phone_confirm: true })
    const signedIn = remember(harness, expectDone(await (await firstForm(harness)).submit('password', { identity: `+${phone}`, password: 'phone-only-pw-1' })))
    const account: ProviderAccount = { config: harness.config, session: signedIn.session, identity: signedIn.identity, label: `+${phone}` }
    const form = (await harness.provider.actions?.(account, harness.ctx))?.find((action) => action.id === 'change-password')
    expect(form?.form.actions.map((action) => action.label)).toEqual(['Change password', 'Text me a verification code'])
    const asked = await failure(harness.provider.runAction?.(account, 'change-password', 'change', { password: 'phone-only-pw-2', passwordConfirm: 'phone-only-pw-2' }, harness.ctx) ?? Promise.resolve())
    expect(asked).toMatchObject({ code: 'VALIDATION', field: 'nonce', message: `${harness.host} asks to confirm it is you: a verification code was texted to +${phone}. Enter it and press Change password again.` })
    const nonce = await harness.sms(phone)
    const done = await harness.provider.runAction?.(account, 'change-password', 'change', { password: 'phone-only-pw-2', passwordConfirm: 'phone-only-pw-2', nonce }, harness.ctx)
    expect(done?.message).toContain('Password changed.')
  })
})
