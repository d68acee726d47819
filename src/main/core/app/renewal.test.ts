import { afterEach, describe, expect, it } from 'vitest'
import { RefreshRejectedError, TransientError } from '../errors.ts'
import type { Session } from '../sessions/session.ts'
import { fakeSession, signedInAs } from '../testing/fake-provider.ts'
import { boot, world, type World, storedSecret } from '../testing/harness.ts'
import type { Latchkey } from './latchkey.ts'

const HOUR = 3_600_000
const CENTURY = 100 * 365 * 24 * HOUR
const running: Latchkey[] = []
afterEach(() => running.splice(0).forEach((l) => l.dispose()))

function start(w: World) {
  const booted = boot(w)
  running.push(booted.latchkey)
  return booted.latchkey
}

/** Signs in directly (no browser) with the given session, as PocketBase's password sign-in does. */
async function signInWith(w: World, latchkey: Latchkey, session: Session) {
  w.provider.nextStart = { kind: 'done', signedIn: signedInAs('alice', session) }
  const step = await latchkey.beginSignIn('oidc', { issuer: 'https://pb.example.test' })
  if (step.kind !== 'done') throw new Error('expected done')
  return step.account
}

/** The server hands a static token back unchanged when asked to refresh it. */
function sameToken(w: World) {
  w.provider.refreshPlan.push((session) => Promise.resolve({ session, profile: { name: 'checked' } }))
}

describe('what a renewal changes in the record', () => {
  it('claims a renewal brings again unchanged leave the profile as it was; a changed or new one is taken', async () => {
    const w = world()
    const latchkey = start(w)
    await latchkey.loadSecrets()
    w.provider.nextStart = { kind: 'done', signedIn: { ...signedInAs('alice', fakeSession(w.clock.now(), HOUR)), profile: { sub: 'alice', name: 'Alice' } } }
    const step = await latchkey.beginSignIn('oidc', { issuer: 'https://id.example.test' })
    if (step.kind !== 'done') throw new Error('expected done')
    const id = step.account.id
    const profileOnDisk = (): unknown => (JSON.parse(w.files.files.get(id) ?? '{}') as { account?: { profile?: unknown } }).account?.profile
    w.provider.refreshPlan.push((session) => Promise.resolve({ session: { ...session, accessToken: 'renewed' }, profile: { sub: 'alice', name: 'Alice' } }))
    await latchkey.refresh(id)
    expect(profileOnDisk()).toEqual({ sub: 'alice', name: 'Alice' })
    w.provider.refreshPlan.push((session) => Promise.resolve({ session: { ...session, accessToken: 'renewed-2' }, profile: { name: 'Alice L.', locale: 'fr' } }))
    await latchkey.refresh(id)
    expect(profileOnDisk()).toEqual({ sub: 'alice', name: 'Alice L.', locale: 'fr' })
    expect(latchkey.detail(id).profile.map(({ key, value }) => [key, value])).toEqual([
      ['sub', 'alice'],
      ['name', 'Alice L.'],
      ['locale', 'fr'],
    ])
  })
})

describe('how a session stays usable', () => {
  it('a token without a refresh token renews itself before expiry on a backend that allows it', async () => {
    const w = world()
    w.provider.refreshesWithoutRefreshToken = true
    const latchkey = start(w)
    await latchkey.loadSecrets()
    const account = await signInWith(w, latchkey, fakeSession(w.clock.now(), HOUR, { refreshToken: null }))
    expect(account.renewal).toBe('automatic')
    await w.clock.advance(HOUR - 5 * 60_000)
    expect(w.provider.refreshCalls).toHaveLength(1)
  })

  it('a renewal keeps profile claims it does not bring, in the detail and in settings', async () => {
    const w = world()
    const latchkey = start(w)
    await latchkey.loadSecrets()
    w.provider.nextStart = { kind: 'done', signedIn: { ...signedInAs('alice', fakeSession(w.clock.now(), HOUR)), profile: { sub: 'alice', email: 'alice@example.test', name: 'Alice' } } }
    const step = await latchkey.beginSignIn('oidc', { issuer: 'https://id.example.test' })
    if (step.kind !== 'done') throw new Error('expected done')
    w.provider.refreshPlan.push((session) => Promise.resolve({ session: { ...session, accessToken: 'renewed' }, profile: { sub: 'alice', name: 'Alice L.' } }))
    w.provider.refreshPlan.push((session) => Promise.resolve({ session }))
    await latchkey.refresh(step.account.id)
    await latchkey.refresh(step.account.id)
    expect(latchkey.detail(step.account.id).profile.map(({ key, value }) => [key, value])).toEqual([
      ['sub', 'alice'],
      ['email', 'alice@example.test'],
      ['name', 'Alice L.'],
    ])
    expect(w.settings.text()).toContain('alice@example.test')
  })

  it('without a refresh token on another backend nothing renews it', async () => {
    const w = world()
    const latchkey = start(w)
    await latchkey.loadSecrets()
    const account = await signInWith(w, latchkey, fakeSession(w.clock.now(), HOUR, { refreshToken: null }))
    expect(account.renewal).toBe('none')
    await expect(latchkey.refresh(account.id)).rejects.toMatchObject({ code: 'UNSUPPORTED' })
    await w.clock.advance(2 * HOUR)
    expect(w.provider.refreshCalls).toHaveLength(0)
  })
})

