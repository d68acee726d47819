import { decodeJwt } from 'jose'
import { Secret, TOTP } from 'otpauth'
import { describe, expect, it } from 'vitest'
import type { AccountAction } from '../../../shared/contract.ts'
import { RefreshRejectedError } from '../../core/errors.ts'
import type { ProviderAccount } from '../../core/provider.ts'
import type { SignedIn } from '../../core/sessions/session.ts'
import { expectDone, expectForm, failure, firstForm, remember, signInWithPassword, TARGETS, useTarget } from './test-targets.ts'
import type { Harness } from './test-targets.ts'
import { untilSendAllowed } from './testing/server-rules.ts'

function accountOf(harness: Harness, signedIn: SignedIn): ProviderAccount {
  return { config: harness.config, session: signedIn.session, identity: signedIn.identity, label: signedIn.identity.email ?? '' }
}

async function actions(harness: Harness, account: ProviderAccount): Promise<AccountAction[]> {
  const list = await harness.provider.actions?.(account, harness.ctx)
  return list ?? []
}

async function run(harness: Harness, account: ProviderAccount, form: string, action: string, values: Record<string, string> = {}) {
  if (harness.provider.runAction === undefined) throw new Error('no actions')
  return harness.provider.runAction(account, form, action, values, harness.ctx)
}

function totpFor(secret: string): string {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate()
}

