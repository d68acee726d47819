import { describe, expect, it } from 'vitest'
import type { AccountAction } from '../../../shared/contract.ts'
import type { ActionResult, ProviderAccount } from '../../core/provider.ts'
import type { SignedIn } from '../../core/sessions/session.ts'
import { ALICE, BOB, CAROL, CAROL_SECRET, coreWithAccount, expectDone, expectForm, failure, firstForm, leakedSecrets, signIn, startHarness, totpCode, useHarness } from './test-harness.ts'
import type { Harness, TestUser } from './test-harness.ts'
import { boot } from '../../core/testing/harness.ts'

function accountOf(harness: Harness, signedIn: SignedIn, config = harness.config): ProviderAccount {
  return { config, session: signedIn.session, identity: signedIn.identity, label: signedIn.identity.email ?? '' }
}

async function actionsOf(harness: Harness, account: ProviderAccount): Promise<AccountAction[]> {
  return (await harness.provider.actions?.(account, harness.ctx)) ?? []
}

function run(harness: Harness, account: ProviderAccount, form: string, action: string, values: Record<string, string> = {}): Promise<ActionResult> {
  if (harness.provider.runAction === undefined) throw new Error('no actions')
  return harness.provider.runAction(account, form, action, values, harness.ctx)
}

const host = (harness: Harness): string => new URL(harness.emulator.url).host

