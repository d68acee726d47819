/** Profile, security and access-token actions of a signed-in Teable account, against the emulator over HTTP. */
import { describe, expect, it } from 'vitest'
import type { AccountAction, FormFileValue } from '../../../shared/contract.ts'
import type { ProviderAccount } from '../../core/provider.ts'
import type { Session } from '../../core/sessions/session.ts'
import { scopeKey } from './action-forms.ts'
import { ALICE, BOB, CAROL, appError, signIn, startHarness, useHarness } from './test-harness.ts'
import type { Harness } from './test-harness.ts'

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201e2b3a4f80000000049454e44ae426082', 'hex')

function picture(bytes: Buffer, type = 'image/png'): FormFileValue {
  return { name: 'me.png', type, base64: bytes.toString('base64') }
}

async function account(h: Harness, user: { email: string; password: string }, extra: Record<string, string> = {}): Promise<ProviderAccount> {
  const signedIn = await signIn(h, user)
  return { config: { ...h.config, ...extra }, session: signedIn.session, identity: signedIn.identity, label: user.email }
}

function form(actions: AccountAction[], id: string): AccountAction['form'] {
  const found = actions.find((action) => action.id === id)
  if (!found) throw new Error(`no ${id} form`)
  return found.form
}

function withSession(acct: ProviderAccount, session: Session | undefined): ProviderAccount {
  return session ? { ...acct, session } : acct
}

describe('Teable profile', () => {
  const h = useHarness()

  it('saves the name, notifications and avatar, and shows the avatar as the next preview', async () => {
    const acct = await account(h, ALICE)
    const run = (values: Record<string, string | FormFileValue>) => h.provider.runAction!(acct, 'profile', 'save', values, h.ctx)
    const saved = await run({ name: 'Alice L.', notifications: 'false', avatar: picture(PNG) })
    expect(saved.message).toBe('Profile saved.')
    expect(saved.identity?.name).toBe('Alice L.')
    expect(saved.profile?.emailNotifications).toBe('Off')
    expect(h.emulator.user(ALICE.email)).toMatchObject({ name: 'Alice L.', notifyEmail: false, avatarBytes: PNG.length })
    const profile = form(await h.provider.actions!(acct, h.ctx), 'profile')
    expect(profile.fields.find((f) => f.key === 'avatar')?.preview).toBe(`data:image/png;base64,${PNG.toString('base64')}`)
    expect(profile.fields.find((f) => f.key === 'avatar')?.maxBytes).toBe(3 * 1024 * 1024)
  })

  it('refuses a picture over 3 MB, or one that is not what it claims, before sending anything', async () => {
    const acct = await account(h, ALICE)
    const before = h.emulator.requests().length
    const big = Buffer.concat([PNG, Buffer.alloc(3 * 1024 * 1024)])
    const tooBig = await appError(h.provider.runAction!(acct, 'profile', 'save', { name: 'Alice', avatar: picture(big) }, h.ctx))
    expect(tooBig).toMatchObject({ code: 'VALIDATION', field: 'avatar', message: 'The picture is larger than 3 MB. Choose a smaller one.' })
    const fake = await appError(h.provider.runAction!(acct, 'profile', 'save', { name: 'Alice', avatar: picture(Buffer.from('not a picture')) }, h.ctx))
    expect(fake).toMatchObject({ code: 'VALIDATION', field: 'avatar' })
    expect(h.emulator.requests().length).toBe(before)
  })

  it('says "needs attention" when the server ended the session, never a bare status', async () => {
    const acct = await account(h, BOB)
    h.emulator.endSessions(BOB.email)
    const result = await h.provider.runAction!(acct, 'profile', 'save', { name: 'Bob' }, h.ctx)
    expect(result.sessionEnded).toMatch(/has ended this session/)
    await expect(h.provider.actions!(acct, h.ctx)).rejects.toMatchObject({ code: 'REFRESH_REJECTED' })
  })
})

