import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AccountSummary } from '../../../shared/contract.ts'
import { RefreshRejectedError } from '../errors.ts'
import { AccountStore } from '../accounts/account-store.ts'
import { ACTIVE_WRITE_DELAY_MS, AccountRegistry } from '../accounts/registry.ts'
import { flush, memorySettings, signIn, storedSecret, tracked, world, type World } from '../testing/harness.ts'
import { REFRESHING_SHOWN_AFTER_MS } from './session-keeper.ts'

const HOUR = 3_600_000
const { start, stopAll } = tracked()
afterEach(stopAll)

/** Counts writes of the settings file. */
function countSettingsWrites(w: World): { count: number } {
  const counter = { count: 0 }
  const write = w.settings.write.bind(w.settings)
  w.settings.write = (value) => {
    counter.count++
    write(value)
  }
  return counter
}

describe('persisting one account at a time', () => {
  it('a refresh writes only that account’s file (its in-flight mark, then its result), never the settings file', async () => {
    const w = world()
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    const accounts = [await signIn(w, latchkey, 'alice'), await signIn(w, latchkey, 'bob'), await signIn(w, latchkey, 'carol')]
    const target = accounts[1] as AccountSummary
    await flush()
    const settingsWrites = countSettingsWrites(w)
    w.files.writes.length = 0
    await latchkey.refresh(target.id)
    await flush()
    expect(w.files.writes).toEqual([target.id, target.id])
    // The in-flight mark is written without a flush to the disk; the result (the rotated token) with one.
    expect(w.files.unflushed).toEqual([target.id])
    expect(settingsWrites.count).toBe(0)
  })

  it('a renewal that leaves the old token valid (PocketBase) writes its account’s file once: no in-flight mark, not flushed', async () => {
    const w = world()
    w.provider.renewalKeepsOldToken = true
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    const alice = await signIn(w, latchkey, 'alice')
    await flush()
    w.files.writes.length = 0
    w.files.unflushed.length = 0
    await latchkey.refresh(alice.id)
    await flush()
    expect(w.files.writes).toEqual([alice.id])
    // Killed now, the system still has the file; a power cut may bring back the previous one, whose token still renews.
    expect(w.files.unflushed).toEqual([alice.id])
    expect(JSON.parse(w.files.files.get(alice.id) ?? '{}')).toMatchObject({ account: { refreshStartedAt: null } })
    // The renewed token is what a restart finds.
    const before = w.provider.refreshCalls[0]?.accessToken
    await latchkey.shutdown()
    const stored = JSON.parse(storedSecret(w, alice.id) ?? '{}') as { session?: { accessToken?: string } }
    expect(stored.session?.accessToken).toEqual(expect.any(String))
    expect(stored.session?.accessToken).not.toBe(before)
    const again = start(w)
    await again.latchkey.loadSecrets()
    await again.latchkey.refresh(alice.id)
    expect(w.provider.refreshCalls[1]?.accessToken).toBe(stored.session?.accessToken)
  })

  it('a refresh walks no list of accounts', async () => {
    const w = world()
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    const alice = await signIn(w, latchkey, 'alice')
    await signIn(w, latchkey, 'bob')
    await flush()
    const lists = vi.spyOn(AccountRegistry.prototype, 'list')
    const ids = vi.spyOn(AccountStore.prototype, 'ids')
    try {
      await latchkey.refresh(alice.id)
      await flush()
      expect(lists).not.toHaveBeenCalled()
      expect(ids).not.toHaveBeenCalled()
    } finally {
      lists.mockRestore()
      ids.mockRestore()
    }
  })

  it('a refresh sends one event, its outcome; only one still running after a moment shows as refreshing first', async () => {
    const w = world()
    const { latchkey, events } = start(w)
    await latchkey.loadSecrets()
    const alice = await signIn(w, latchkey, 'alice')
    await flush()
    events.length = 0
    await latchkey.refresh(alice.id)
    await flush()
    expect(events).toEqual([{ event: 'account:updated', payload: expect.objectContaining({ id: alice.id, status: 'signed-in' }) }])

    // A slow server: the account shows as refreshing once the renewal has run for a moment, then its outcome.
    const slow = { answer: (): void => undefined }
    w.provider.refreshPlan.push(
      (session) =>
        new Promise((resolve) => {
          slow.answer = () => resolve({ session: { ...session, accessToken: 'slow-new', expiresAt: w.clock.now() + HOUR, issuedAt: w.clock.now() } })
        }),
    )
    events.length = 0
    const running = latchkey.refresh(alice.id)
    await w.clock.advance(REFRESHING_SHOWN_AFTER_MS - 1)
    expect(events).toEqual([])
    await w.clock.advance(1)
    expect(events).toEqual([{ event: 'account:updated', payload: expect.objectContaining({ id: alice.id, status: 'refreshing' }) }])
    slow.answer()
    await running
    await flush()
    expect(events.map((e) => (e.payload as AccountSummary).status)).toEqual(['refreshing', 'signed-in'])
    // Nothing more once it is over.
    await w.clock.advance(REFRESHING_SHOWN_AFTER_MS * 2)
    expect(events).toHaveLength(2)
  })

  it('one event per change, carrying only the changed account; the whole list only when the list changes', async () => {
    const w = world()
    const { latchkey, events } = start(w)
    await latchkey.loadSecrets()
    const alice = await signIn(w, latchkey, 'alice')
    const bob = await signIn(w, latchkey, 'bob')
    await flush()
    events.length = 0
    await latchkey.refresh(alice.id)
    await flush()
    expect(events.map((e) => e.event)).not.toContain('accounts:changed')
    const updated = events.filter((e) => e.event === 'account:updated').map((e) => (e.payload as AccountSummary).id)
    expect(new Set(updated)).toEqual(new Set([alice.id]))

    events.length = 0
    latchkey.rename(bob.id, 'Bob at work')
    await flush()
    expect(events).toEqual([{ event: 'account:updated', payload: expect.objectContaining({ id: bob.id, label: 'Bob at work' }) }])

    latchkey.switchTo(bob.id)
    await flush()
    events.length = 0
    const settingsWrites = countSettingsWrites(w)
    latchkey.switchTo(alice.id)
    await flush()
    // A switch changes two rows: the account that is now active and the one that was.
    expect(events.map((e) => e.event)).toEqual(['account:updated', 'account:updated'])
    const byId = new Map(events.map((e) => [(e.payload as AccountSummary).id, (e.payload as AccountSummary).active]))
    expect(byId).toEqual(new Map([[bob.id, false], [alice.id, true]]))
    // The settings file (every account) is written once things are quiet, not during the switch.
    expect(settingsWrites.count).toBe(0)
    await w.clock.advance(ACTIVE_WRITE_DELAY_MS)
    expect(settingsWrites.count).toBe(1)
    expect(JSON.parse(w.settings.text())).toMatchObject({ activeAccountId: alice.id })

    // A change to the list itself still sends the whole list.
    events.length = 0
    await latchkey.remove(bob.id)
    await flush()
    expect(events.map((e) => e.event)).toContain('accounts:changed')
  })

  it('a restart keeps each account’s newest state from its own file', async () => {
    const w = world()
    const first = start(w)
    await first.latchkey.loadSecrets()
    const alice = await signIn(w, first.latchkey, 'alice')
    first.latchkey.rename(alice.id, 'Renamed')
    await first.latchkey.refresh(alice.id)
    await first.latchkey.shutdown()
    const { latchkey } = start(w)
    expect(latchkey.summary(alice.id).label).toBe('Renamed')
    await latchkey.loadSecrets()
    expect(latchkey.summary(alice.id)).toMatchObject({ status: 'signed-in', storage: 'keychain' })
  })
})