describe('static sessions (BosBase, impersonation)', () => {
  function staticSession(w: World, lifetimeMs = CENTURY): Session {
    return fakeSession(w.clock.now(), lifetimeMs, { refreshToken: null, isStatic: true })
  }

  it('get no timer; "check" asks the server once and keeps the same token', async () => {
    const w = world()
    w.provider.refreshesWithoutRefreshToken = true
    const latchkey = start(w)
    await latchkey.loadSecrets()
    const session = staticSession(w)
    const account = await signInWith(w, latchkey, session)
    expect(account.renewal).toBe('check')
    await w.clock.advance(30 * 24 * HOUR)
    expect(w.provider.refreshCalls).toHaveLength(0)
    sameToken(w)
    await latchkey.refresh(account.id)
    expect(w.provider.refreshCalls).toEqual([session])
    expect(latchkey.summary(account.id)).toMatchObject({ status: 'signed-in', renewal: 'check' })
    expect(latchkey.detail(account.id)).toMatchObject({ lastRefreshAt: new Date(w.clock.now()).toISOString(), profile: [{ key: 'name', value: 'checked' }] })
    expect(JSON.parse(storedSecret(w, account.id) ?? '{}')).toMatchObject({ session: { accessToken: session.accessToken, isStatic: true } })
  })

  it('are checked at startup; one killed on the server while the app was closed needs attention', async () => {
    const w = world()
    w.provider.refreshesWithoutRefreshToken = true
    const first = start(w)
    await first.loadSecrets()
    const account = await signInWith(w, first, staticSession(w))
    first.dispose()

    w.provider.refreshPlan.push(() => Promise.reject(new RefreshRejectedError('pb.example.test no longer accepts this session.')))
    const latchkey = start(w)
    await latchkey.loadSecrets()
    await w.clock.advance(0)
    expect(w.provider.refreshCalls).toHaveLength(1)
    expect(latchkey.summary(account.id)).toMatchObject({
      status: 'needs-attention',
      attention: { reason: 'refresh-rejected', message: 'pb.example.test no longer accepts this session.' },
    })
  })

  it('a check that cannot reach the server says so and leaves the account as it was', async () => {
    const w = world()
    w.provider.refreshesWithoutRefreshToken = true
    const latchkey = start(w)
    await latchkey.loadSecrets()
    const account = await signInWith(w, latchkey, staticSession(w))
    w.provider.refreshPlan.push(() => Promise.reject(new TransientError('offline')))
    await expect(latchkey.refresh(account.id)).rejects.toMatchObject({ code: 'NETWORK' })
    expect(latchkey.summary(account.id)).toMatchObject({ status: 'signed-in', attention: null })
  })

  it('two checks at once ask the server once', async () => {
    const w = world()
    w.provider.refreshesWithoutRefreshToken = true
    const latchkey = start(w)
    await latchkey.loadSecrets()
    const account = await signInWith(w, latchkey, staticSession(w))
    sameToken(w)
    await Promise.all([latchkey.refresh(account.id), latchkey.refresh(account.id)])
    expect(w.provider.refreshCalls).toHaveLength(1)
  })

  it('one that expired while the app was closed needs attention at startup, without asking the server', async () => {
    const w = world()
    w.provider.refreshesWithoutRefreshToken = true
    const first = start(w)
    await first.loadSecrets()
    const account = await signInWith(w, first, staticSession(w, HOUR))
    first.dispose()
    await w.clock.advance(2 * HOUR)
    const latchkey = start(w)
    await latchkey.loadSecrets()
    expect(latchkey.summary(account.id)).toMatchObject({ status: 'needs-attention', attention: { reason: 'expired' } })
    expect(w.provider.refreshCalls).toHaveLength(0)
  })
})

