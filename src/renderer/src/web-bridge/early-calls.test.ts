import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Api } from '../../../shared/contract.ts'
import { INVOKE_PATH } from '../../../shared/web-shell.ts'
import { PAGE_SIZE } from '../state/list-args.ts'

/** The calls the page sent to the shell: channel and arguments. */
function invokes(fetchMock: ReturnType<typeof vi.fn>): [string, unknown][] {
  return fetchMock.mock.calls
    .map(([url, init]) => [String(url), init as RequestInit | undefined] as const)
    .filter(([url]) => url.startsWith(INVOKE_PATH))
    .map(([url, init]) => [decodeURIComponent(url.slice(INVOKE_PATH.length)), (JSON.parse(init?.body as string) as { args: unknown }).args])
}

afterEach(() => vi.unstubAllGlobals())

describe('the browser shell’s bridge', () => {
  it('asks for app state, backends and the first page as soon as it loads; the app’s first such call takes that answer', async () => {
    let answers = 0
    const fetchMock = vi.fn((url: string) => {
      // The event stream stays open; every call answers with how many calls were answered before it.
      if (!url.startsWith(INVOKE_PATH)) return new Promise<Response>(() => {})
      answers += 1
      return Promise.resolve(new Response(JSON.stringify({ ok: true, value: answers }), { status: 200 }))
    })
    vi.stubGlobal('fetch', fetchMock)
    await import('./index.ts')
    const api = (window as unknown as { latchkey: Api }).latchkey
    const first = { offset: 0, limit: PAGE_SIZE }
    expect(invokes(fetchMock)).toEqual([
      ['accounts:list', first],
      ['app:state', null],
      ['backends:list', null],
    ])
    expect(await api.accountsList(first)).toEqual({ ok: true, value: 1 })
    expect(await api.appState()).toEqual({ ok: true, value: 2 })
    expect(invokes(fetchMock)).toHaveLength(3)
    // Later calls, and calls with other arguments, go to the shell.
    expect(await api.accountsList(first)).toEqual({ ok: true, value: 4 })
    expect(await api.accountsList({ offset: PAGE_SIZE, limit: PAGE_SIZE })).toEqual({ ok: true, value: 5 })
    expect(invokes(fetchMock).slice(3)).toEqual([
      ['accounts:list', first],
      ['accounts:list', { offset: PAGE_SIZE, limit: PAGE_SIZE }],
    ])
  })
})
