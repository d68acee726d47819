import { afterEach, describe, expect, it } from 'vitest'
import { AppError, RefreshRejectedError, TransientError } from '../errors.ts'
import { fakeSession, signedInAs } from '../testing/fake-provider.ts'
import { boot, flush, world, type World, storedSecret } from '../testing/harness.ts'
import type { Latchkey } from './latchkey.ts'

const HOUR = 3_600_000
const running: Latchkey[] = []
afterEach(() => running.splice(0).forEach((l) => l.dispose()))

async function signIn(w: World, latchkey: Latchkey, subject = 'alice', lifetimeMs = HOUR, config: Record<string, string> = {}) {
  const step = await latchkey.beginSignIn('oidc', { issuer: 'https://id.example.test', ...config })
  if (step.kind !== 'browser') throw new Error('expected a browser step')
  w.provider.completeBrowser(signedInAs(subject, fakeSession(w.clock.now(), lifetimeMs)))
  const done = await latchkey.completeSignIn(step.attemptId)
  if (done.kind !== 'done') throw new Error('expected done')
  return done.account
}

function start(w: World, options?: Parameters<typeof boot>[1]) {
  const booted = boot(w, options)
  running.push(booted.latchkey)
  return booted
}

describe('signing in', () => {
  it('opens the provider URL in the browser, then lists the account signed in, active and in the keychain', async () => {
    const w = world()
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    const account = await signIn(w, latchkey)
    expect(w.opened).toEqual(['https://id.example.test/authorize?state=s'])
    expect(account).toMatchObject({ status: 'signed-in', active: true, storage: 'keychain', label: 'alice@example.test @ id.example.test' })
    expect(latchkey.accounts()).toHaveLength(1)
    expect(JSON.parse(storedSecret(w, account.id) ?? '{}')).toMatchObject({ session: { accessToken: expect.stringMatching(/^access-/) } })
    expect(w.settings.text()).not.toMatch(/access-|refresh-/)
  })

  it('shows the sign-in address and its redirect URI while waiting, with nothing secret in them', async () => {
    const w = world()
    const { latchkey } = start(w)
    const step = await latchkey.beginSignIn('oidc', { issuer: 'https://id.example.test' })
    expect(step).toMatchObject({ kind: 'browser', url: 'https://id.example.test/authorize?state=s', redirectUri: null, openFailure: null })
    latchkey.cancelSignIn(step.kind === 'browser' ? step.attemptId : '')
  })

  it('keeps waiting when the browser does not open, says why, and opens the page again on request', async () => {
    const w = world()
    const { latchkey, events } = start(w)
    await latchkey.loadSecrets()
    w.openFailure = 'xdg-open failed (exit code 3).'
    const step = await latchkey.beginSignIn('oidc', { issuer: 'https://id.example.test' })
    if (step.kind !== 'browser') throw new Error('expected a browser step')
    expect(step.openFailure).toBe('xdg-open failed (exit code 3).')
    expect(step.url).toBe('https://id.example.test/authorize?state=s')
    const progress = events.filter((e) => e.event === 'auth:progress').map((e) => (e.payload as { message: string }).message)
    expect(progress.at(-1)).toBe('Your browser could not be opened. Open the sign-in address yourself; Latchkey is waiting for id.example.test.')
    expect(w.logger.lines.join('\n')).not.toContain('authorize?state=s')

    w.openFailure = null
    const again = await latchkey.openSignInAgain(step.attemptId)
    expect(again).toMatchObject({ kind: 'browser', attemptId: step.attemptId, openFailure: null })
    expect(w.opened).toEqual(['https://id.example.test/authorize?state=s'])

    // Signing in from the address the person opened by hand still completes the attempt.
    w.provider.completeBrowser(signedInAs('alice', fakeSession(w.clock.now(), HOUR)))
    const done = await latchkey.completeSignIn(step.attemptId)
    expect(done).toMatchObject({ kind: 'done', account: { status: 'signed-in' } })
    await expect(latchkey.openSignInAgain(step.attemptId)).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('announces the newly signed-in account as the active one', async () => {
    const w = world()
    const { latchkey, events } = start(w)
    await latchkey.loadSecrets()
    await signIn(w, latchkey, 'alice')
    const bob = await signIn(w, latchkey, 'bob')
    await flush()
    const changes = events.filter((e) => e.event === 'accounts:changed').map((e) => e.payload as { count: number; version: number })
    expect(changes.at(-1)?.count).toBe(2)
    // Each change has a newer version, and a page answered now carries the newest.
    expect(changes.map((c) => c.version)).toEqual(changes.map((_, i) => i + 1))
    expect(latchkey.accountPage({ offset: 0, limit: 10 })).toMatchObject({ active: { id: bob.id }, activeIndex: 1, version: changes.length })
  })

  it('keeps a client secret in the keychain, not in settings, and shows the rest of the config', async () => {
    const w = world()
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    const account = await signIn(w, latchkey, 'alice', HOUR, { clientSecret: 'shh-very-secret' })
    expect(w.settings.text()).not.toContain('shh-very-secret')
    expect(storedSecret(w, account.id)).toContain('shh-very-secret')
    expect(latchkey.detail(account.id).config).toEqual([{ key: 'issuer', label: 'Issuer URL', value: 'https://id.example.test' }])
  })

  it('signing in again as the same person updates that account instead of adding another', async () => {
    const w = world()
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    const first = await signIn(w, latchkey)
    const step = await latchkey.reauth(first.id)
    if (step.kind !== 'browser') throw new Error('expected a browser step')
    w.provider.completeBrowser(signedInAs('alice', fakeSession(w.clock.now(), HOUR)))
    await latchkey.completeSignIn(step.attemptId)
    expect(latchkey.accounts().map((a) => a.id)).toEqual([first.id])
  })

  it('refuses to sign an account in again as someone else, and revokes that other session', async () => {
    const w = world()
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    const alice = await signIn(w, latchkey, 'alice')
    const revoked: string[] = []
    w.provider.signOut = (_config, session) => (revoked.push(session.refreshToken ?? ''), Promise.resolve(w.provider.signOutResult))
    const step = await latchkey.reauth(alice.id)
    if (step.kind !== 'browser') throw new Error('expected a browser step')
    const bobs = fakeSession(w.clock.now(), HOUR)
    w.provider.completeBrowser(signedInAs('bob', bobs))
    await expect(latchkey.completeSignIn(step.attemptId)).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      message: expect.stringMatching(/bob@example\.test.*Latchkey did not keep the session of bob@example\.test: The server revoked the session\.$/),
    })
    expect(revoked).toEqual([bobs.refreshToken])
    expect(latchkey.accounts().map((a) => a.user.subject)).toEqual(['alice'])
  })

  it('asks the provider to let the person choose when adding another account on the same backend, not when signing in again', async () => {
    const w = world()
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    const alice = await signIn(w, latchkey, 'alice')
    await signIn(w, latchkey, 'bob')
    await signIn(w, latchkey, 'carol', HOUR, { issuer: 'https://other.example.test' })
    const step = await latchkey.reauth(alice.id)
    if (step.kind === 'browser') latchkey.cancelSignIn(step.attemptId)
    expect(w.provider.signInOptions.map((options) => options?.purpose)).toEqual(['first', 'another-account', 'first', 'again'])
  })

  it('the same person on two issuers of one host gets two accounts', async () => {
    const w = world()
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    await signIn(w, latchkey, 'alice', HOUR, { issuer: 'https://id.example.test/app-one' })
    await signIn(w, latchkey, 'alice', HOUR, { issuer: 'https://id.example.test/app-two' })
    expect(latchkey.accounts()).toHaveLength(2)
  })

  it('reports bad configuration as VALIDATION on its field and opens nothing', async () => {
    const w = world()
    const { latchkey } = start(w)
    await expect(latchkey.beginSignIn('oidc', { issuer: 'http://id.example.test' })).rejects.toMatchObject({ code: 'VALIDATION', field: 'issuer' })
    expect(w.opened).toEqual([])
  })

  it('a cancelled attempt ends with AUTH_CANCELLED and adds nothing', async () => {
    const w = world()
    const { latchkey, events } = start(w)
    const step = await latchkey.beginSignIn('oidc', { issuer: 'https://id.example.test' })
    if (step.kind !== 'browser') throw new Error('expected a browser step')
    const completion = latchkey.completeSignIn(step.attemptId)
    latchkey.cancelSignIn(step.attemptId)
    await expect(completion).rejects.toMatchObject({ code: 'AUTH_CANCELLED' })
    expect(latchkey.accounts()).toEqual([])
    expect(events.filter((e) => e.event === 'auth:progress').map((e) => (e.payload as { stage: string }).stage)).toEqual([
      'opening-browser',
      'waiting-browser',
      'cancelled',
    ])
  })
})