describe('sessions nothing renews', () => {
  it('turn to "needs attention" when their time is up, while the app runs', async () => {
    const w = world()
    w.provider.refreshesWithoutRefreshToken = true
    const latchkey = start(w)
    await latchkey.loadSecrets()
    const account = await signInWith(w, latchkey, fakeSession(w.clock.now(), 10 * 60_000, { refreshToken: null, isStatic: true }))
    await w.clock.advance(9 * 60_000)
    expect(latchkey.summary(account.id).status).toBe('signed-in')
    await w.clock.advance(2 * 60_000)
    expect(latchkey.summary(account.id)).toMatchObject({ status: 'needs-attention', attention: { reason: 'expired' } })
    // Checking an expired token asks nobody: the server would only refuse it for another reason.
    await latchkey.refresh(account.id)
    expect(w.provider.refreshCalls).toHaveLength(0)
  })

  it('a token that expired while the app was closed is "expired", not "refused", and the server is not asked', async () => {
    const w = world()
    w.provider.refreshesWithoutRefreshToken = true
    const first = start(w)
    await first.loadSecrets()
    const account = await signInWith(w, first, fakeSession(w.clock.now(), HOUR, { refreshToken: null }))
    first.dispose()
    w.clock.jump(2 * HOUR)
    const latchkey = start(w)
    await latchkey.loadSecrets()
    await w.clock.advance(0)
    expect(latchkey.summary(account.id)).toMatchObject({ status: 'needs-attention', attention: { reason: 'expired' } })
    expect(w.provider.refreshCalls).toHaveLength(0)
  })
})

describe('after a burst of renewals', () => {
  it('the shell is told once, when 1,000 renewals in a row are followed by a pause, and not for a few', async () => {
    const w = world()
    let told = 0
    const booted = boot(w, { afterRefreshBurst: () => (told += 1) })
    running.push(booted.latchkey)
    const latchkey = booted.latchkey
    const account = await signInWith(w, latchkey, fakeSession(w.clock.now(), HOUR))
    for (let i = 0; i < 10; i++) await latchkey.refresh(account.id)
    await w.clock.advance(3000)
    expect(told).toBe(0)
    for (let i = 0; i < 1000; i++) await latchkey.refresh(account.id)
    expect(told).toBe(0)
    await w.clock.advance(3000)
    expect(told).toBe(1)
    expect(w.provider.refreshCalls).toHaveLength(1010)
  })
})

describe('renewals due together', () => {
  it('are paced per server: accounts on a server that hangs do not hold up an account on another', async () => {
    const w = world()
    const latchkey = start(w)
    await latchkey.loadSecrets()
    const signInAt = async (issuer: string, subject: string) => {
      w.provider.nextStart = { kind: 'done', signedIn: signedInAs(subject, fakeSession(w.clock.now(), 10 * 60_000)) }
      const step = await latchkey.beginSignIn('oidc', { issuer })
      if (step.kind !== 'done') throw new Error('expected done')
      return step.account.id
    }
    for (let i = 0; i < 12; i++) await signInAt('https://hangs.example.test', `slow-${i}`)
    const other = await signInAt('https://answers.example.test', 'fast')
    const renew = w.provider.refresh.bind(w.provider)
    const hanging: string[] = []
    w.provider.refresh = (config, session, ctx) => {
      if (config.issuer !== 'https://hangs.example.test') return renew(config, session, ctx)
      hanging.push(session.accessToken)
      return new Promise(() => {})
    }
    const before = latchkey.detail(other).lastRefreshAt
    await w.clock.advance(20 * 60_000)
    expect(hanging).toHaveLength(8)
    expect(latchkey.detail(other).lastRefreshAt).not.toBe(before)
  })
})