describe('a refresh that never finished', () => {
  it('is marked on disk before the request, and after a restart the account says exactly that when the server refuses', async () => {
    const w = world()
    const first = start(w)
    await first.latchkey.loadSecrets()
    const alice = await signIn(w, first.latchkey, 'alice')
    // The request goes out and Latchkey stops before the answer is stored.
    w.provider.refreshPlan.push(() => new Promise(() => {}))
    void first.latchkey.refresh(alice.id).catch(() => undefined)
    await flush()
    expect(w.provider.refreshCalls).toHaveLength(1)
    expect(JSON.parse(w.files.files.get(alice.id) ?? '{}')).toMatchObject({ account: { refreshStartedAt: expect.any(String) } })
    first.latchkey.dispose()

    // The server used up that refresh token: the next attempt is refused.
    w.provider.refreshPlan.push(() => Promise.reject(new RefreshRejectedError('The password may have changed.')))
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    await latchkey.refresh(alice.id).catch(() => undefined)
    await flush()
    const attention = latchkey.summary(alice.id).attention
    expect(attention?.reason).toBe('refresh-rejected')
    expect(attention?.message).toMatch(/^Latchkey stopped while renewing this session \(at \d\d:\d\d\), before it could save the renewed one/)
    expect(attention?.message).not.toMatch(/password/)
  })

  it('a refresh that finishes clears the mark, so a later refusal says what the server said', async () => {
    const w = world()
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    const alice = await signIn(w, latchkey, 'alice')
    await latchkey.refresh(alice.id)
    expect(JSON.parse(w.files.files.get(alice.id) ?? '{}')).toMatchObject({ account: { refreshStartedAt: null } })
    w.provider.refreshPlan.push(() => Promise.reject(new RefreshRejectedError('The grant was revoked.')))
    await latchkey.refresh(alice.id).catch(() => undefined)
    await flush()
    expect(latchkey.summary(alice.id).attention?.message).toBe('The grant was revoked.')
  })
})