describe('keeping sessions fresh', () => {
  it('persists the rotated refresh token before anyone can read the new access token', async () => {
    const w = world()
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    const account = await signIn(w, latchkey, 'alice', 30_000)
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const realWrite = w.files.write.bind(w.files)
    const order: string[] = []
    // The refresh's marker goes to disk before the request; what is gated is the write of its result.
    w.files.write = async (id, text) => {
      if (w.provider.refreshCalls.length > 0) {
        await gate
        order.push('persisted')
      }
      return realWrite(id, text)
    }
    const copied = latchkey.copyToken(account.id, 'access').then((r) => (order.push('copied'), r))
    await flush()
    expect(w.provider.refreshCalls).toHaveLength(1)
    expect(order).toEqual([])
    release()
    const outcome = await copied
    expect(order).toEqual(['persisted', 'copied'])
    const stored = JSON.parse(storedSecret(w, account.id) ?? '{}') as { session: { accessToken: string } }
    expect(outcome).toEqual({ delivered: 'value', value: stored.session.accessToken })
  })

  it('50 callers needing a fresh token cause exactly one refresh', async () => {
    const w = world()
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    const account = await signIn(w, latchkey, 'alice', 30_000)
    const results = await Promise.all(Array.from({ length: 50 }, () => latchkey.copyToken(account.id, 'access')))
    expect(w.provider.refreshCalls).toHaveLength(1)
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1)
  })

  it('refreshes on its own before expiry, and the expiry moves on', async () => {
    const w = world()
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    const account = await signIn(w, latchkey, 'alice', HOUR)
    const before = latchkey.summary(account.id).expiresAt
    await w.clock.advance(HOUR - 6 * 60_000)
    expect(w.provider.refreshCalls).toHaveLength(1)
    expect(latchkey.summary(account.id).expiresAt).not.toBe(before)
    expect(latchkey.summary(account.id).status).toBe('signed-in')
  })

  it('a rejected refresh keeps the account and marks it as needing attention', async () => {
    const w = world()
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    const account = await signIn(w, latchkey, 'alice', HOUR)
    w.provider.refreshPlan.push(() => Promise.reject(new RefreshRejectedError('The server refused to renew this session.')))
    await w.clock.advance(HOUR)
    const summary = latchkey.summary(account.id)
    expect(summary.status).toBe('needs-attention')
    expect(summary.attention).toMatchObject({ reason: 'refresh-rejected' })
    await w.clock.advance(HOUR)
    expect(w.provider.refreshCalls).toHaveLength(1)
    expect(latchkey.accounts()).toHaveLength(1)
  })

  it('network failures show "network down" and back off, then recover', async () => {
    const w = world()
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    const account = await signIn(w, latchkey, 'alice', HOUR)
    w.provider.refreshPlan.push(() => Promise.reject(new TransientError('offline')), () => Promise.reject(new TransientError('offline')))
    // Due at expiry − 6 min (10 % of an hour) − 15 s jitter; the first retry follows 4.5 s later.
    await w.clock.advance(HOUR - 373_000)
    expect(w.provider.refreshCalls).toHaveLength(1)
    expect(latchkey.summary(account.id).attention).toMatchObject({ reason: 'network-down' })
    await w.clock.advance(5 * 60_000)
    expect(w.provider.refreshCalls.length).toBe(3)
    expect(latchkey.summary(account.id)).toMatchObject({ status: 'signed-in', attention: null })
  })

  it('a server that says "not before" (429 with a time) is not asked again before it, across a restart, and the account says when', async () => {
    const w = world()
    const first = start(w)
    await first.latchkey.loadSecrets()
    const account = await signIn(w, first.latchkey, 'alice', HOUR)
    const retryAt = w.clock.now() + HOUR + 20 * 60_000
    w.provider.refreshPlan.push(() => Promise.reject(new TransientError('The server is limiting requests.', { retryAt })))
    await w.clock.advance(HOUR - 373_000)
    expect(w.provider.refreshCalls).toHaveLength(1)
    const summary = first.latchkey.summary(account.id)
    expect(summary).toMatchObject({ status: 'needs-attention', attention: { reason: 'rate-limited' } })
    const shown = /try again at (\d\d):(\d\d)\./.exec(summary.attention?.message ?? '')
    // The time Latchkey will try: the server's, plus up to 5 s of jitter, rounded up to the minute.
    const minutes = [retryAt, retryAt + 5_000].map((ms) => new Date(Math.ceil(ms / 60_000) * 60_000)).map((d) => [d.getHours(), d.getMinutes()])
    expect(minutes).toContainEqual(shown?.slice(1).map(Number))
    first.latchkey.dispose()
    // Restarted before the time: still waiting, still saying so.
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    expect(latchkey.summary(account.id).attention).toMatchObject({ reason: 'rate-limited' })
    await w.clock.advance(retryAt - w.clock.now() - 1_000)
    expect(w.provider.refreshCalls).toHaveLength(1)
    await w.clock.advance(10_000)
    expect(w.provider.refreshCalls).toHaveLength(2)
    expect(latchkey.summary(account.id)).toMatchObject({ status: 'signed-in', attention: null })
  })

  it('a renewing session whose server can check it is checked at start-up and on demand ("Check session"), without renewing it', async () => {
    const w = world()
    const checks: string[] = []
    let verdict: Error | null = null
    w.provider.checkSession = (_config, session) => {
      checks.push(session.accessToken)
      return verdict === null ? Promise.resolve() : Promise.reject(verdict)
    }
    const first = start(w)
    await first.latchkey.loadSecrets()
    const account = await signIn(w, first.latchkey, 'alice', HOUR)
    expect(first.latchkey.summary(account.id)).toMatchObject({ renewal: 'automatic', checkable: true })
    await first.latchkey.refresh(account.id, { check: true })
    expect(checks).toHaveLength(1)
    expect(w.provider.refreshCalls).toHaveLength(0)
    first.latchkey.dispose()
    // Logged out elsewhere while Latchkey was closed: the start-up check says so.
    verdict = new RefreshRejectedError('The server says this sign-in is no longer valid. Sign in again.')
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    await expect.poll(() => latchkey.summary(account.id).status).toBe('needs-attention')
    expect(checks).toHaveLength(2)
    expect(latchkey.summary(account.id).attention).toMatchObject({ reason: 'refresh-rejected', message: 'The server says this sign-in is no longer valid. Sign in again.' })
    // Nothing renews a session the server refused.
    await w.clock.advance(2 * HOUR)
    expect(w.provider.refreshCalls).toHaveLength(0)
  })

  it('"Check session" is refused for a backend that cannot check without renewing', async () => {
    const w = world()
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    const account = await signIn(w, latchkey, 'alice', HOUR)
    expect(latchkey.summary(account.id).checkable).toBeUndefined()
    await expect(latchkey.refresh(account.id, { check: true })).rejects.toMatchObject({ code: 'UNSUPPORTED' })
  })

  it('after sleep, overdue accounts refresh at once', async () => {
    const w = world()
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    await signIn(w, latchkey, 'alice', HOUR)
    w.clock.jump(2 * HOUR)
    latchkey.resumed()
    await flush()
    await flush()
    expect(w.provider.refreshCalls).toHaveLength(1)
  })
})

