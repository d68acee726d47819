import { afterEach, describe, expect, it, vi } from 'vitest'
import { loadBridge } from './bridge-harness.ts'

afterEach(() => vi.unstubAllGlobals())

/** What the shell sends on app:changed, in short: the keychain's state. */
const state = (mode: string): { storage: { mode: string } } => ({ storage: { mode } })

describe('events that come before the app listens', () => {
  it('are handed, in order, to the first listener of their channel, and only once', async () => {
    // The stream opens while the page is parsed: these arrive before the app has subscribed.
    const { api, send } = await loadBridge([
      ['app:changed', state('pending')],
      ['app:changed', state('memory-only')],
      ['cli:consent', { id: 'c1' }],
    ])
    // The stream's last event has been read once a listener on its channel has it: the two before it
    // were read before any app:changed listener was there.
    const consents: unknown[] = []
    api.on('cli:consent', (payload) => consents.push(payload))
    await vi.waitFor(() => expect(consents).toEqual([{ id: 'c1' }]))
    const seen: unknown[] = []
    api.on('app:changed', (payload) => seen.push(payload))
    await vi.waitFor(() => expect(seen).toEqual([state('pending'), state('memory-only')]))
    // A second listener on the same channel gets only what comes from now on: the next event, and none before it.
    const later: unknown[] = []
    api.on('app:changed', (payload) => later.push(payload))
    send(['app:changed', state('keychain')])
    await vi.waitFor(() => expect(seen).toHaveLength(3))
    expect(later).toEqual([state('keychain')])
  })
})
