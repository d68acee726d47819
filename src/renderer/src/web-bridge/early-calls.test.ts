import { afterEach, describe, expect, it, vi } from 'vitest'
import { PAGE_SIZE } from '../state/list-args.ts'
import { loadBridge } from './bridge-harness.ts'
import { nextTask } from '../testing/next-task.ts'

afterEach(() => vi.unstubAllGlobals())

describe('the browser shell’s bridge', () => {
  it('asks for app state, backends and the first page as soon as it loads; the app’s first such call takes that answer', async () => {
    // The page's frames, run by the test: what the bridge does on each is then known, not waited for.
    const frames: FrameRequestCallback[] = []
    vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => frames.push(callback))
    const { api, invokes, requests, paintedSaid } = await loadBridge()
    const first = { offset: 0, limit: PAGE_SIZE }
    expect(invokes()).toEqual([
      ['accounts:list', first],
      ['app:state', null],
      ['backends:list', null],
    ])
    // All three in one request.
    expect(requests()).toBe(1)
    // Until the app has drawn its first page, the shell is not told (it reads the keychain then):
    // not when the answers come, nor once the app has its page, nor in the frames before it shows it drawn.
    expect(await api.accountsList(first)).toEqual({ ok: true, value: 1 })
    await vi.waitFor(() => expect(frames).toHaveLength(1))
    frames[0]?.(0)
    expect(frames).toHaveLength(2)
    await nextTask()
    expect(paintedSaid()).toBe(0)
    const app = document.createElement('div')
    app.dataset.appState = 'ready'
    document.body.append(app)
    frames[1]?.(0)
    await vi.waitFor(() => expect(paintedSaid()).toBe(1))
    app.remove()
    expect(await api.appState()).toEqual({ ok: true, value: 2 })
    expect(invokes()).toHaveLength(3)
    // Later calls, and calls with other arguments, go to the shell.
    expect(await api.accountsList(first)).toEqual({ ok: true, value: 4 })
    expect(await api.accountsList({ offset: PAGE_SIZE, limit: PAGE_SIZE })).toEqual({ ok: true, value: 5 })
    expect(invokes().slice(3)).toEqual([
      ['accounts:list', first],
      ['accounts:list', { offset: PAGE_SIZE, limit: PAGE_SIZE }],
    ])
    // Said once only: the later first-page call looks for no drawn page again.
    await nextTask()
    expect(frames).toHaveLength(2)
    expect(paintedSaid()).toBe(1)
  })
})
