import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import type { ProviderAccount } from '../../core/provider.ts'
import type { SignedIn } from '../../core/sessions/session.ts'
import { expectDone, expectForm, failure, firstForm, remember, signInWithPassword, TARGETS, useTarget } from './test-targets.ts'
import type { Harness } from './test-targets.ts'
import { untilSendAllowed } from './testing/server-rules.ts'
import { untilNextSecond } from '../testing/server-clock.ts'

/** Enrols and verifies a phone factor straight on the server (POST /factors, /challenge, /verify), as another app of the person would. */
async function addPhoneFactor(harness: Harness, signedIn: SignedIn, phone: string): Promise<void> {
  const call = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(`${harness.server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', apikey: harness.server.anonKey, authorization: `Bearer ${signedIn.session.accessToken}` },
      body: JSON.stringify(body),
    })
    const answer = (await response.json()) as Record<string, unknown>
    if (!response.ok) throw new Error(`${path}: ${String(response.status)} ${JSON.stringify(answer)}`)
    return answer
  }
  const factor = await call('/factors', { factor_type: 'phone', phone: `+${phone}`, friendly_name: 'Work phone' })
  const challenge = await call(`/factors/${String(factor.id)}/challenge`, {})
  const code = await harness.sms(phone)
  const verified = await call(`/factors/${String(factor.id)}/verify`, { challenge_id: challenge.id, code })
  harness.secrets.add(String(verified.access_token)).add(String(verified.refresh_token))
}


/**
 * One phone-factor text per factor per this many seconds on these tests' servers: the test of a
 * text held back needs the sign-in's challenge to come within the interval after the challenge
 * that added the phone, and against the real server on a loaded machine that took up to 1.9 s.
 */
const PHONE_INTERVAL_SECONDS = 3
const untilTextAllowed = (sentBy: number): Promise<void> => untilSendAllowed(sentBy, PHONE_INTERVAL_SECONDS)

/** How many texts this phone got so far. */
function textsTo(harness: Harness, phone: string): number {
  return harness.server.texts().filter((sms) => sms.phone === phone).length
}

describe.each(TARGETS)('Supabase sign-in with a phone as the second factor against the $name', (target) => {
  const harness = useTarget(target, { mfaPhone: true, maxFrequencySeconds: PHONE_INTERVAL_SECONDS })

  it('texts a code as soon as the password is right, and ends at aal2 with it; a wrong code is refused on the code field', async () => {
    const person = await harness.person()
    const phone = `1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`
    await addPhoneFactor(harness, await signInWithPassword(harness, person), phone)
    // One text per phone factor and minute (MFA.Phone.MaxFrequency; PHONE_INTERVAL_SECONDS here).
    await untilTextAllowed(Date.now())
    const texts = textsTo(harness, phone)
    const step = expectForm(await (await firstForm(harness)).submit('password', { identity: person.email, password: person.password }), 'mfa')
    const passwordUsed = Date.now()
    expect(step.form.description).toBe(`${harness.host} asks for a second step: a code was texted to +${phone}.`)
    expect(step.form.fields.map((field) => [field.key, field.label])).toEqual([['code', 'Code from the text message']])
    expect(step.form.actions.map((action) => action.id)).toEqual(['mfa', 'send-code', 'back'])
    const code = await harness.sms(phone, texts)
    const wrong = await failure(step.submit('mfa', { code: code === '000000' ? '111111' : '000000' }))
    expect(wrong).toMatchObject({ code: 'VALIDATION', field: 'code' })
    // The second factor in a later second than the first (amr timestamps are whole seconds): the
    // server lists the newest first; the account shows them in the order the person used them.
    await untilNextSecond(passwordUsed)
    const signedIn = remember(harness, expectDone(await step.submit('mfa', { code })))
    const claims = decodeJwt(signedIn.session.accessToken)
    expect(claims.aal).toBe('aal2')
    expect(signedIn.profile.assurance_level).toBe('aal2: second factor verified (password, mfa/phone)')
  })

  it('“Text me a new code” sends another text; the newest code signs in', async () => {
    const person = await harness.person()
    const phone = `1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`
    await addPhoneFactor(harness, await signInWithPassword(harness, person), phone)
    await untilTextAllowed(Date.now())
    const step = expectForm(await (await firstForm(harness)).submit('password', { identity: person.email, password: person.password }), 'mfa')
    await untilTextAllowed(Date.now())
    const texts = textsTo(harness, phone)
    const again = expectForm(await step.submit('send-code', {}), 'mfa')
    const code = await harness.sms(phone, texts)
    const signedIn = remember(harness, expectDone(await again.submit('mfa', { code })))
    expect(decodeJwt(signedIn.session.accessToken).aal).toBe('aal2')
  })

  it('a text held back by the one-a-minute rule still opens the step, which says when to ask again', async () => {
    const person = await harness.person()
    const phone = `1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`
    await addPhoneFactor(harness, await signInWithPassword(harness, person), phone)
    const challenged = Date.now()
    const step = expectForm(await (await firstForm(harness)).submit('password', { identity: person.email, password: person.password }), 'mfa')
    expect(step.form.description).toMatch(new RegExp(`^${harness.host} asks for a second step: press “Text me a code”, then enter the code\\. ${harness.host} has sent too many text messages\\. Try again after `))
    const early = await failure(step.submit('mfa', { code: '123456' }))
    expect(early).toMatchObject({ code: 'VALIDATION', field: 'code' })
    await untilTextAllowed(challenged)
    const texts = textsTo(harness, phone)
    const texted = expectForm(await step.submit('send-code', {}), 'mfa')
    const signedIn = remember(harness, expectDone(await texted.submit('mfa', { code: await harness.sms(phone, texts) })))
    expect(decodeJwt(signedIn.session.accessToken).aal).toBe('aal2')
  })

  it('a phone is added as a second factor in Latchkey: a texted code turns it on (aal2), and the next sign-in asks for a texted code', async () => {
    const person = await harness.person()
    const signedIn = await signInWithPassword(harness, person)
    const account: ProviderAccount = { config: harness.config, session: signedIn.session, identity: signedIn.identity, label: person.email }
    const phone = `1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`
    const run = async (form: string, action: string, values: Record<string, string> = {}) => {
      if (harness.provider.runAction === undefined) throw new Error('no actions')
      return harness.provider.runAction(account, form, action, values, harness.ctx)
    }
    expect((await harness.provider.actions?.(account, harness.ctx))?.map((action) => action.id)).toContain('mfa-phone-enroll')
    const started = await run('mfa-phone-enroll', 'start', { phone: `+${phone}` })
    const challenged = Date.now()
    expect(started.message).toBe(`A code was texted to +${phone}: enter it under “Finish adding +${phone} as a second factor”.`)
    const verifyForm = (await harness.provider.actions?.(account, harness.ctx))?.find((action) => action.id === 'mfa-phone-verify')
    expect(verifyForm?.form.title).toBe(`Finish adding +${phone} as a second factor`)
    const code = await harness.sms(phone)
    const wrong = await failure(run('mfa-phone-verify', 'verify', { code: code === '000000' ? '111111' : '000000' }))
    expect(wrong).toMatchObject({ code: 'VALIDATION', field: 'code' })
    const on = await run('mfa-phone-verify', 'verify', { code })
    if (on.session === undefined) throw new Error('no aal2 session')
    harness.secrets.add(on.session.accessToken).add(on.session.refreshToken ?? '')
    expect(decodeJwt(on.session.accessToken).aal).toBe('aal2')
    const factors = (await harness.provider.actions?.({ ...account, session: on.session }, harness.ctx))?.find((action) => action.id === 'mfa-factors')
    expect(factors?.form.fields[0]?.options?.map((option) => option.label)).toEqual([`Phone +${phone}`])

    await untilTextAllowed(challenged)
    const texts = textsTo(harness, phone)
    const step = expectForm(await (await firstForm(harness)).submit('password', { identity: person.email, password: person.password }), 'mfa')
    const again = remember(harness, expectDone(await step.submit('mfa', { code: await harness.sms(phone, texts) })))
    expect(decodeJwt(again.session.accessToken).aal).toBe('aal2')
  })
})
