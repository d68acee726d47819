/** For the bridge's tests: a fetch that answers every call with how many calls were answered before it, and the calls it saw. */
import { vi } from 'vitest'
import type { Api } from '../../../shared/contract.ts'
import { EVENTS_PATH, INVOKE_PATH, PAINTED_PATH } from '../../../shared/web-shell.ts'

export interface LoadedBridge {
  api: Api
  /** The calls the page sent to the shell so far: channel and arguments. */
  invokes: () => [string, unknown][]
  /** How many times the page told the shell it had drawn its first page of accounts. */
  paintedSaid: () => number
}

/** An event stream that sends `frames` (`[event, data]`) at once and then stays open. */
function openStream(frames: [string, unknown][]): Response {
  const text = frames.map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`).join('')
  return new Response(new ReadableStream({ start: (controller) => controller.enqueue(new TextEncoder().encode(text)) }), { status: 200 })
}

/**
 * Stubs fetch (the event stream sends `events` and stays open; each call answers
 * `{ ok: true, value: n }`), then loads the bridge.
 */
export async function loadBridge(events: [string, unknown][] = []): Promise<LoadedBridge> {
  let answers = 0
  const fetchMock = vi.fn<(url: string, init?: RequestInit) => Promise<Response>>((url) => {
    if (url === EVENTS_PATH) return Promise.resolve(openStream(events))
    if (!url.startsWith(INVOKE_PATH)) return new Promise<Response>(() => {})
    answers += 1
    return Promise.resolve(new Response(JSON.stringify({ ok: true, value: answers }), { status: 200 }))
  })
  vi.stubGlobal('fetch', fetchMock)
  await import('./index.ts')
  return {
    api: (window as unknown as { latchkey: Api }).latchkey,
    invokes: () =>
      fetchMock.mock.calls
        .map(([url, init]) => [url, init] as const)
        .filter(([url]) => url.startsWith(INVOKE_PATH))
        .map(([url, init]) => [decodeURIComponent(url.slice(INVOKE_PATH.length)), (JSON.parse(init?.body as string) as { args: unknown }).args]),
    paintedSaid: () => fetchMock.mock.calls.filter(([url]) => url === PAINTED_PATH).length,
  }
}
