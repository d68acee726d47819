import { afterEach, describe, expect, it } from 'vitest'
import type { AccountAction } from '../../../shared/contract.ts'
import { AppError, TransientError } from '../errors.ts'
import type { ActionResult, ProviderAccount } from '../provider.ts'
import { fakeSession, signedInAs } from '../testing/fake-provider.ts'
import { boot, world, type World, storedSecret } from '../testing/harness.ts'
import type { Latchkey } from './latchkey.ts'

const HOUR = 3_600_000
const running: Latchkey[] = []
afterEach(() => running.splice(0).forEach((l) => l.dispose()))

const PROFILE: AccountAction = {
  id: 'profile',
  group: 'profile',
  form: { id: 'profile', title: 'Profile', fields: [{ key: 'name', label: 'Name', kind: 'text', required: false }], actions: [{ id: 'save', label: 'Save' }] },
}

async function signedIn(w: World) {
  const booted = boot(w)
  running.push(booted.latchkey)
  const latchkey = booted.latchkey
  await latchkey.loadSecrets()
  const session = fakeSession(w.clock.now(), HOUR)
  w.provider.nextStart = { kind: 'done', signedIn: signedInAs('alice', session) }
  const step = await latchkey.beginSignIn('oidc', { issuer: 'https://pb.example.test' })
  if (step.kind !== 'done') throw new Error('expected done')
  return { latchkey, account: step.account, session }
}

/** Every account an action runs with, in order; each run answers "Saved.". */
function recordRuns(w: World): ProviderAccount[] {
  const ran: ProviderAccount[] = []
  w.provider.runActionWith = (acct) => {
    ran.push(acct)
    return Promise.resolve({ message: 'Saved.' })
  }
  return ran
}