describe.each(TARGETS)('Supabase account actions against the $name', (target) => {
  const harness = useTarget(target)

  it('edits the display name and avatar URL (user metadata)', async () => {
    const person = await harness.person({ name: 'Old Name' })
    const account = accountOf(harness, await signInWithPassword(harness, person))
    const profile = (await actions(harness, account)).find((action) => action.id === 'profile')
    expect(profile?.form.fields.map((field) => [field.key, field.value])).toEqual([
      ['name', 'Old Name'],
      ['avatarUrl', ''],
    ])
    const bad = await failure(run(harness, account, 'profile', 'save', { name: 'X', avatarUrl: 'javascript:alert(1)' }))
    expect(bad).toMatchObject({ code: 'VALIDATION', field: 'avatarUrl' })
    const saved = await run(harness, account, 'profile', 'save', { name: 'New Name', avatarUrl: 'https://example.test/me.png' })
    expect(saved.identity?.name).toBe('New Name')
    expect(saved.profile).toMatchObject({ name: 'New Name', avatar_url: 'https://example.test/me.png' })
  })

  it('enrolls an authenticator (QR and secret), then sign-in asks for its code and ends at aal2', async () => {
    const person = await harness.person()
    const account = accountOf(harness, await signInWithPassword(harness, person))
    expect((await actions(harness, account)).map((action) => action.id)).toContain('mfa-enroll')
    await run(harness, account, 'mfa-enroll', 'start', { name: 'Phone' })
    const verify = (await actions(harness, account)).find((action) => action.id === 'mfa-verify')
    const qr = verify?.form.fields.find((field) => field.kind === 'qr')
    expect(qr?.preview).toMatch(/^data:image\/svg\+xml;base64,/)
    const secret = qr?.value ?? ''
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/)
    harness.secrets.add(secret)
    const wrong = await failure(run(harness, account, 'mfa-verify', 'verify', { code: totpFor(secret) === '000000' ? '111111' : '000000' }))
    expect(wrong).toMatchObject({ code: 'VALIDATION', field: 'code' })
    const elsewhere = await signInWithPassword(harness, person)
    const enrolled = await run(harness, account, 'mfa-verify', 'verify', { code: totpFor(secret) })
    expect(enrolled.session).toBeDefined()
    // The server ends the person's one-factor sessions once a factor is verified, and the message says so.
    expect(enrolled.message).toBe('The authenticator is on: signing in now also asks for its code. This session is now aal2. Your other sessions that had not used a second factor were signed out.')
    expect(await failure(harness.provider.refresh(harness.config, elsewhere.session, harness.ctx))).toBeInstanceOf(RefreshRejectedError)
    harness.secrets.add(enrolled.session?.accessToken ?? '').add(enrolled.session?.refreshToken ?? '')
    expect(decodeJwt(enrolled.session?.accessToken ?? '').aal).toBe('aal2')
    expect(enrolled.profile?.assurance_level).toMatch(/^aal2: second factor verified/)

    const step = expectForm(await (await firstForm(harness)).submit('password', { identity: person.email, password: person.password }), 'mfa')
    expect(step.form.description).toContain('authenticator app')
    const bad = await failure(step.submit('mfa', { code: '12345' }))
    expect(bad).toMatchObject({ code: 'VALIDATION', field: 'code' })
    const signedIn = remember(harness, expectDone(await step.submit('mfa', { code: totpFor(secret) })))
    expect(decodeJwt(signedIn.session.accessToken).aal).toBe('aal2')

    // The verified factor is listed and can be removed from an aal2 session.
    const aal2 = accountOf(harness, signedIn)
    const factors = (await actions(harness, aal2)).find((action) => action.id === 'mfa-factors')
    const factorId = factors?.form.fields[0]?.value ?? ''
    expect(factors?.form.fields[0]?.options?.map((option) => option.label)).toEqual(['Phone'])
    await run(harness, aal2, 'mfa-factors', 'remove', { factor: factorId })
    expectDone(await (await firstForm(harness)).submit('password', { identity: person.email, password: person.password }))
  })

  it('a second authenticator set up without a name gets one of its own (the server refuses two factors with one name, the empty one too)', async () => {
    const person = await harness.person()
    const first = accountOf(harness, await signInWithPassword(harness, person))
    await run(harness, first, 'mfa-enroll', 'start', {})
    const secret = (await actions(harness, first)).find((action) => action.id === 'mfa-verify')?.form.fields.find((field) => field.kind === 'qr')?.value ?? ''
    harness.secrets.add(secret)
    const enrolled = await run(harness, first, 'mfa-verify', 'verify', { code: totpFor(secret) })
    if (enrolled.session === undefined) throw new Error('no aal2 session')
    harness.secrets.add(enrolled.session.accessToken).add(enrolled.session.refreshToken ?? '')
    const aal2 = { ...first, session: enrolled.session }
    const started = await run(harness, aal2, 'mfa-enroll', 'start', {})
    expect(started.message).toContain('Scan the QR code')
    await run(harness, aal2, 'mfa-verify', 'cancel')
    const factors = (await actions(harness, aal2)).find((action) => action.id === 'mfa-factors')
    expect(factors?.form.fields[0]?.options?.map((option) => option.label)).toEqual(['Authenticator 1'])
  })

  it('an anonymous account is not offered an authenticator: the server allows factors only to named accounts', async () => {
    const anonymous = remember(harness, expectDone(await (await firstForm(harness)).submit('anonymous', {})))
    const offered = (await actions(harness, accountOf(harness, anonymous))).map((action) => action.id)
    expect(offered).not.toContain('mfa-enroll')
    const refused = await failure(run(harness, accountOf(harness, anonymous), 'mfa-enroll', 'start', {}))
    expect(refused.message).toBe('An anonymous account cannot have an authenticator. Keep the account first: add an email address.')
  })

  it('changes the password and stays signed in; the account’s other sessions end', async () => {
    const person = await harness.person()
    const here = await signInWithPassword(harness, person)
    const other = await signInWithPassword(harness, person)
    harness.secrets.add('changed-password-1')
    const done = await run(harness, accountOf(harness, here), 'change-password', 'change', { password: 'changed-password-1', passwordConfirm: 'changed-password-1' })
    expect(done.message).toBe('Password changed. You are still signed in here; the account’s other sessions were signed out.')
    expect(done.sessionEnded).toBeUndefined()
    const renewed = await harness.provider.refresh(harness.config, here.session, harness.ctx)
    harness.secrets.add(renewed.session.accessToken).add(renewed.session.refreshToken ?? '')
    expect(await failure(harness.provider.refresh(harness.config, other.session, harness.ctx))).toBeInstanceOf(RefreshRejectedError)
    await signInWithPassword(harness, { email: person.email, password: 'changed-password-1' })
    const same = await failure(run(harness, accountOf(harness, { ...here, session: renewed.session }), 'change-password', 'change', { password: 'changed-password-1', passwordConfirm: 'changed-password-1' }))
    expect(same).toMatchObject({ code: 'VALIDATION', field: 'password', message: 'The new password must be different from the current one.' })
  })

  it('changes the email address with the codes sent to both addresses (secure change)', async () => {
    const person = await harness.person()
    const account = accountOf(harness, await signInWithPassword(harness, person))
    const newEmail = `moved-${person.email}`
    const sent = await run(harness, account, 'change-email', 'send', { email: newEmail })
    expect(sent.message).toContain(newEmail)
    const toNew = await harness.mail(newEmail)
    const toOld = await harness.mail(person.email)
    const confirm = (await actions(harness, account)).find((action) => action.id === 'confirm-email-change')
    expect(confirm?.form.title).toBe(`Finish the change to ${newEmail}`)
    const done = await run(harness, account, 'confirm-email-change', 'confirm', { newCode: toNew.code, currentCode: toOld.code })
    expect(done.message).toBe(`The email address is now ${newEmail}.`)
    if (done.session) harness.secrets.add(done.session.accessToken).add(done.session.refreshToken ?? '')
    await signInWithPassword(harness, { email: newEmail, password: person.password })
  })

  it('sends the email-change codes again: new codes reach both addresses, and they finish the change', async () => {
    const person = await harness.person()
    const account = accountOf(harness, await signInWithPassword(harness, person))
    const newEmail = `again-${person.email}`
    await run(harness, account, 'change-email', 'send', { email: newEmail })
    const sent = Date.now()
    await harness.mail(newEmail)
    // One email change mail per minute (GOTRUE_SMTP_MAX_FREQUENCY; a second here).
    await untilSendAllowed(sent)
    const before = { toNew: harness.server.mails().filter((mail) => mail.to === newEmail).length, toOld: harness.server.mails().filter((mail) => mail.to === person.email).length }
    const resent = await run(harness, account, 'confirm-email-change', 'resend')
    expect(resent.message).toBe(`New codes were sent to ${newEmail} and, if the project asks both addresses to confirm, to ${person.email}.`)
    const toNew = await harness.mail(newEmail, before.toNew)
    const toOld = await harness.mail(person.email, before.toOld)
    const done = await run(harness, account, 'confirm-email-change', 'confirm', { newCode: toNew.code, currentCode: toOld.code })
    expect(done.message).toBe(`The email address is now ${newEmail}.`)
    if (done.session) harness.secrets.add(done.session.accessToken).add(done.session.refreshToken ?? '')
  })

  it('a confirmed email change keeps this session and its second factor (the new session the server signs in ends), renewed with the new address', async () => {
    const person = await harness.person()
    const first = accountOf(harness, await signInWithPassword(harness, person))
    await run(harness, first, 'mfa-enroll', 'start', { name: 'Phone' })
    const secret = (await actions(harness, first)).find((action) => action.id === 'mfa-verify')?.form.fields.find((field) => field.kind === 'qr')?.value ?? ''
    harness.secrets.add(secret)
    const enrolled = await run(harness, first, 'mfa-verify', 'verify', { code: totpFor(secret) })
    if (enrolled.session === undefined) throw new Error('no aal2 session')
    harness.secrets.add(enrolled.session.accessToken).add(enrolled.session.refreshToken ?? '')
    const account = { ...first, session: enrolled.session }
    const before = decodeJwt(account.session.accessToken)
    const newEmail = `mfa-${person.email}`
    await run(harness, account, 'change-email', 'send', { email: newEmail })
    const done = await run(harness, account, 'confirm-email-change', 'confirm', { newCode: (await harness.mail(newEmail)).code, currentCode: (await harness.mail(person.email)).code })
    expect(done.message).toBe(`The email address is now ${newEmail}.`)
    if (done.session === undefined) throw new Error('the session was not renewed')
    harness.secrets.add(done.session.accessToken).add(done.session.refreshToken ?? '')
    const after = decodeJwt(done.session.accessToken)
    expect([after.session_id, after.aal, after.email]).toEqual([before.session_id, 'aal2', newEmail])
    expect(done.profile?.email).toBe(newEmail)
  })

  it('a confirmed phone change keeps this session, renewed with the new number', async () => {
    const person = await harness.person()
    const account = accountOf(harness, await signInWithPassword(harness, person))
    const phone = `1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`
    await run(harness, account, 'change-phone', 'send', { phone: `+${phone}` })
    const done = await run(harness, account, 'confirm-phone-change', 'confirm', { code: await harness.sms(phone) })
    if (done.session === undefined) throw new Error('the session was not renewed')
    harness.secrets.add(done.session.accessToken).add(done.session.refreshToken ?? '')
    const after = decodeJwt(done.session.accessToken)
    expect([after.session_id, after.phone]).toEqual([decodeJwt(account.session.accessToken).session_id, phone])
    expect(done.profile?.phone).toBe(`+${phone}`)
  })

  it('adds a phone number confirmed by a texted code', async () => {
    const person = await harness.person()
    const account = accountOf(harness, await signInWithPassword(harness, person))
    const phone = `1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`
    await run(harness, account, 'change-phone', 'send', { phone: `+${phone}` })
    const code = await harness.sms(phone)
    const done = await run(harness, account, 'confirm-phone-change', 'confirm', { code })
    expect(done.message).toBe(`The phone number is now +${phone}.`)
  })

  it('signs out the other sessions (this one stays), then everywhere (this one ends too), each after a confirmation', async () => {
    const person = await harness.person()
    const here = await signInWithPassword(harness, person)
    const other = await signInWithPassword(harness, person)
    const unconfirmed = await failure(run(harness, accountOf(harness, here), 'sign-out-others', 'others', { confirm: 'false' }))
    expect(unconfirmed).toMatchObject({ code: 'VALIDATION', field: 'confirm' })
    const others = await run(harness, accountOf(harness, here), 'sign-out-others', 'others', { confirm: 'true' })
    expect(others.sessionEnded).toBeUndefined()
    expect(await failure(harness.provider.refresh(harness.config, other.session, harness.ctx))).toBeInstanceOf(RefreshRejectedError)
    const third = await signInWithPassword(harness, person)
    const everywhere = await run(harness, accountOf(harness, here), 'sign-out-everywhere', 'global', { confirm: 'true' })
    expect(everywhere.sessionEnded).toBe(`You signed out of every session on ${harness.host}. Sign in again to use this account.`)
    expect(everywhere.message).toContain('stays valid until')
    expect(await failure(harness.provider.refresh(harness.config, third.session, harness.ctx))).toBeInstanceOf(RefreshRejectedError)
  })

  it('lists linked identities; the only one cannot be unlinked, and the server says why', async () => {
    const person = await harness.person()
    const account = accountOf(harness, await signInWithPassword(harness, person))
    const identities = (await actions(harness, account)).find((action) => action.id === 'identities')
    expect(identities?.form.fields[0]?.options?.map((option) => option.label)).toEqual([`Email (${person.email})`])
    const error = await failure(run(harness, account, 'identities', 'unlink', { identity: identities?.form.fields[0]?.value ?? '' }))
    expect(error.message).toBe('This is the account’s only way to sign in, so it cannot be removed.')
  })

  it('keeps an anonymous account: adds an email address confirmed by its code, then a password to sign in with', async () => {
    const anonymous = remember(harness, expectDone(await (await firstForm(harness)).submit('anonymous', {})))
    const account = accountOf(harness, anonymous)
    const offered = (await actions(harness, account)).map((action) => action.id)
    expect(offered).toContain('upgrade')
    expect(offered).not.toContain('change-password')
    const email = `kept-${String(Date.now())}@example.test`
    const sent = await run(harness, account, 'upgrade', 'send', { email })
    expect(sent.message).toBe(`A code was sent to ${email}: enter it under “Finish the change”.`)
    const { code } = await harness.mail(email)
    const confirm = (await actions(harness, account)).find((action) => action.id === 'confirm-email-change')
    expect(confirm?.form.fields.map((field) => field.key)).toEqual(['newCode'])
    const done = await run(harness, account, 'confirm-email-change', 'confirm', { newCode: code })
    expect(done.message).toBe(`The email address is now ${email}.`)
    const kept = { ...account, session: done.session ?? account.session }
    if (done.session) remember(harness, { ...anonymous, session: done.session })
    const now = (await actions(harness, kept)).map((action) => action.id)
    expect(now).not.toContain('upgrade')
    // The server says nothing about whether a password is set: the form is offered as a change.
    expect(now).toContain('change-password')
    harness.secrets.add('kept-password-1')
    const set = await run(harness, kept, 'change-password', 'change', { password: 'kept-password-1', passwordConfirm: 'kept-password-1' })
    expect(set.message).toContain('Password changed.')
    const again = await signInWithPassword(harness, { email, password: 'kept-password-1' })
    expect(again.identity.subject).toBe(anonymous.identity.subject)
    expect(again.profile.anonymous).toBeUndefined()
  })

  it('an account whose session ended elsewhere is reported, not failed', async () => {
    const person = await harness.person()
    const signedIn = await signInWithPassword(harness, person)
    await harness.provider.signOut(harness.config, signedIn.session, harness.ctx)
    const error = await failure(actions(harness, accountOf(harness, signedIn)))
    expect(error.code).toBe('REFRESH_REJECTED')
    const result = await run(harness, accountOf(harness, signedIn), 'profile', 'save', { name: 'x' })
    expect(result.sessionEnded).toContain(harness.host)
  })
})
