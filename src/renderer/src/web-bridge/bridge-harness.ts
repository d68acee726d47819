/** For the bridge's tests: a fetch that answers every call with how many calls were answered before it, and the calls it saw. */
import { vi } from 'vitest'
import type { Api } from '../../../shared/contract.ts'
import { CALLS_PATH, EVENTS_PATH, INVOKE_PATH, PAINTED_PATH } from '../../../shared/web-shell.ts'

export interface LoadedBridge {
  api: Api
  /** The calls the page sent to the shell so far: channel and arguments. */
  invokes: () => [string, unknown][]
  /** How many requests carried them. */
  requests: () => number
  /** How many times the page told the shell it had drawn its first page of accounts. */
  paintedSaid: () => number
  /** Sends one more event down the open stream. */
  send: (frame: [string, unknown]) => void
}

const encoded = (frames: [string, unknown][]): Uint8Array => new TextEncoder().encode(frames.map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`).join(''))

/** An event stream that sends `frames` (`[event, data]`) at once and then stays open; `send` writes more to it. */
function openStream(frames: [string, unknown][]): { response: Response; send: (frame: [string, unknown]) => void } {
  let stream: ReadableStreamDefaultController<Uint8Array> | undefined
  const response = new Response(new ReadableStream({ start: (controller) => (stream = controller).enqueue(encoded(frames)) }), { status: 200 })
  return { response, send: (frame) => stream?.enqueue(encoded([frame])) }
}

/**
 * Stubs fetch (the event stream sends `events` and stays open; each call answers
 * `{ ok: true, value: n }`), then loads the bridge.
 */
export async function loadBridge(events: [string, unknown][] = []): Promise<LoadedBridge> {
  let answers = 0
  const stream = openStream(events)
  const fetchMock = vi.fn<(url: string, init?: RequestInit) => Promise<Response>>((url, init) => {
    if (url === EVENTS_PATH) return Promise.resolve(stream.response)
    if (url === CALLS_PATH) {
      const { calls } = JSON.parse(init?.body as string) as { calls: unknown[] }
      return Promise.resolve(new Response(JSON.stringify(calls.map(() => ({ ok: true, value: (answers += 1) }))), { status: 200 }))
    }
    if (!url.startsWith(INVOKE_PATH)) return new Promise<Response>(() => {})
    answers += 1
    return Promise.resolve(new Response(JSON.stringify({ ok: true, value: answers }), { status: 200 }))
  })
  vi.stubGlobal('fetch', fetchMock)
  await import('./index.ts')
  return {
    api: (window as unknown as { latchkey: Api }).latchkey,
    invokes: () =>
      fetchMock.mock.calls.flatMap(([url, init]): [string, unknown][] => {
        const body: unknown = init?.body === undefined ? null : JSON.parse(init.body as string)
        if (url === CALLS_PATH) return (body as { calls: { channel: string; args: unknown }[] }).calls.map((call) => [call.channel, call.args])
        return url.startsWith(INVOKE_PATH) ? [[decodeURIComponent(url.slice(INVOKE_PATH.length)), (body as { args: unknown }).args]] : []
      }),
    /** How many requests carried the calls (several calls may go in one). */
    requests: () => fetchMock.mock.calls.filter(([url]) => url === CALLS_PATH || url.startsWith(INVOKE_PATH)).length,
    paintedSaid: () => fetchMock.mock.calls.filter(([url]) => url === PAINTED_PATH).length,
    send: stream.send,
  }
}
