/**
 * What Latchkey shows of a Supabase account (its profile, its identity, the forms it offers) after
 * a phone sign-up, an email address added or changed (one code at a time, with secure double
 * confirmation), and a phone number changed, on the emulator and on the real Supabase Auth.
 */
import { describe, expect, it } from 'vitest'
import type { AccountAction } from '../../../shared/contract.ts'
import type { ProviderAccount } from '../../core/provider.ts'
import type { SignedIn } from '../../core/sessions/session.ts'
import { expectDone, expectForm, failure, firstForm, remember, signInWithPassword, TARGETS, useTarget } from './test-targets.ts'
import type { Harness } from './test-targets.ts'
import { untilSendAllowed } from './testing/server-rules.ts'

const newPhone = (): string => `1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`

function accountOf(harness: Harness, signedIn: SignedIn): ProviderAccount {
  return { config: harness.config, session: signedIn.session, identity: signedIn.identity, label: signedIn.identity.email ?? '' }
}

async function actions(harness: Harness, account: ProviderAccount): Promise<AccountAction[]> {
  return (await harness.provider.actions?.(account, harness.ctx)) ?? []
}

async function run(harness: Harness, account: ProviderAccount, form: string, action: string, values: Record<string, string> = {}) {
  if (harness.provider.runAction === undefined) throw new Error('no actions')
  return harness.provider.runAction(account, form, action, values, harness.ctx)
}

function fieldsOf(list: AccountAction[], id: string): [string, string, boolean][] | undefined {
  return list.find((action) => action.id === id)?.form.fields.map((field) => [field.key, field.label, field.required])
}