describe('account actions', () => {
  it('lists what the backend offers for a signed-in account, and nothing once signed out', async () => {
    const w = world()
    const { latchkey, account } = await signedIn(w)
    w.provider.actionList = [PROFILE]
    expect(await latchkey.accountActions(account.id)).toEqual([PROFILE])
    await latchkey.signOut(account.id)
    expect(await latchkey.accountActions(account.id)).toEqual([])
  })

  it('a session the server no longer takes, found while listing, marks the account instead of failing', async () => {
    const w = world()
    const { latchkey, account } = await signedIn(w)
    w.provider.actions = () => Promise.reject(new AppError('REFRESH_REJECTED', 'pb.example.test no longer accepts this session.'))
    expect(await latchkey.accountActions(account.id)).toEqual([])
    expect(latchkey.summary(account.id)).toMatchObject({ status: 'needs-attention', attention: { message: 'pb.example.test no longer accepts this session.' } })
  })

  it('runs with the current session, and shows the profile and identity the backend returns', async () => {
    const w = world()
    const { latchkey, account, session } = await signedIn(w)
    const seen: ProviderAccount[] = []
    w.provider.runActionWith = (acct, form, action, values) => {
      seen.push(acct)
      expect([form, action, values]).toEqual(['profile', 'save', { name: 'Alice L.' }])
      return Promise.resolve({ message: 'Profile saved.', profile: { name: 'Alice L.' }, identity: { subject: 'alice', name: 'Alice L.', email: 'alice@example.test' } })
    }
    const outcome = await latchkey.runAccountAction(account.id, 'profile', 'save', { name: 'Alice L.' })
    expect(seen[0]?.session).toEqual(session)
    expect(outcome).toMatchObject({ message: 'Profile saved.', created: null, account: { id: account.id, user: { name: 'Alice L.' } } })
    expect(latchkey.detail(account.id).profile).toEqual([{ key: 'name', label: 'Name', value: 'Alice L.' }])
  })

  it('a rotated token is stored in place of the old one and the account stays signed in', async () => {
    const w = world()
    const { latchkey, account, session } = await signedIn(w)
    const rotated = fakeSession(w.clock.now(), HOUR)
    w.provider.runActionWith = () => Promise.resolve({ message: 'Password changed. You are still signed in.', session: rotated })
    const outcome = await latchkey.runAccountAction(account.id, 'change-password', 'save', { password: 'new' })
    expect(outcome.account.status).toBe('signed-in')
    const stored = storedSecret(w, account.id) ?? ''
    expect(stored).toContain(rotated.accessToken)
    expect(stored).not.toContain(session.accessToken)
    // The schedule follows the new token.
    await w.clock.advance(HOUR - 5 * 60_000)
    expect(w.provider.refreshCalls).toEqual([rotated])
  })

  it('a credential the action created goes to the keychain with the session, and the next action receives it', async () => {
    const w = world()
    const { latchkey, account, session } = await signedIn(w)
    const seen: ProviderAccount[] = []
    w.provider.runActionWith = (acct) => {
      seen.push(acct)
      return Promise.resolve({ message: 'Token created.', secretConfig: { apiToken: 'api-token-secret-1' } })
    }
    await latchkey.runAccountAction(account.id, 'tokens', 'create', {})
    expect(w.settings.text()).not.toContain('api-token-secret-1')
    await latchkey.runAccountAction(account.id, 'tokens', 'create', {})
    expect(seen[1]?.config.apiToken).toBe('api-token-secret-1')
    expect(seen[1]?.session).toEqual(session)
    // Signing in again keeps it with the secrets, not in settings.
    w.provider.nextStart = { kind: 'done', signedIn: signedInAs('alice', fakeSession(w.clock.now(), HOUR)) }
    expect((await latchkey.reauth(account.id)).kind).toBe('done')
    await latchkey.runAccountAction(account.id, 'tokens', 'create', {})
    expect(seen[2]?.config.apiToken).toBe('api-token-secret-1')
    expect(w.settings.text()).not.toContain('api-token-secret-1')
  })

  it('a session the action ended needs attention, with the reason', async () => {
    const w = world()
    const { latchkey, account } = await signedIn(w)
    w.provider.runActionWith = () => Promise.resolve({ message: 'Password changed.', sessionEnded: 'Password changed; sign in again with the new one.' })
    const outcome = await latchkey.runAccountAction(account.id, 'change-password', 'save', {})
    expect(outcome.account).toMatchObject({ status: 'needs-attention', attention: { reason: 'revoked', message: 'Password changed; sign in again with the new one.' } })
    await w.clock.advance(2 * HOUR)
    expect(w.provider.refreshCalls).toHaveLength(0)
  })

  it('an account it creates (impersonation) is added beside this one, which stays active', async () => {
    const w = world()
    const { latchkey, account } = await signedIn(w)
    const result: ActionResult = {
      message: 'Impersonating bob.',
      created: {
        signedIn: signedInAs('bob', fakeSession(w.clock.now(), HOUR, { refreshToken: null, isStatic: true })),
        label: 'bob@example.test (impersonated by alice@example.test)',
        config: { issuer: 'https://pb.example.test', impersonatedBy: 'alice@example.test' },
      },
    }
    w.provider.runActionWith = () => Promise.resolve(result)
    w.provider.canSignInAgain = (config) => config.impersonatedBy === undefined
    const outcome = await latchkey.runAccountAction(account.id, 'impersonate', 'go', { user: 'bob' })
    expect(outcome.created).toMatchObject({ label: 'bob@example.test (impersonated by alice@example.test)', active: false, status: 'signed-in', user: { subject: 'bob' } })
    // The new account cannot sign in again (the provider says so); the superuser's can.
    expect(outcome.created?.canSignInAgain).toBe(false)
    expect(outcome.account.canSignInAgain).toBe(true)
    expect(latchkey.accounts().map((a) => [a.label, a.active])).toEqual([
      ['alice@example.test @ pb.example.test', true],
      ['bob@example.test (impersonated by alice@example.test)', false],
    ])
  })

  it('no scheduled refresh uses the token while an action may be rotating it', async () => {
    const w = world()
    const { latchkey, account } = await signedIn(w)
    let finish: (result: ActionResult) => void = () => undefined
    w.provider.runActionWith = () => new Promise((resolve) => (finish = resolve))
    const running = latchkey.runAccountAction(account.id, 'change-password', 'save', {})
    await w.clock.advance(HOUR)
    expect(w.provider.refreshCalls).toHaveLength(0)
    finish({ message: 'Done.', session: fakeSession(w.clock.now(), HOUR) })
    await running
    expect(latchkey.summary(account.id).status).toBe('signed-in')
  })

  it('an error reaches the caller and changes nothing', async () => {
    const w = world()
    const { latchkey, account } = await signedIn(w)
    w.provider.runActionWith = () => Promise.reject(new AppError('VALIDATION', 'The current password is wrong.', { field: 'oldPassword' }))
    await expect(latchkey.runAccountAction(account.id, 'change-password', 'save', {})).rejects.toMatchObject({ code: 'VALIDATION', field: 'oldPassword' })
    expect(latchkey.summary(account.id)).toMatchObject({ status: 'signed-in', attention: null })
    // The schedule is back once the action is over.
    await w.clock.advance(HOUR)
    expect(w.provider.refreshCalls).toHaveLength(1)
  })

  it('an action on an account whose server is unreachable keeps it on its retry schedule', async () => {
    const w = world()
    const { latchkey, account } = await signedIn(w)
    const offline = () => Promise.reject(new TransientError('offline'))
    w.provider.refreshPlan.push(offline, offline, offline)
    // Due at expiry − 6 min − 15 s jitter: the first attempt fails, retries follow.
    await w.clock.advance(HOUR - 373_000)
    expect(latchkey.summary(account.id).attention).toMatchObject({ reason: 'network-down' })
    w.provider.runActionWith = () => Promise.resolve({ message: 'Profile saved.', profile: { name: 'A' } })
    await latchkey.runAccountAction(account.id, 'profile', 'save', { name: 'A' })
    const calls = w.provider.refreshCalls.length
    await w.clock.advance(10 * 60_000)
    expect(w.provider.refreshCalls.length).toBeGreaterThan(calls)
    expect(latchkey.summary(account.id)).toMatchObject({ status: 'signed-in', attention: null })
  })

  it('a refusal found while listing is ignored when the account signed in afresh meanwhile', async () => {
    const w = world()
    const { latchkey, account } = await signedIn(w)
    let refuse: (error: AppError) => void = () => undefined
    w.provider.actions = () => new Promise((_resolve, reject) => (refuse = reject))
    const listing = latchkey.accountActions(account.id)
    await new Promise((resolve) => setImmediate(resolve))
    w.provider.nextStart = { kind: 'done', signedIn: signedInAs('alice', fakeSession(w.clock.now(), HOUR)) }
    await latchkey.reauth(account.id)
    refuse(new AppError('REFRESH_REJECTED', 'No longer accepted.'))
    expect(await listing).toEqual([])
    expect(latchkey.summary(account.id)).toMatchObject({ status: 'signed-in', attention: null })
  })
})

