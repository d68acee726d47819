import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Api } from '../../../shared/contract.ts'
import { CALLS_PATH, INVOKE_PATH, SHELL_KEY_HEADER } from '../../../shared/web-shell.ts'
import { PAGE_SIZE } from '../state/list-args.ts'
import { nextTask } from '../testing/next-task.ts'

afterEach(() => vi.unstubAllGlobals())

describe('the launch key in the address', () => {
  it('is kept in this tab and taken off the address once the app has drawn its first page, not before (nor when the page has merely arrived)', async () => {
    history.replaceState(null, '', '/#key=launch-key-1')
    const fetchMock = vi.fn<(url: string, init?: RequestInit) => Promise<Response>>((url, init) => {
      if (url === CALLS_PATH) {
        const { calls } = JSON.parse(init?.body as string) as { calls: unknown[] }
        return Promise.resolve(new Response(JSON.stringify(calls.map(() => ({ ok: true, value: null }))), { status: 200 }))
      }
      if (!url.startsWith(INVOKE_PATH)) return new Promise<Response>(() => {})
      return Promise.resolve(new Response(JSON.stringify({ ok: true, value: null }), { status: 200 }))
    })
    vi.stubGlobal('fetch', fetchMock)
    const frames: FrameRequestCallback[] = []
    vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => frames.push(callback))
    await import('./index.ts')
    const api = (window as unknown as { latchkey: Api }).latchkey
    // Every call carries the key from the address.
    expect(fetchMock.mock.calls[0]?.[1]?.headers).toMatchObject({ [SHELL_KEY_HEADER]: 'launch-key-1' })
    await nextTask()
    expect(location.hash).toBe('#key=launch-key-1')
    expect(sessionStorage.getItem('latchkey.shellKey')).toBeNull()

    // The app takes its first page: while it has not drawn it (it waits for its other answers), the key stays where it is.
    await api.accountsList({ offset: 0, limit: PAGE_SIZE })
    await nextTask()
    expect(location.hash).toBe('#key=launch-key-1')
    expect(frames).toHaveLength(1)
    frames[0]?.(0)
    await nextTask()
    expect(location.hash).toBe('#key=launch-key-1')
    expect(sessionStorage.getItem('latchkey.shellKey')).toBeNull()
    // It draws its list: the key is kept, and leaves the address after that frame.
    const app = document.createElement('div')
    app.dataset.appState = 'ready'
    document.body.append(app)
    try {
      expect(frames).toHaveLength(2)
      frames[1]?.(0)
      // Kept once the page is idle (two timer turns here): waited for, as a loaded machine delays them.
      await vi.waitFor(() => expect(sessionStorage.getItem('latchkey.shellKey')).toBe('launch-key-1'))
      expect(location.hash).toBe('')
    } finally {
      app.remove()
    }
  })
})
