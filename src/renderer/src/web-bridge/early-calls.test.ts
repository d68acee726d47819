import { afterEach, describe, expect, it, vi } from 'vitest'
import { PAGE_SIZE } from '../state/list-args.ts'
import { loadBridge } from './bridge-harness.ts'

afterEach(() => vi.unstubAllGlobals())

describe('the browser shell’s bridge', () => {
  it('asks for app state, backends and the first page as soon as it loads; the app’s first such call takes that answer', async () => {
    const { api, invokes, requests, paintedSaid } = await loadBridge()
    const first = { offset: 0, limit: PAGE_SIZE }
    expect(invokes()).toEqual([
      ['accounts:list', first],
      ['app:state', null],
      ['backends:list', null],
    ])
    // All three in one request.
    expect(requests()).toBe(1)
    // Until the app has drawn its first page, the shell is not told (it reads the keychain then).
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(paintedSaid()).toBe(0)
    expect(await api.accountsList(first)).toEqual({ ok: true, value: 1 })
    // Nor once the app has its page, until it shows it drawn.
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(paintedSaid()).toBe(0)
    const app = document.createElement('div')
    app.dataset.appState = 'ready'
    document.body.append(app)
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
    // Said once only.
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(paintedSaid()).toBe(1)
  })
})