describe('starting up', () => {
  it('reads nothing from the keychain before the account list is shown, then only the vault key', async () => {
    const w = world()
    const first = start(w)
    await first.latchkey.loadSecrets()
    await signIn(w, first.latchkey, 'alice')
    await signIn(w, first.latchkey, 'bob')
    first.latchkey.dispose()
    w.keychain.calls.length = 0

    const { latchkey } = start(w)
    expect(latchkey.accounts().map((a) => a.label)).toHaveLength(2)
    expect(w.keychain.calls).toEqual([])
    await latchkey.loadSecrets()
    expect(w.keychain.calls).toEqual(['get vault-key:/memory/accounts'])
    expect(latchkey.accounts().every((a) => a.status === 'signed-in')).toBe(true)
    expect(latchkey.accounts().find((a) => a.active)?.user.subject).toBe('bob')
  })

  it('an account whose secret is missing or unreadable needs a new sign-in', async () => {
    const w = world()
    const first = start(w)
    await first.latchkey.loadSecrets()
    const account = await signIn(w, first.latchkey)
    first.latchkey.dispose()
    const file = JSON.parse(w.files.files.get(account.id) ?? '{}') as { sealed: string }
    w.files.files.set(account.id, JSON.stringify({ ...file, sealed: file.sealed.slice(0, -4) + 'AAAA' }))
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    expect(latchkey.summary(account.id)).toMatchObject({ status: 'needs-attention', attention: { reason: 'expired' } })
  })

  it('without a keychain: memory only, a reason, and signed-in sessions still work', async () => {
    const w = world()
    const { latchkey } = start(w, { keychain: null })
    await latchkey.loadSecrets()
    expect(latchkey.appState().storage).toMatchObject({ available: false })
    const account = await signIn(w, latchkey)
    expect(account).toMatchObject({ status: 'signed-in', storage: 'memory-only' })
    latchkey.dispose()
    const again = start(w, { keychain: null })
    await again.latchkey.loadSecrets()
    expect(again.latchkey.summary(account.id)).toMatchObject({ status: 'needs-attention', attention: { reason: 'keychain-unavailable' } })
  })
})