describe('accounts missing from the settings', () => {
  it('are offered back with their sessions, not kept invisibly', async () => {
    const w = world()
    const first = start(w)
    await first.latchkey.loadSecrets()
    const alice = await signIn(w, first.latchkey, 'alice')
    await first.latchkey.shutdown()
    w.settings = memorySettings()

    const { latchkey, events } = start(w)
    expect(latchkey.accounts()).toEqual([])
    const notice = latchkey.appState().notices.find((n) => n.action)
    expect(notice).toMatchObject({ level: 'warning', action: { label: 'Restore account' } })
    expect(notice?.message).toMatch(/missing from the settings file \(alice@example.test @ /)
    await latchkey.loadSecrets()
    latchkey.noticeAction(notice?.id ?? '')
    await flush()
    expect(latchkey.accounts().map((a) => a.id)).toEqual([alice.id])
    expect(latchkey.summary(alice.id)).toMatchObject({ status: 'signed-in', active: true })
    expect(latchkey.appState().notices.some((n) => n.id === notice?.id)).toBe(false)
    expect(events.some((e) => e.event === 'accounts:changed')).toBe(true)
    expect(() => latchkey.noticeAction(notice?.id ?? '')).toThrow(/gone/)
  })
})

describe('sessions that cannot be opened', () => {
  it('a damaged record is reported in a notice and on its account; the others are fine', async () => {
    const w = world()
    const first = start(w)
    await first.latchkey.loadSecrets()
    const alice = await signIn(w, first.latchkey, 'alice')
    const bob = await signIn(w, first.latchkey, 'bob')
    await first.latchkey.shutdown()
    const file = JSON.parse(w.files.files.get(bob.id) ?? '{}') as { sealed: string }
    w.files.files.set(bob.id, JSON.stringify({ ...file, sealed: file.sealed.slice(0, 30) + (file.sealed[30] === 'x' ? 'y' : 'x') + file.sealed.slice(31) }))
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    expect(latchkey.summary(alice.id).status).toBe('signed-in')
    expect(latchkey.summary(bob.id)).toMatchObject({ status: 'needs-attention', attention: { message: expect.stringMatching(/could not be opened/) } })
    expect(latchkey.appState().notices.map((n) => n.message).join('\n')).toMatch(/1 saved session could not be opened/)
  })
})