describe('credentials held next to the session', () => {
  it('credentials from an action show in the summary with their own status, survive a restart, and leave the session status alone', async () => {
    const w = world()
    const { latchkey, account } = await signedIn(w)
    w.provider.actionList = [PROFILE]
    const token = { kind: 'personal-access-token', label: 'Access token “reports”', status: 'needs-attention' as const, expiresAt: '2027-01-01T00:00:00.000Z', message: 'The server no longer accepts this token.' }
    w.provider.runActionWith = () => Promise.resolve({ message: 'Checked.', credentials: [token] })
    await latchkey.runAccountAction(account.id, 'profile', 'save', {})
    expect(latchkey.summary(account.id)).toMatchObject({ status: 'signed-in', attention: null, credentials: [token] })
    latchkey.dispose()
    const again = boot(w)
    running.push(again.latchkey)
    await again.latchkey.loadSecrets()
    expect(again.latchkey.summary(account.id).credentials).toEqual([token])
    // A later result without the token clears the list.
    w.provider.actionList = [PROFILE]
    w.provider.runActionWith = () => Promise.resolve({ message: 'Deleted.', credentials: [] })
    await again.latchkey.runAccountAction(account.id, 'profile', 'save', {})
    expect(again.latchkey.summary(account.id).credentials).toBeUndefined()
  })

  it('an access token that expired while the computer slept is renewed before the forms are listed and before an action runs', async () => {
    const w = world()
    const { latchkey, account, session } = await signedIn(w)
    // Two hours later by the wall clock, before any renewal ran (timers do not run during sleep).
    w.clock.jump(2 * HOUR)
    const listed: ProviderAccount[] = []
    w.provider.actions = (acct) => {
      listed.push(acct)
      return Promise.resolve([PROFILE])
    }
    expect(await latchkey.accountActions(account.id)).toEqual([PROFILE])
    expect(w.provider.refreshCalls).toHaveLength(1)
    expect(listed[0]?.session.accessToken).not.toBe(session.accessToken)
    expect(listed[0]?.session.expiresAt).toBeGreaterThan(w.clock.now())

    w.clock.jump(2 * HOUR)
    const ran = recordRuns(w)
    await latchkey.runAccountAction(account.id, 'profile', 'save', {})
    expect(w.provider.refreshCalls).toHaveLength(2)
    expect(ran[0]?.session.expiresAt).toBeGreaterThan(w.clock.now())
    expect(latchkey.summary(account.id).status).toBe('signed-in')
  })

  it('a token with time left is used as it is; a renewal that fails leaves the action to the stored session', async () => {
    const w = world()
    const { latchkey, account, session } = await signedIn(w)
    const seen = recordRuns(w)
    await latchkey.runAccountAction(account.id, 'profile', 'save', {})
    expect(w.provider.refreshCalls).toHaveLength(0)
    w.clock.jump(2 * HOUR)
    w.provider.refreshPlan.push(() => Promise.reject(new TransientError('The server is down.')))
    await latchkey.runAccountAction(account.id, 'profile', 'save', {})
    expect(w.provider.refreshCalls).toHaveLength(1)
    expect(seen.map((acct) => acct.session.accessToken)).toEqual([session.accessToken, session.accessToken])
  })
})