describe('the keychain coming and going', () => {
  it('"Try again" brings back sessions the keychain could not give at startup', async () => {
    const w = world()
    const first = start(w)
    await first.latchkey.loadSecrets()
    const account = await signIn(w, first.latchkey, 'alice', HOUR)
    first.latchkey.dispose()

    w.keychain.mode('throw')
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    expect(latchkey.summary(account.id)).toMatchObject({ status: 'needs-attention', attention: { reason: 'keychain-unavailable' } })

    w.keychain.mode('ok')
    expect(await latchkey.retryKeychain()).toMatchObject({ available: true })
    expect(latchkey.summary(account.id)).toMatchObject({ status: 'signed-in', attention: null, storage: 'keychain' })
    await w.clock.advance(HOUR)
    expect(w.provider.refreshCalls).toHaveLength(1)
  })

  it('a session the server refused stays refused after a restart, without asking the server again', async () => {
    const w = world()
    const first = start(w)
    await first.latchkey.loadSecrets()
    const account = await signIn(w, first.latchkey, 'alice', HOUR)
    w.provider.refreshPlan.push(() => Promise.reject(new RefreshRejectedError('Refused.')))
    await w.clock.advance(HOUR)
    first.latchkey.dispose()

    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    await w.clock.advance(2 * HOUR)
    expect(latchkey.summary(account.id)).toMatchObject({ status: 'needs-attention', attention: { reason: 'refresh-rejected' } })
    expect(w.provider.refreshCalls).toHaveLength(1)
  })

  it('leaves keychain entries of accounts it does not know alone (a moved-aside settings file can come back)', async () => {
    const w = world()
    w.keychain.items.set('not-in-these-settings', '{"v":1,"session":null,"config":{}}')
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    expect(w.keychain.items.has('not-in-these-settings')).toBe(true)
  })
})

