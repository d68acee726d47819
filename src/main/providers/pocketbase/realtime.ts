/**
 * PocketBase's realtime event stream (`GET /api/realtime`, server-sent events), as much of it as the
 * OAuth2 sign-in needs: the first event, `PB_CONNECT`, names this connection's client id; after the
 * client subscribes to `@oauth2`, the server's /api/oauth2-redirect forwards the browser's answer
 * (`{state, code, error?}`) to the client whose id is the `state` (apis/realtime.go,
 * apis/record_auth_with_oauth2_redirect.go). Node has no EventSource, and the backends' fetch reads
 * an answer whole, so the stream is read here with node:http(s) and parsed by eventsource-parser. The events carry an authorization
 * code: nothing here is logged.
 */
import { request as httpRequest } from 'node:http'
import type { IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { createParser } from 'eventsource-parser'

export interface RealtimeStream {
  /** PocketBase's id for this connection. */
  clientId: string
  /** The data of the next event with this name (parsed JSON); rejects once the stream has ended. */
  next(name: string): Promise<unknown>
  close(): void
}

/** How long the server may take to answer with its first event (the SDK waits 15 s). */
const CONNECT_TIMEOUT_MS = 15_000
/** An event stream that sends more than this without a blank line is not PocketBase's. */
const MAX_EVENT_CHARS = 64 * 1024

interface ServerEvent {
  name: string
  id: string
  data: string
}

export function openRealtime(baseUrl: string, userAgent: string): Promise<RealtimeStream> {
  const url = new URL(`${baseUrl}/api/realtime`)
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise((resolve, reject) => {
    const events: ServerEvent[] = []
    const waiting: { name: string; resolve: (data: unknown) => void; reject: (error: Error) => void }[] = []
    let ended: Error | null = null
    let connected = false
    const end = (error: Error): void => {
      if (ended !== null) return
      ended = error
      clearTimeout(timer)
      request.destroy()
      if (!connected) reject(error)
      for (const waiter of waiting.splice(0)) waiter.reject(error)
    }
    const timer = setTimeout(() => end(new Error('The server did not open its event stream in time.')), CONNECT_TIMEOUT_MS)
    const deliver = (event: ServerEvent): void => {
      if (!connected) {
        if (event.name !== 'PB_CONNECT') return
        connected = true
        clearTimeout(timer)
        const clientId = event.id || clientIdIn(event.data)
        if (clientId === '') {
          end(new Error('The server opened its event stream without a client id.'))
          return
        }
        resolve({ clientId, next, close: () => end(new Error('The event stream was closed.')) })
        return
      }
      const index = waiting.findIndex((waiter) => waiter.name === event.name)
      if (index < 0) {
        events.push(event)
        return
      }
      const [waiter] = waiting.splice(index, 1)
      waiter?.resolve(parsed(event.data))
    }
    const next = (name: string): Promise<unknown> => {
      const index = events.findIndex((event) => event.name === name)
      if (index >= 0) return Promise.resolve(parsed(events.splice(index, 1)[0]?.data ?? ''))
      if (ended !== null) return Promise.reject(ended)
      return new Promise((resolveNext, rejectNext) => waiting.push({ name, resolve: resolveNext, reject: rejectNext }))
    }
    const request = send(url, { method: 'GET', headers: { accept: 'text/event-stream', 'cache-control': 'no-store', 'user-agent': userAgent } }, (response) => {
      if (response.statusCode !== 200 || !(response.headers['content-type'] ?? '').startsWith('text/event-stream')) {
        response.resume()
        end(new Error(`The server answered its event stream with HTTP ${String(response.statusCode ?? 0)}.`))
        return
      }
      readEvents(response, deliver, end)
    })
    request.on('error', (error) => end(error))
    request.end()
  })
}

/** The stream's events, parsed by eventsource-parser (an event longer than MAX_EVENT_CHARS ends it). */
function readEvents(response: IncomingMessage, deliver: (event: ServerEvent) => void, end: (error: Error) => void): void {
  const parser = createParser({
    maxBufferSize: MAX_EVENT_CHARS,
    onEvent: (event) => deliver({ name: event.event ?? 'message', id: event.id ?? '', data: event.data }),
    onError: (error) => {
      if (error.type === 'max-buffer-size-exceeded') end(new Error('The server sent an event too large to be PocketBase’s.'))
    },
  })
  response.setEncoding('utf8')
  // Once cut (an event too large destroys the request), the rest is not read: the parser refuses it.
  response.on('data', (chunk: string) => {
    if (!response.destroyed) parser.feed(chunk)
  })
  response.on('end', () => end(new Error('The server closed its event stream.')))
  response.on('error', (error) => end(error))
}

function parsed(data: string): unknown {
  try {
    return JSON.parse(data)
  } catch {
    return null
  }
}

function clientIdIn(data: string): string {
  const value: unknown = parsed(data)
  const clientId = typeof value === 'object' && value !== null ? (value as { clientId?: unknown }).clientId : undefined
  return typeof clientId === 'string' ? clientId : ''
}