describe('Teable security', () => {
  it('changes the password and stays signed in with a new session; the old one is gone', async () => {
    const h = await startHarness()
    try {
      const acct = await account(h, ALICE)
      const wrong = await appError(h.provider.runAction!(acct, 'change-password', 'change', { password: 'wrong-one-1', newPassword: 'looking-glass-2', confirm: 'looking-glass-2' }, h.ctx))
      expect(wrong).toMatchObject({ code: 'VALIDATION', field: 'password', message: 'The current password is wrong.' })
      const weak = await appError(h.provider.runAction!(acct, 'change-password', 'change', { password: ALICE.password, newPassword: 'lettersonly', confirm: 'lettersonly' }, h.ctx))
      expect(weak).toMatchObject({ field: 'newPassword' })
      const result = await h.provider.runAction!(acct, 'change-password', 'change', { password: ALICE.password, newPassword: 'looking-glass-2', confirm: 'looking-glass-2' }, h.ctx)
      expect(result.message).toBe('Password changed. You are still signed in.')
      expect(result.session?.accessToken).not.toBe(acct.session.accessToken)
      await expect(h.provider.refresh(h.config, acct.session, h.ctx)).rejects.toMatchObject({ code: 'REFRESH_REJECTED' })
      expect((await h.provider.refresh(h.config, result.session!, h.ctx)).profile?.email).toBe(ALICE.email)
      h.secrets.add('looking-glass-2')
    } finally {
      await h.stop()
    }
  })

  it('changes the email with the code sent to the new address and the current password, then signs in with it', async () => {
    const h = await startHarness()
    try {
      const acct = await account(h, BOB)
      const newEmail = 'builder@example.test'
      const sent = await h.provider.runAction!(acct, 'change-email', 'send', { email: newEmail, password: BOB.password }, h.ctx)
      expect(sent.message).toContain(newEmail)
      const confirm = form(await h.provider.actions!(acct, h.ctx), 'confirm-email')
      expect(confirm.title).toBe(`Confirm ${newEmail}`)
      const code = h.emulator.outbox.last(newEmail, 'change-email-code')?.code ?? ''
      const wrong = await appError(h.provider.runAction!(acct, 'confirm-email', 'confirm', { code: code === '0000' ? '1111' : '0000', password: BOB.password }, h.ctx))
      expect(wrong).toMatchObject({ code: 'VALIDATION', field: 'code' })
      const result = await h.provider.runAction!(acct, 'confirm-email', 'confirm', { code, password: BOB.password }, h.ctx)
      expect(result.message).toBe(`Email changed to ${newEmail}. You are still signed in.`)
      expect(result.identity?.email).toBe(newEmail)
      expect(h.emulator.user(newEmail)).toBeDefined()
    } finally {
      await h.stop()
    }
  })

  it('changes the email to an address typed with capitals so that signing in with it still works (Teable keeps it as typed)', async () => {
    const h = await startHarness()
    try {
      const acct = await account(h, BOB)
      await h.provider.runAction!(acct, 'change-email', 'send', { email: 'Builder@Example.test', password: BOB.password }, h.ctx)
      const code = h.emulator.outbox.last('builder@example.test', 'change-email-code')?.code ?? ''
      const result = await h.provider.runAction!(acct, 'confirm-email', 'confirm', { code, password: BOB.password }, h.ctx)
      expect(result.message).toBe('Email changed to builder@example.test. You are still signed in.')
      expect((await signIn(h, { email: 'Builder@Example.test', password: BOB.password })).identity.email).toBe('builder@example.test')
    } finally {
      await h.stop()
    }
  })

  it('adds a password to an account made by social sign-in (no password form until then)', async () => {
    const h = await startHarness()
    try {
      h.emulator.setPassword(CAROL.email, 'temporary-1')
      const signedIn = await signIn(h, { email: CAROL.email, password: 'temporary-1' })
      const acct: ProviderAccount = { config: h.config, session: signedIn.session, identity: signedIn.identity, label: 'carol' }
      // The social account again: no password on the server.
      h.emulator.setPassword(CAROL.email, null as unknown as string)
      const forms = (await h.provider.actions!(acct, h.ctx)).map((a) => a.id)
      expect(forms).toContain('add-password')
      expect(forms).not.toContain('change-password')
      const result = await h.provider.runAction!(acct, 'add-password', 'add', { newPassword: 'carols-pass-1', confirm: 'carols-pass-1' }, h.ctx)
      expect(result.message).toBe('Password added. You are still signed in.')
      expect(h.emulator.user(CAROL.email)?.hasPassword).toBe(true)
      h.secrets.add('carols-pass-1').add('temporary-1')
    } finally {
      await h.stop()
    }
  })

  it('resets the password from the emailed link and stays signed in', async () => {
    const h = await startHarness()
    try {
      const acct = await account(h, ALICE)
      await h.provider.runAction!(acct, 'request-reset', 'send', {}, h.ctx)
      const link = /https?:\S+/.exec(h.emulator.outbox.last(ALICE.email, 'reset-password')?.text ?? '')?.[0] ?? ''
      const result = await h.provider.runAction!(acct, 'confirm-reset', 'reset', { code: link, newPassword: 'through-mirror-3', confirm: 'through-mirror-3' }, h.ctx)
      expect(result.message).toBe('Password reset. You are still signed in.')
      expect(result.session).toBeDefined()
      h.secrets.add('through-mirror-3')
    } finally {
      await h.stop()
    }
  })
})