describe('ending sessions', () => {
  /** A started core with one account signed in. */
  async function signedIn(): Promise<{ w: World; latchkey: Latchkey; account: Awaited<ReturnType<typeof signIn>> }> {
    const w = world()
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    return { w, latchkey, account: await signIn(w, latchkey) }
  }

  it('sign-out reports what the server did, forgets the tokens and keeps the account', async () => {
    const { w, latchkey, account } = await signedIn()
    w.provider.signOutResult = { revokedOnServer: false, endSessionUrl: 'https://id.example.test/logout?x=1', message: 'The server did not revoke it.' }
    const outcome = await latchkey.signOut(account.id)
    expect(outcome).toEqual({ revokedOnServer: false, browserLogout: 'opened', message: 'The server did not revoke it.' })
    expect(w.opened.at(-1)).toBe('https://id.example.test/logout?x=1')
    expect(latchkey.summary(account.id).status).toBe('signed-out')
    expect(account.hasSession).toBe(true)
    expect(latchkey.summary(account.id).hasSession).toBe(false)
    expect(storedSecret(w, account.id)).toBeUndefined()
    await expect(latchkey.copyToken(account.id, 'access')).rejects.toBeInstanceOf(AppError)
  })

  it('"Revoke all" opens no sign-out page and says it was not asked to; with no session, it says there was none', async () => {
    const { w, latchkey, account } = await signedIn()
    w.provider.signOutResult = { revokedOnServer: true, endSessionUrl: 'https://id.example.test/logout?x=1', message: 'Signed out.' }
    const opened = w.opened.length
    expect(await latchkey.revokeAll(account.id)).toEqual({ revokedOnServer: true, browserLogout: 'not-asked', message: 'Command-line access is off. Signed out.' })
    expect(w.opened.length).toBe(opened)
    expect(await latchkey.revokeAll(account.id)).toMatchObject({ revokedOnServer: false, noSession: true, message: 'Command-line access is off. The account held no session.' })
    expect(await latchkey.signOut(account.id)).toMatchObject({ noSession: true, message: 'This account was not signed in.' })
  })

  it('sign-out passes on that the server cannot revoke at all, and only then', async () => {
    const { w, latchkey, account } = await signedIn()
    w.provider.signOutResult = { revokedOnServer: false, cannotRevoke: true, endSessionUrl: null, message: 'id.example.test cannot revoke a token.' }
    expect(await latchkey.signOut(account.id)).toEqual({ revokedOnServer: false, cannotRevoke: true, browserLogout: 'not-offered', message: 'id.example.test cannot revoke a token.' })
    const again = await signIn(w, latchkey, 'bob')
    w.provider.signOutResult = { revokedOnServer: false, endSessionUrl: null, message: 'The server did not answer.' }
    expect(await latchkey.signOut(again.id)).not.toHaveProperty('cannotRevoke')
  })

  it('sign-out during a refresh waits for it, revokes the newest token and keeps nothing', async () => {
    const w = world()
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    const account = await signIn(w, latchkey, 'alice', HOUR)
    let finish!: () => void
    const rotated = fakeSession(w.clock.now(), HOUR)
    w.provider.refreshPlan.push(() => new Promise((resolve) => (finish = () => resolve({ session: rotated }))))
    const revoked: string[] = []
    w.provider.signOut = (_config, session) => (revoked.push(session.refreshToken ?? ''), Promise.resolve(w.provider.signOutResult))
    const refreshing = latchkey.refresh(account.id)
    const signingOut = latchkey.signOut(account.id)
    await flush()
    finish()
    await refreshing
    await signingOut
    expect(revoked).toEqual([rotated.refreshToken])
    expect(storedSecret(w, account.id)).toBeUndefined()
    expect(latchkey.summary(account.id).status).toBe('signed-out')
    await expect(latchkey.copyToken(account.id, 'access')).rejects.toBeInstanceOf(AppError)
  })

  it('signing in again during a refresh keeps the new session and revokes what the old refresh minted', async () => {
    const w = world()
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    const account = await signIn(w, latchkey, 'alice', HOUR)
    let finish!: () => void
    const stale = fakeSession(w.clock.now(), HOUR)
    w.provider.refreshPlan.push(() => new Promise((resolve) => (finish = () => resolve({ session: stale }))))
    const revoked: string[] = []
    w.provider.signOut = (_config, session) => (revoked.push(session.refreshToken ?? ''), Promise.resolve(w.provider.signOutResult))
    const refreshing = latchkey.refresh(account.id)
    await flush()
    const step = await latchkey.reauth(account.id)
    if (step.kind !== 'browser') throw new Error('expected a browser step')
    const fresh = fakeSession(w.clock.now(), HOUR)
    w.provider.completeBrowser(signedInAs('alice', fresh))
    await latchkey.completeSignIn(step.attemptId)
    finish()
    await refreshing
    const stored = JSON.parse(storedSecret(w, account.id) ?? '{}') as { session: { refreshToken: string } }
    expect(stored.session.refreshToken).toBe(fresh.refreshToken)
    expect(revoked).toEqual([stale.refreshToken])
    expect(latchkey.summary(account.id)).toMatchObject({ status: 'signed-in', attention: null })
  })

  it('remove deletes the account and its secrets', async () => {
    const w = world()
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    const account = await signIn(w, latchkey)
    await latchkey.remove(account.id)
    expect(latchkey.accounts()).toEqual([])
    expect(w.files.files.size).toBe(0)
    expect(() => latchkey.detail(account.id)).toThrow(/no longer exists/)
  })

  it('remove cleans up on the server what Latchkey created only when the person ticks the box', async () => {
    const w = world()
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    const first = await signIn(w, latchkey, 'alice')
    expect(latchkey.detail(first.id).removeOption).toBeNull()
    w.provider.removeOptionText = 'Also delete the token Latchkey created'
    expect(latchkey.detail(first.id).removeOption).toBe('Also delete the token Latchkey created')
    await latchkey.remove(first.id)
    expect(w.provider.cleanedUp).toEqual([])
    const second = await signIn(w, latchkey, 'bob')
    await latchkey.remove(second.id, { cleanUp: true })
    expect(w.provider.cleanedUp.map((account) => account.identity.subject)).toEqual(['bob'])
    expect(latchkey.appState().notices.at(-1)?.message).toMatch(/The server revoked the session\. Deleted 1 thing Latchkey had created\.$/)
  })

  it('a backend whose sign-out ends its server-side session can revoke without a refresh token', async () => {
    const w = world()
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    w.provider.nextStart = { kind: 'done', signedIn: signedInAs('alice', fakeSession(w.clock.now(), HOUR, { refreshToken: null })) }
    const step = await latchkey.beginSignIn('oidc', { issuer: 'https://id.example.test' })
    if (step.kind !== 'done') throw new Error('expected done')
    expect(latchkey.detail(step.account.id).canRevoke).toBe(false)
    w.provider.signOutEndsSession = true
    expect(latchkey.detail(step.account.id).canRevoke).toBe(true)
  })

  it('remove says what the server did with the session: revoked, refused, or none to revoke', async () => {
    const w = world()
    const { latchkey, events } = start(w)
    await latchkey.loadSecrets()
    const alice = await signIn(w, latchkey, 'alice')
    await latchkey.remove(alice.id)
    expect(latchkey.appState().notices).toEqual([
      { id: `removed-${alice.id}`, level: 'info', message: 'Removed “alice@example.test @ id.example.test”. The server revoked the session.' },
    ])
    expect(events.some((e) => e.event === 'app:changed')).toBe(true)

    const bob = await signIn(w, latchkey, 'bob')
    w.provider.signOutResult = { revokedOnServer: false, endSessionUrl: null, message: 'id.example.test refused to revoke the session (HTTP 401).' }
    await latchkey.remove(bob.id)
    expect(latchkey.appState().notices.at(-1)).toMatchObject({ level: 'warning', message: expect.stringContaining('refused to revoke the session (HTTP 401)') })

    const carol = await signIn(w, latchkey, 'carol')
    await latchkey.signOut(carol.id)
    await latchkey.remove(carol.id)
    expect(latchkey.appState().notices.at(-1)?.message).toBe('Removed “carol@example.test @ id.example.test”. It held no session.')
  })
})

