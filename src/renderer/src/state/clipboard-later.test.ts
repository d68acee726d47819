import { afterEach, describe, expect, it, vi } from 'vitest'
import { CLIPBOARD_CLEAR_MS, clearClipboardLater } from './clipboard-later.ts'

/** The page's view of the browser: a clipboard and a permission state for reading it. */
function browserWith(readPermission: 'granted' | 'prompt' | 'denied') {
  const clipboard = { text: '' }
  const reads: number[] = []
  vi.stubGlobal('navigator', {
    permissions: { query: () => Promise.resolve({ state: readPermission }) },
    clipboard: {
      writeText: (text: string) => Promise.resolve(void (clipboard.text = text)),
      readText: () => (reads.push(1), Promise.resolve(clipboard.text)),
    },
  })
  return { clipboard, reads }
}

afterEach(() => {
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

describe('clearing a copied token in the browser shell', () => {
  it('clears it after a minute when the browser already lets the page read the clipboard', async () => {
    vi.useFakeTimers()
    const { clipboard } = browserWith('granted')
    clipboard.text = 'access-token-1'
    expect(await clearClipboardLater('access-token-1')).toBe('scheduled')
    await vi.advanceTimersByTimeAsync(CLIPBOARD_CLEAR_MS - 1)
    expect(clipboard.text).toBe('access-token-1')
    await vi.advanceTimersByTimeAsync(1)
    await vi.waitFor(() => expect(clipboard.text).toBe(''))
  })

  it('leaves what the person copied since alone', async () => {
    vi.useFakeTimers()
    const { clipboard, reads } = browserWith('granted')
    expect(await clearClipboardLater('access-token-1')).toBe('scheduled')
    clipboard.text = 'a shopping list'
    await vi.advanceTimersByTimeAsync(CLIPBOARD_CLEAR_MS)
    await vi.waitFor(() => expect(reads).toHaveLength(1))
    expect(clipboard.text).toBe('a shopping list')
  })

  it('never asks for permission: without it, it says it cannot and never reads the clipboard', async () => {
    vi.useFakeTimers()
    for (const state of ['prompt', 'denied'] as const) {
      const { reads } = browserWith(state)
      expect(await clearClipboardLater('access-token-1')).toBe('not-allowed')
      await vi.advanceTimersByTimeAsync(CLIPBOARD_CLEAR_MS)
      expect(reads).toEqual([])
    }
  })
})