describe.each(TARGETS)('what Latchkey shows of a Supabase account through sign-up and changes on the $name', (target) => {
  const harness = useTarget(target)

  async function phoneSignUp(): Promise<{ phone: string; signedIn: SignedIn }> {
    const phone = newPhone()
    const password = `pw-${phone}`
    harness.secrets.add(password)
    const confirm = expectForm(await (await firstForm(harness)).submit('sign-up', { identity: `+${phone}`, password }), 'confirm-sign-up')
    const signedIn = remember(harness, expectDone(await confirm.submit('code', { code: await harness.sms(phone) })))
    return { phone, signedIn }
  }

  /** A signed-in person who asked to move to `<tag>-<their address>`: the codes sent to both addresses. */
  async function emailChangeSent(tag: string) {
    const person = await harness.person()
    const account = accountOf(harness, await signInWithPassword(harness, person))
    const next = `${tag}-${person.email}`
    await run(harness, account, 'change-email', 'send', { email: next })
    const sent = Date.now()
    const [toNew, toCurrent] = [await harness.mail(next), await harness.mail(person.email)]
    return { person, account, next, toNew, toCurrent, sent }
  }

  it('a new email address that is not one, or that another account has, is refused on its field in words that say so', async () => {
    const taken = await harness.person()
    const person = await harness.person()
    const account = accountOf(harness, await signInWithPassword(harness, person))
    expect(await failure(run(harness, account, 'change-email', 'send', { email: 'not-an-address' }))).toMatchObject({ code: 'VALIDATION', field: 'email', message: 'Enter a valid email address.' })
    expect(await failure(run(harness, account, 'change-email', 'send', { email: taken.email }))).toMatchObject({ code: 'VALIDATION', field: 'email', message: 'Another account already uses this email address.' })
    // One Latchkey's own check lets through and the server refuses: its words say why.
    expect(await failure(run(harness, account, 'change-email', 'send', { email: 'ann@-example.test' }))).toMatchObject({
      code: 'VALIDATION',
      field: 'email',
      message: `${harness.host} did not accept what was sent (it said: “Unable to validate email address: invalid format”).`,
    })
    expect(await failure(run(harness, account, 'change-phone', 'send', { phone: '+0155501234' }))).toMatchObject({ code: 'VALIDATION', field: 'phone', message: 'Enter the phone number with its country code, starting with +.' })
    expect((await actions(harness, account)).map((action) => action.id)).not.toContain('confirm-email-change')
  })

  it('a phone sign-up shows the number and “phone” as the way to sign in; adding an email address then shows it, after the phone', async () => {
    const { phone, signedIn } = await phoneSignUp()
    expect(signedIn.identity).toMatchObject({ email: `+${phone}`, name: null })
    expect(signedIn.profile).toMatchObject({ phone: `+${phone}`, sign_in_methods: 'phone' })
    expect(signedIn.profile.email).toBeUndefined()
    const account = accountOf(harness, signedIn)
    const listed = await actions(harness, account)
    expect(listed.find((action) => action.id === 'identities')?.form.fields[0]?.options?.map((option) => option.label)).toEqual([`Phone (+${phone})`])

    const email = `added-${phone}@example.test`
    await run(harness, account, 'change-email', 'send', { email })
    expect(fieldsOf(await actions(harness, account), 'confirm-email-change')).toEqual([['newCode', `Code sent to ${email}`, true]])
    const done = await run(harness, account, 'confirm-email-change', 'confirm', { newCode: (await harness.mail(email)).code })
    if (done.session !== undefined) harness.secrets.add(done.session.accessToken).add(done.session.refreshToken ?? '')
    expect(done.message).toBe(`The email address is now ${email}.`)
    expect(done.identity).toMatchObject({ email })
    expect(done.profile).toMatchObject({ email, phone: `+${phone}`, sign_in_methods: 'phone, email' })
  })

  it('secure email change one code at a time: after the new address’s code the form asks only for the current one, which finishes the change', async () => {
    const { person, account, next, toNew, toCurrent } = await emailChangeSent('next')
    const half = await run(harness, account, 'confirm-email-change', 'confirm', { newCode: toNew.code })
    expect(half.message).toBe(`The code sent to ${next} is accepted. ${harness.host} also asks for the code sent to ${person.email}.`)
    expect(fieldsOf(await actions(harness, account), 'confirm-email-change')).toEqual([['currentCode', `Code sent to ${person.email}`, true]])
    const missing = await failure(run(harness, account, 'confirm-email-change', 'confirm', {}))
    expect(missing).toMatchObject({ code: 'VALIDATION', field: 'currentCode', message: `Enter the code sent to ${person.email}.` })
    const done = await run(harness, account, 'confirm-email-change', 'confirm', { currentCode: toCurrent.code })
    if (done.session !== undefined) harness.secrets.add(done.session.accessToken).add(done.session.refreshToken ?? '')
    expect(done.message).toBe(`The email address is now ${next}.`)
    expect(done.profile).toMatchObject({ email: next })
    expect(done.profile?.pending_email).toBeUndefined()
  })

  it('once Latchkey has forgotten which code was accepted (after ten minutes), typing both codes again still finishes the change', async () => {
    const { account, next, toNew, toCurrent } = await emailChangeSent('again')
    await run(harness, account, 'confirm-email-change', 'confirm', { newCode: toNew.code })
    const later = { ...harness.ctx, clock: { ...harness.ctx.clock, now: () => Date.now() + 11 * 60_000 } }
    const forgotten = (await harness.provider.actions?.(account, later))?.find((action) => action.id === 'confirm-email-change')
    expect(forgotten?.form.fields.map((field) => field.key)).toEqual(['newCode', 'currentCode'])
    // The first code finishes the change (auth-js asks it with a PKCE challenge, so the server did not
    // spend it); the second is then refused, and the change is still reported as done.
    const done = await harness.provider.runAction?.(account, 'confirm-email-change', 'confirm', { newCode: toNew.code, currentCode: toCurrent.code }, later)
    if (done === undefined) throw new Error('no actions')
    if (done.session !== undefined) harness.secrets.add(done.session.accessToken).add(done.session.refreshToken ?? '')
    expect(done.message).toBe(`The email address is now ${next}.`)
  })

  it('changing the password while an email change waits says its codes no longer work; codes sent again finish the change', async () => {
    const { person, account, next, toNew, toCurrent, sent } = await emailChangeSent('pw')
    harness.secrets.add('pw-changed-password-1')
    const changed = await run(harness, account, 'change-password', 'change', { password: 'pw-changed-password-1', passwordConfirm: 'pw-changed-password-1' })
    expect(changed.message).toBe(`Password changed. You are still signed in here; the account’s other sessions were signed out. The codes sent earlier for the change to ${next} no longer work: send new ones under “Finish the change”.`)
    const stale = await failure(run(harness, account, 'confirm-email-change', 'confirm', { newCode: toNew.code, currentCode: toCurrent.code }))
    expect(stale).toMatchObject({ code: 'VALIDATION', field: 'newCode' })
    // One email change mail a second (GOTRUE_SMTP_MAX_FREQUENCY here).
    await untilSendAllowed(sent)
    const mailsTo = (to: string): number => harness.server.mails().filter((mail) => mail.to === to).length
    const before = { toNew: mailsTo(next), toCurrent: mailsTo(person.email) }
    await run(harness, account, 'confirm-email-change', 'resend')
    const done = await run(harness, account, 'confirm-email-change', 'confirm', { newCode: (await harness.mail(next, before.toNew)).code, currentCode: (await harness.mail(person.email, before.toCurrent)).code })
    if (done.session !== undefined) harness.secrets.add(done.session.accessToken).add(done.session.refreshToken ?? '')
    expect(done.message).toBe(`The email address is now ${next}.`)
  })

  it('“Text me a new code” sends another code to the number being added or changed to, and that code finishes the change', async () => {
    for (const person of [await harness.person(), await harness.person({ phone: true })]) {
      const account = accountOf(harness, await signInWithPassword(harness, person))
      const phone = newPhone()
      await run(harness, account, 'change-phone', 'send', { phone: `+${phone}` })
      const sent = Date.now()
      await harness.sms(phone)
      expect((await actions(harness, account)).find((action) => action.id === 'confirm-phone-change')?.form.actions.map((action) => action.id)).toEqual(['confirm', 'resend'])
      // One text a second to an account (GOTRUE_SMS_MAX_FREQUENCY here).
      await untilSendAllowed(sent)
      expect((await run(harness, account, 'confirm-phone-change', 'resend')).message).toBe(`A new code was texted to +${phone}.`)
      const done = await run(harness, account, 'confirm-phone-change', 'confirm', { code: await harness.sms(phone, 1) })
      if (done.session !== undefined) harness.secrets.add(done.session.accessToken).add(done.session.refreshToken ?? '')
      expect(done.profile).toMatchObject({ phone: `+${phone}` })
    }
  })

  it('a phone change waiting for its code shows in the profile; a number another account has is refused on the phone field', async () => {
    const taken = await harness.person({ phone: true })
    const person = await harness.person()
    const account = accountOf(harness, await signInWithPassword(harness, person))
    const refused = await failure(run(harness, account, 'change-phone', 'send', { phone: `+${taken.phone}` }))
    expect(refused).toMatchObject({ code: 'VALIDATION', field: 'phone', message: 'Another account already uses this phone number.' })
    const phone = newPhone()
    await run(harness, account, 'change-phone', 'send', { phone: `+${phone}` })
    const saved = await run(harness, account, 'profile', 'save', { name: 'Pat', avatarUrl: '' })
    expect(saved.profile).toMatchObject({ name: 'Pat', pending_phone: `+${phone}` })
    const done = await run(harness, account, 'confirm-phone-change', 'confirm', { code: await harness.sms(phone) })
    if (done.session !== undefined) harness.secrets.add(done.session.accessToken).add(done.session.refreshToken ?? '')
    expect(done.profile).toMatchObject({ phone: `+${phone}`, sign_in_methods: 'email, phone' })
    expect(done.profile?.pending_phone).toBeUndefined()
  })
})