describe('shutting down', () => {
  it('waits for a session write that is under way, so a rotated token is not lost', async () => {
    const w = world()
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    const account = await signIn(w, latchkey, 'alice', HOUR)
    const rotated = fakeSession(w.clock.now(), HOUR)
    w.provider.refreshPlan.push(() => Promise.resolve({ session: rotated }))
    let release!: () => void
    const realWrite = w.files.write.bind(w.files)
    w.files.write = async (id, text) => {
      if (w.provider.refreshCalls.length > 0) await new Promise<void>((resolve) => (release = resolve))
      return realWrite(id, text)
    }
    const refreshing = latchkey.refresh(account.id)
    await flush()
    let done = false
    const stopping = latchkey.shutdown().then(() => (done = true))
    await flush()
    expect(done).toBe(false)
    release()
    await stopping
    await refreshing
    const stored = JSON.parse(storedSecret(w, account.id) ?? '{}') as { session: { refreshToken: string } }
    expect(stored.session.refreshToken).toBe(rotated.refreshToken)
  })
})

describe('copying a token', () => {
  it('writes it to the clipboard in the desktop shell and logs the event without the token', async () => {
    const w = world()
    const { latchkey } = start(w, { clipboard: true })
    await latchkey.loadSecrets()
    const account = await signIn(w, latchkey)
    expect(await latchkey.copyToken(account.id, 'access')).toEqual({ delivered: 'clipboard' })
    expect(w.clipboard).toHaveLength(1)
    const token = w.clipboard[0] ?? ''
    expect(w.logger.lines.some((l) => l.includes('token.copied'))).toBe(true)
    expect(w.logger.lines.join('\n')).not.toContain(token)
  })

  it('takes the token off the clipboard after a minute if it is still there', async () => {
    const w = world()
    const { latchkey } = start(w, { clipboard: true })
    await latchkey.loadSecrets()
    const account = await signIn(w, latchkey)
    await latchkey.copyToken(account.id, 'access')
    const token = w.clipboard.at(-1)
    await w.clock.advance(59_999)
    expect(w.clipboard.at(-1)).toBe(token)
    await w.clock.advance(1)
    expect(w.clipboard.at(-1)).toBe('')
  })

  it('no DTO the renderer receives carries a token', async () => {
    const w = world()
    const { latchkey, events } = start(w)
    await latchkey.loadSecrets()
    const account = await signIn(w, latchkey)
    const seen = JSON.stringify([latchkey.accounts(), latchkey.detail(account.id), latchkey.appState(), events])
    expect(seen).not.toMatch(/access-\d|refresh-\d/)
  })
})