describe('Synmetrix account actions', () => {
  const harness = useHarness()

  it('offers the token’s allowed roles and remembers the one chosen for other tools', async () => {
    const account = accountOf(harness, await signIn(harness, ALICE))
    const role = (await actionsOf(harness, account)).find((action) => action.id === 'role')
    expect(role?.form.fields[0]).toMatchObject({ kind: 'choice', value: 'user', options: [{ value: 'user', label: 'user' }, { value: 'analyst', label: 'analyst' }] })
    const result = await run(harness, account, 'role', 'save', { role: 'analyst' })
    expect(result.config).toEqual({ role: 'analyst' })
    expect(result.profile).toMatchObject({ 'Role for other tools': 'analyst', 'Default role': 'user' })
    expect((await failure(run(harness, account, 'role', 'save', { role: 'admin' }))).field).toBe('role')
  })

  it('changes the password: a wrong current one is refused on its field; HBP keeps every session alive', async () => {
    const elsewhere = await signIn(harness, BOB)
    const account = accountOf(harness, await signIn(harness, BOB))
    const wrong = await failure(run(harness, account, 'change-password', 'change', { oldPassword: 'not-it-1', password: 'new-bob-pass', passwordConfirm: 'new-bob-pass' }))
    expect(wrong).toMatchObject({ code: 'VALIDATION', field: 'oldPassword', message: 'The current password is wrong.' })
    harness.secrets.add('new-bob-pass')
    const result = await run(harness, account, 'change-password', 'change', { oldPassword: BOB.password, password: 'new-bob-pass', passwordConfirm: 'new-bob-pass' })
    expect(result.message).toMatch(/other devices/)
    expect(result.sessionEnded).toBeUndefined()
    // Not revoked by HBP: the other device's refresh token still renews.
    await harness.provider.refresh(harness.config, elsewhere.session, harness.ctx)
    await signIn(harness, { ...BOB, password: 'new-bob-pass' })
    harness.emulator.setPassword(BOB.email, BOB.password)
  })

  it('sets a first password on an account that has none (made by a sign-in link): the current password is left empty', async () => {
    const linkOnly = { email: 'gail@links.com' }
    const local = await startHarness({ users: [linkOnly, BOB] })
    try {
      const paste = expectForm(await (await firstForm(local)).submit('magic-link', { email: linkOnly.email }), 'paste-link')
      const signedIn = expectDone(await paste.submit('use-link', { link: local.emulator.outbox.last(linkOnly.email, 'magic-link')?.link ?? '' }))
      const form = (await actionsOf(local, accountOf(local, signedIn))).find((action) => action.id === 'change-password')?.form
      expect(form?.fields.find((field) => field.key === 'oldPassword')?.required).toBe(false)
      local.secrets.add('first-pass-1')
      const result = await run(local, accountOf(local, signedIn), 'change-password', 'change', { password: 'first-pass-1', passwordConfirm: 'first-pass-1' })
      expect(result.message).toMatch(/^Password set/)
      expect((await signIn(local, { ...linkOnly, password: 'first-pass-1' })).identity.email).toBe(linkOnly.email)
      // An account that has a password still needs it: said on its field, not as an unexplained refusal.
      const bob = accountOf(local, await signIn(local, BOB))
      const missing = await failure(run(local, bob, 'change-password', 'change', { password: 'new-bob-pass', passwordConfirm: 'new-bob-pass' }))
      expect(missing).toMatchObject({ code: 'VALIDATION', field: 'oldPassword', message: 'Enter your current password.' })
      expect(leakedSecrets(local)).toEqual([])
    } finally {
      await local.stop()
    }
  })

  it('changes the email directly (Synmetrix); a taken address is refused on its field', async () => {
    const user: TestUser = { email: 'frank@direct.com', password: 'frank-pass-1' }
    const local = await startHarness({ users: [user, ALICE] })
    try {
      const account = accountOf(local, await signIn(local, user))
      expect((await failure(run(local, account, 'change-email', 'change', { newEmail: ALICE.email }))).field).toBe('newEmail')
      const result = await run(local, account, 'change-email', 'change', { newEmail: 'frank@new-home.org' })
      expect(result.identity?.email).toBe('frank@new-home.org')
      expect(local.emulator.account('frank@new-home.org')).toBeDefined()
    } finally {
      await local.stop()
    }
  })

  it('changes the email by request + ticket where the server verifies emails', async () => {
    const user: TestUser = { email: 'gina@verify.com', password: 'gina-pass-1' }
    const local = await startHarness({ users: [user], verifyEmails: true })
    try {
      const account = accountOf(local, await signIn(local, user))
      const requested = await run(local, account, 'change-email', 'change', { newEmail: 'gina@elsewhere.org' })
      expect(requested.message).toMatch(/confirmation email is on its way to gina@elsewhere\.org/)
      const ticket = local.emulator.outbox.last('gina@elsewhere.org', 'change-email')?.token ?? ''
      await run(local, account, 'confirm-email-change', 'confirm', { ticket })
      expect(local.emulator.account('gina@elsewhere.org')).toBeDefined()
      expect(leakedSecrets(local)).toEqual([])
    } finally {
      await local.stop()
    }
  })

  it('says Synmetrix has turned lost-password emails off; where it is on, the ticket sets a new password', async () => {
    const account = accountOf(harness, await signIn(harness, ALICE))
    const off = await failure(run(harness, account, 'request-password-reset', 'send', { email: ALICE.email }))
    expect(off).toMatchObject({ code: 'UNSUPPORTED', message: `${host(harness)} has turned lost-password emails off.` })
    const local = await startHarness({ lostPasswordEnabled: true })
    try {
      const there = accountOf(local, await signIn(local, BOB))
      await run(local, there, 'request-password-reset', 'send', { email: BOB.email })
      const ticket = local.emulator.outbox.last(BOB.email, 'lost-password')?.token ?? ''
      local.secrets.add('reset-bob-pass')
      await run(local, there, 'confirm-password-reset', 'confirm', { ticket, password: 'reset-bob-pass', passwordConfirm: 'reset-bob-pass' })
      await signIn(local, { ...BOB, password: 'reset-bob-pass' })
    } finally {
      await local.stop()
    }
  })

  it('sets up authenticator codes: a QR code and the secret, enable with a code, then sign-in asks for one; disable with a code', async () => {
    const user: TestUser = { email: 'hana@mfa-setup.com', password: 'hana-pass-1' }
    const local = await startHarness({ users: [user] })
    try {
      const account = accountOf(local, await signIn(local, user))
      expect((await actionsOf(local, account)).map((action) => action.id)).toContain('mfa-generate')
      await run(local, account, 'mfa-generate', 'generate')
      const secret = local.emulator.account(user.email)?.otpSecret ?? ''
      const enable = (await actionsOf(local, account)).find((action) => action.id === 'mfa-enable')
      const qr = enable?.form.fields.find((field) => field.kind === 'qr')
      expect(qr?.value).toBe(secret)
      expect(qr?.preview).toMatch(/^data:image\/svg\+xml;base64,/)
      expect((await failure(run(local, account, 'mfa-enable', 'enable', { code: '12345' }))).field).toBe('code')
      await run(local, account, 'mfa-enable', 'enable', { code: totpCode(local, secret) })
      expect(local.emulator.account(user.email)?.mfaEnabled).toBe(true)
      expect((await actionsOf(local, account)).map((action) => action.id)).not.toContain('mfa-enable')
      const mfa = expectForm(await (await firstForm(local)).submit('password', { email: user.email, password: user.password }), 'mfa-code')
      expectDone(await mfa.submit('mfa', { code: totpCode(local, secret) }))
      await run(local, account, 'mfa-disable', 'disable', { code: totpCode(local, secret) })
      expect(local.emulator.account(user.email)?.mfaEnabled).toBe(false)
      expect((await failure(run(local, account, 'mfa-disable', 'disable', { code: totpCode(local, secret) }))).message).toMatch(/already off/)
    } finally {
      await local.stop()
    }
  })

  it('a new authenticator secret while codes are on replaces the old one at once: "Turn on" says so instead of refusing', async () => {
    const user: TestUser = { email: 'ivo@mfa-again.com', password: 'ivo-pass-1', otpSecret: CAROL_SECRET }
    const local = await startHarness({ users: [user] })
    try {
      const mfa = expectForm(await (await firstForm(local)).submit('password', { email: user.email, password: user.password }), 'mfa-code')
      const account = accountOf(local, expectDone(await mfa.submit('mfa', { code: totpCode(local, CAROL_SECRET) })))
      await run(local, account, 'mfa-generate', 'generate')
      const secret = local.emulator.account(user.email)?.otpSecret ?? ''
      expect(secret).not.toBe(CAROL_SECRET)
      const result = await run(local, account, 'mfa-enable', 'enable', { code: totpCode(local, secret) })
      expect(result.message).toMatch(/already on/)
      expect(result.message).toMatch(/old entry .* no longer works/)
      expect((await actionsOf(local, account)).map((action) => action.id)).not.toContain('mfa-enable')
      // The server now asks for the new secret's codes.
      const again = expectForm(await (await firstForm(local)).submit('password', { email: user.email, password: user.password }), 'mfa-code')
      expectDone(await again.submit('mfa', { code: totpCode(local, secret) }))
    } finally {
      await local.stop()
    }
  })

  it('says a server with MFA off has turned authenticator codes off', async () => {
    const local = await startHarness({ mfaEnabled: false })
    try {
      const account = accountOf(local, await signIn(local, ALICE))
      expect(await failure(run(local, account, 'mfa-generate', 'generate'))).toMatchObject({ code: 'UNSUPPORTED', message: `${host(local)} has turned authenticator codes off.` })
    } finally {
      await local.stop()
    }
  })

  it('signs out on all devices: every refresh token goes, the session ends, and the JWT note says until when', async () => {
    const one = await signIn(harness, ALICE)
    const two = await signIn(harness, ALICE)
    const result = await run(harness, accountOf(harness, two), 'sign-out-everywhere', 'sign-out')
    expect(harness.emulator.refreshTokensOf(ALICE.email)).toEqual([])
    expect(result.sessionEnded).toMatch(/^Signed out on all devices\. Access tokens already issued stay valid until they expire \(this device’s until \d{4}-\d\d-\d\d \d\d:\d\d UTC\): HBP cannot revoke them\./)
    expect(await failure(harness.provider.refresh(harness.config, one.session, harness.ctx))).toMatchObject({ code: 'REFRESH_REJECTED' })
  })

  it('revokes all refresh tokens: this account keeps its JWT until it expires, with nothing to renew it', async () => {
    const account = accountOf(harness, await signIn(harness, ALICE))
    const result = await run(harness, account, 'revoke-refresh-tokens', 'revoke')
    expect(harness.emulator.refreshTokensOf(ALICE.email)).toEqual([])
    expect(result.session).toMatchObject({ accessToken: account.session.accessToken, refreshToken: null, expiresAt: account.session.expiresAt })
  })

  it('turns a 429 into "try again at HH:MM"', async () => {
    const local = await startHarness({ rateLimit: { max: 2, windowMs: 60_000 } })
    try {
      const account = accountOf(local, await signIn(local, ALICE))
      const error = await failure(run(local, account, 'change-password', 'change', { oldPassword: ALICE.password, password: 'whatever-1', passwordConfirm: 'whatever-1' }))
      expect(error).toMatchObject({ code: 'RATE_LIMITED' })
      expect(error.message).toMatch(/^127\.0\.0\.1:\d+ has had too many requests from this computer\. Try again at \d\d:\d\d\.$/)
    } finally {
      await local.stop()
    }
  })
})