describe('Teable access tokens', () => {
  const h = useHarness()

  it('creates a token with name, scopes, space and expiry, lists it with its expiry, refreshes and deletes it', async () => {
    let acct = await account(h, ALICE)
    const create = form(await h.provider.actions!(acct, h.ctx), 'create-token')
    const space = create.fields.find((f) => f.key === 'space')?.options?.[1]?.value ?? ''
    expect(space).toMatch(/^spc/)
    const noScope = await appError(h.provider.runAction!(acct, 'create-token', 'create', { name: 'cli', [scopeKey('space|read')]: 'false', space, expiry: '30' }, h.ctx))
    expect(noScope.code).toBe('VALIDATION')
    const created = await h.provider.runAction!(acct, 'create-token', 'create', { name: 'cli', [scopeKey('space|read')]: 'true', space, expiry: '30' }, h.ctx)
    const token = created.secretConfig?.token ?? ''
    expect(token).toMatch(/^teable_acc/)
    expect(created.message).not.toContain(token)
    expect(created.profile?.accessToken).toMatch(/^“cli”, expires \d{4}-\d\d-\d\d/)
    const [listed] = h.emulator.accessTokens(ALICE.email)
    expect(listed).toMatchObject({ name: 'cli', scopes: ['space|read'] })
    // The token reaches the data route, limited to the chosen space.
    const spaces = (await (await fetch(`${h.emulator.url}/api/space`, { headers: { authorization: `Bearer ${token}` } })).json()) as { id: string }[]
    expect(spaces.map((s) => s.id)).toEqual([space])
    acct = { ...acct, config: { ...acct.config, ...created.secretConfig } }
    // Other tools get the token with the expiry the server gave it.
    expect(h.provider.handOut!(acct, { idToken: false, role: null }).expiresAt).toBe(Date.parse(listed!.expiredTime))
    const list = form(await h.provider.actions!(acct, h.ctx), 'tokens')
    expect(list.fields[0]?.options?.[0]?.label).toMatch(/^cli — expires \d{4}-\d\d-\d\d \d\d:\d\d UTC \(held by this account\)$/)
    const refreshed = await h.provider.runAction!(acct, 'tokens', 'refresh', { token: listed!.id, expiry: '90' }, h.ctx)
    expect(refreshed.secretConfig?.token).not.toBe(token)
    expect(refreshed.message).toMatch(/This account now holds the new token/)
    acct = { ...acct, config: { ...acct.config, ...refreshed.secretConfig } }
    expect(h.provider.handOut!(acct, { idToken: false, role: null }).expiresAt).toBe(Date.parse(h.emulator.accessTokens(ALICE.email)[0]!.expiredTime))
    const deleted = await h.provider.runAction!(acct, 'tokens', 'delete', { token: listed!.id }, h.ctx)
    expect(deleted.secretConfig?.token).toBeUndefined()
    expect(deleted.secretConfig?.createdTokens).toBeUndefined()
    expect(h.emulator.accessTokens(ALICE.email)).toEqual([])
  })

  it('makes a token chosen for "All my spaces" reach every space (Teable gives a token without spaces or full access none)', async () => {
    const acct = await account(h, ALICE)
    const create = form(await h.provider.actions!(acct, h.ctx), 'create-token')
    const mine = (create.fields.find((f) => f.key === 'space')?.options ?? []).map((o) => o.value).filter((v) => v !== '*')
    expect(mine.length).toBeGreaterThan(0)
    const created = await h.provider.runAction!(acct, 'create-token', 'create', { name: 'all', [scopeKey('space|read')]: 'true', space: '*', expiry: '7' }, h.ctx)
    const spaces = (await (await fetch(`${h.emulator.url}/api/space`, { headers: { authorization: `Bearer ${created.secretConfig?.token ?? ''}` } })).json()) as { id: string }[]
    expect(spaces.map((s) => s.id).sort()).toEqual([...mine].sort())
  })

  it('offers to delete the tokens Latchkey created when the account is removed, and deletes only those', async () => {
    const acct = await account(h, BOB)
    const mine = await h.provider.runAction!(acct, 'create-token', 'create', { name: 'mine', [scopeKey('space|read')]: 'true', space: '*', expiry: '7' }, h.ctx)
    const held = { ...acct, config: { ...acct.config, ...mine.secretConfig } }
    expect(h.provider.removeOption!(acct.config)).toBeNull()
    expect(h.provider.removeOption!(held.config)).toBe('Also delete on the server the access token Latchkey created for this account')
    const before = h.emulator.accessTokens(BOB.email).length
    expect(await h.provider.cleanUp!(held, h.ctx)).toBe('Deleted 1 access token(s) Latchkey had created.')
    expect(h.emulator.accessTokens(BOB.email).length).toBe(before - 1)
    expect(h.emulator.accessTokens(BOB.email).map((t) => t.name)).not.toContain('mine')
  })

  it('takes a pasted token only when it is well formed, accepted, and the same person’s', async () => {
    const alice = await account(h, ALICE)
    const bob = await account(h, BOB)
    const bobs = await h.provider.runAction!(bob, 'create-token', 'create', { name: 'b', [scopeKey('space|read')]: 'true', space: '*', expiry: '7' }, h.ctx)
    const malformed = await appError(h.provider.runAction!(alice, 'paste-token', 'use', { token: 'teable_accXYZ_not base64!' }, h.ctx))
    expect(malformed).toMatchObject({ code: 'VALIDATION', field: 'token' })
    const someoneElse = await appError(h.provider.runAction!(alice, 'paste-token', 'use', { token: bobs.secretConfig?.token ?? '' }, h.ctx))
    expect(someoneElse.message).toMatch(/another Teable user/)
    const own = await h.provider.runAction!(bob, 'paste-token', 'use', { token: bobs.secretConfig?.token ?? '' }, h.ctx)
    expect(own.secretConfig?.token).toBe(bobs.secretConfig?.token)
    // A pasted token found in the server's list is handed out with its listed expiry.
    const listed = h.emulator.accessTokens(BOB.email).find((t) => t.name === 'b')
    expect(h.provider.handOut!({ ...bob, config: { ...bob.config, ...own.secretConfig } }, { idToken: false, role: null }).expiresAt).toBe(Date.parse(listed!.expiredTime))
  })

  it('has no forms for a token-only account (the session routes refuse a token)', async () => {
    const acct = await account(h, BOB)
    const token = (await h.provider.runAction!(acct, 'create-token', 'create', { name: 't', [scopeKey('space|read')]: 'true', space: '*', expiry: '7' }, h.ctx)).secretConfig?.token ?? ''
    const tokenOnly = withSession(acct, { ...acct.session, accessToken: token, tokenType: 'pat', isStatic: true })
    expect(await h.provider.actions!(tokenOnly, h.ctx)).toEqual([])
  })
})