describe('the chosen role through the core', () => {
  const harness = useHarness()

  it('is remembered with the account and survives a refresh', async () => {
    const { latchkey, id, w } = await coreWithAccount(harness)
    await latchkey.runAccountAction(id, 'role', 'save', { role: 'analyst' })
    latchkey.dispose()
    // After a restart (what was persisted) and a renewal, the chosen role is still the account's.
    const restarted = boot(w).latchkey
    await restarted.loadSecrets()
    await restarted.refresh(id)
    expect(restarted.detail(id).profile).toContainEqual({ key: 'Role for other tools', label: 'Role for other tools', value: 'analyst' })
    restarted.dispose()
  })

  it('an MFA account signs in through the core with its authenticator code', async () => {
    const { latchkey } = await coreWithAccount(harness, ALICE)
    const step = await latchkey.beginSignIn('synmetrix', { url: harness.emulator.url })
    if (step.kind !== 'form') throw new Error('expected a form')
    const mfa = await latchkey.continueSignIn(step.attemptId, 'password', { email: CAROL.email, password: CAROL.password })
    expect(mfa.kind === 'form' ? mfa.form.id : mfa.kind).toBe('mfa-code')
    const done = await latchkey.continueSignIn(step.attemptId, 'mfa', { code: totpCode(harness, CAROL_SECRET) })
    expect(done.kind === 'done' ? done.account.user.email : done.kind).toBe(CAROL.email)
    latchkey.dispose()
  })
})
