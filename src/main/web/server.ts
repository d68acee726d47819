/**
 * The browser shell: the same core and router as the Electron shell, in plain Node, serving the
 * built renderer on 127.0.0.1 and bridging `window.latchkey` over HTTP (invoke) and a streamed
 * event feed. Bound to loopback only; every API call needs the per-launch key.
 */
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { ErrorCode, EventChannel, EventMap, Result } from '../../shared/contract.ts'
import { CALLS_PATH, EVENTS_PATH, INVOKE_PATH, MAX_CALLS, PAINTED_PATH, REOPEN_PATH, SHELL_LAUNCH_HEADER } from '../../shared/web-shell.ts'
import type { EventSink } from '../core/app/events.ts'
import { createServer } from '../core/http-server.ts'
import type { Logger } from '../core/ports.ts'
import type { Router } from '../ipc/router.ts'
import { CONTENT_SECURITY_POLICY } from '../security/content-security-policy.ts'
import { contentTypeOf, resolveStaticPath } from '../static-files.ts'
import { cacheControl, compressedFiles, encodingHeaders } from './compressed-files.ts'
import { requestGuard, type RequestGuard } from './request-guard.ts'
import { withFirstFrameOrNone, type FirstFrame } from './framed-page.ts'
import { shellPageFrom } from './shell-page.ts'

export interface WebShellOptions {
  router: Router
  subscribe(sink: EventSink): () => void
  rendererDir: string
  logger: Logger
  port?: number
  key?: string
  /**
   * The account list's first frame for the page being asked for (see first-frame.ts), or null to
   * serve the page without one (the app then draws it, as before).
   */
  firstFrame?: () => Promise<FirstFrame | null>
  /** Called once, after the page has been served for the first time. */
  onFirstPage?: () => void
  /** Called when a page (with the key) says it has drawn its first page of accounts. */
  onPainted?: () => void
  /** The current state, sent first on every event stream so a page that (re)connects misses nothing. */
  snapshot?: () => StreamEvent[]
  /** Resolves once calls can be answered: an event stream opens after it (so its snapshot is complete). */
  ready?: () => Promise<void>
  /** Overrides for the connection limits (tests use short timeouts). */
  limits?: Partial<ServerLimits>
  /** When `port` is taken, listen on any free port instead of failing (a remembered port). */
  anyPortIfTaken?: boolean
  /**
   * Opens the private launch page in the browser again (a tab left open across a restart asks for
   * it); rejects with a message for the person when it cannot. Absent: the request answers 404.
   */
  reopen?: () => Promise<void>
}

/**
 * What any local process may cost the shell without the key: idle and slow connections are cut
 * off, and connections over the cap are dropped at once, so a flood cannot exhaust the process's
 * file descriptors (which would make the keychain library abort the whole process).
 */
export interface ServerLimits {
  /** Time to send the request's headers. */
  headersTimeoutMs: number
  /** Time to send the whole request, body included (a slow body gets 408). */
  requestTimeoutMs: number
  /** A connection with nothing going on (no request, or a kept-alive one) is closed after this. */
  idleTimeoutMs: number
  keepAliveTimeoutMs: number
  /** How often the timeouts above are checked. */
  checkIntervalMs: number
  maxConnections: number
}

export const DEFAULT_LIMITS: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  idleTimeoutMs: 60_000,
  keepAliveTimeoutMs: 5_000,
  checkIntervalMs: 1_000,
  maxConnections: 128,
}

export type StreamEvent = { [E in EventChannel]: { event: E; payload: EventMap[E] } }[EventChannel]

export interface WebShell {
  /** Open this to use the app; the key travels in the fragment, which browsers never send. */
  url: string
  /** Names this launch on every bridge answer, so a page from an earlier launch knows it is stale. */
  launchId: string
  origin: string
  port: number
  /** Pages connected now (their event streams): a window that can ask the person something. */
  readonly pages: number
  close(): Promise<void>
}

/** Room for one 5 MiB picture, base64-encoded, in a form. */
export const MAX_BODY = 8 * 1024 * 1024
/** A body this much over the limit is not read to its end: the connection is dropped instead. */
const MAX_DRAINED = 4 * MAX_BODY
const TEXT = 'text/plain; charset=utf-8'
/** At most one reopen per this long, whoever asks (any local process may). */
const REOPEN_INTERVAL_MS = 5000

export async function startWebShell(options: WebShellOptions): Promise<WebShell> {
  const key = options.key ?? randomBytes(24).toString('base64url')
  const launchId = randomBytes(9).toString('base64url')
  let lastReopen = Number.NEGATIVE_INFINITY
  const streams = new Set<ServerResponse>()
  const state: { guard?: RequestGuard } = {}
  let firstPageServed = false
  const compressed = compressedFiles()
  const page = shellPageFrom(options.rendererDir)
  // Read once and kept (the renderer does not change while the shell runs): a request for the
  // app's script is then answered at once, before calls that arrived after it are worked on.
  const files = new Map<string, Promise<Buffer | null>>()
  const readStatic = (file: string): Promise<Buffer | null> => {
    let content = files.get(file)
    if (!content) {
      content = readFile(file).catch(() => (files.delete(file), null))
      files.set(file, content)
    }
    return content
  }

  const limits = { ...DEFAULT_LIMITS, ...options.limits }
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: limits.checkIntervalMs,
    },
    (request, response) => {
      void handle(request, response).catch((error: unknown) => {
        options.logger.error('web.request-failed', { error: error instanceof Error ? error.message : String(error) })
        if (!response.headersSent) send(response, 500, TEXT, 'Internal error')
      })
    },
  )
  server.maxConnections = limits.maxConnections
  server.setTimeout(limits.idleTimeoutMs, (socket) => socket.destroy())
  cutIdleConnections(server, limits)

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const guard = state.guard
    if (!guard || !guard.hostAllowed(request) || !guard.originAllowed(request)) {
      send(response, 403, TEXT, 'Forbidden')
    } else if (decodePath((request.url ?? '/').split('?')[0] ?? '/') === null) {
      send(response, 400, TEXT, 'Bad request: the path has a broken %-escape.')
    } else if ((request.url ?? '/').split('?')[0] === REOPEN_PATH) {
      await handleReopen(request, response)
    } else if ((request.url ?? '/').startsWith('/__latchkey/')) {
      response.setHeader(SHELL_LAUNCH_HEADER, launchId)
      if (guard.keyValid(request)) {
        // This browser has the key: pages it asks for may have the list drawn in (see request-guard.ts).
        if (!guard.frameCookieValid(request)) response.setHeader('set-cookie', guard.frameCookie)
        await handleApi(request, response)
      }
      else sendJson(response, 401, failure('FORBIDDEN_SENDER', 'This call did not come from Latchkey.'))
    } else {
      await handleStatic(request, response)
    }
  }

  async function handleApi(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0] ?? '/'
    if (path === EVENTS_PATH && request.method === 'GET') {
      await options.ready?.()
      if (!response.destroyed) openEventStream(response)
      return
    }
    if (path === PAINTED_PATH && request.method === 'POST' && isJson(request)) {
      options.onPainted?.()
      sendJson(response, 200, { ok: true, value: null })
      return
    }
    const channel = path.startsWith(INVOKE_PATH) ? decodePath(path.slice(INVOKE_PATH.length)) : null
    if ((channel === null && path !== CALLS_PATH) || request.method !== 'POST' || !isJson(request)) {
      send(response, 404, TEXT, 'Not found')
      return
    }
    const { body, problem } = await readBody(request)
    if (problem === 'too-large') {
      sendJson(response, 413, failure('VALIDATION', `The request is larger than ${String(MAX_BODY / 1024 / 1024)} MiB.`))
      return
    }
    if (problem === 'dropped') {
      request.socket.destroy()
      return
    }
    let args: unknown
    let several: unknown
    try {
      const parsed = JSON.parse(body) as { args?: unknown; calls?: unknown }
      args = parsed.args
      several = parsed.calls
    } catch {
      sendJson(response, 400, failure('VALIDATION', 'The request was not JSON.'))
      return
    }
    if (channel !== null) {
      sendJson(response, 200, await options.router.handle(channel, args))
      return
    }
    const calls = callsIn(several)
    if (!calls) {
      sendJson(response, 400, failure('VALIDATION', `Expected { calls: [{ channel, args }, …] } with 1 to ${String(MAX_CALLS)} calls.`))
      return
    }
    sendJson(response, 200, await Promise.all(calls.map((call) => options.router.handle(call.channel, call.args))))
  }

  /**
   * Needs no key (the asking tab holds only an earlier launch's), but the Host and Origin checks
   * above, a JSON content type (so another site's page cannot even send it without a preflight it
   * fails), and a rate limit. What it does is open the launch page in the person's own browser: the
   * key goes from the private file to this shell's origin, never to whoever asked.
   */
  async function handleReopen(request: IncomingMessage, response: ServerResponse): Promise<void> {
    response.setHeader(SHELL_LAUNCH_HEADER, launchId)
    if (options.reopen === undefined || request.method !== 'POST' || !isJson(request)) {
      send(response, 404, TEXT, 'Not found')
      return
    }
    const now = Date.now()
    if (now - lastReopen < REOPEN_INTERVAL_MS) {
      sendJson(response, 429, failure('VALIDATION', 'Latchkey was opened again a moment ago; look for its new tab.'))
      return
    }
    lastReopen = now
    try {
      await options.reopen()
      sendJson(response, 200, { ok: true, value: null })
    } catch (error) {
      sendJson(response, 200, failure('NETWORK', error instanceof Error ? error.message : String(error)))
    }
  }

  async function handleStatic(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(response, 405, TEXT, 'Method not allowed')
      return
    }
    const file = resolveStaticPath(options.rendererDir, request.url ?? '/')
    const urlPath = (request.url ?? '/').split('?')[0] ?? '/'
    const app = urlPath.startsWith('/assets/app-') ? (await page())?.app : undefined
    if (app && urlPath === app.path) {
      // The app's script, for a page with a drawn frame (see ShellPage.framable); on loopback, as it is.
      send(response, 200, 'text/javascript; charset=utf-8', app.code, { 'cache-control': cacheControl(urlPath) })
      return
    }
    if (file?.endsWith('index.html')) {
      // Drawn only for a browser that has shown the key (the list is what the key guards).
      const drawable = options.firstFrame !== undefined && state.guard?.frameCookieValid(request) === true
      const [shell, frame] = await Promise.all([page(), drawable ? (options.firstFrame?.() ?? null) : null])
      if (!shell) {
        send(response, 404, TEXT, 'Not found')
        return
      }
      const framed = frame && withFirstFrameOrNone(shell.framable, frame, options.logger)
      if (framed) {
        // Drawn for this request (never stored, see send's cache-control); on loopback, sent as it is.
        send(response, 200, contentTypeOf(file), framed.html, { 'content-security-policy': framed.policy })
      } else {
        const { body, encoding } = await shell.encoded(request.headers['accept-encoding'])
        send(response, 200, contentTypeOf(file), body, { 'content-security-policy': shell.policy, ...encodingHeaders(encoding) })
      }
      if (!firstPageServed) {
        firstPageServed = true
        options.onFirstPage?.()
      }
      return
    }
    const content = file ? await readStatic(file) : null
    if (!file || !content) {
      send(response, 404, TEXT, 'Not found')
    } else {
      const type = contentTypeOf(file)
      const { body, encoding } = await compressed(file, type, content, request.headers['accept-encoding'])
      send(response, 200, type, body, { 'cache-control': cacheControl(file), ...encodingHeaders(encoding) })
    }
  }

  function openEventStream(response: ServerResponse): void {
    // A stream is meant to stay open and quiet; only its key made it this far.
    response.socket?.setTimeout(0)
    response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream', 'cache-control': 'no-store' })
    response.write(': connected\n\n')
    for (const { event, payload } of options.snapshot?.() ?? []) response.write(frame(event, payload))
    streams.add(response)
    response.on('close', () => streams.delete(response))
  }

  const unsubscribe = options.subscribe((event, payload) => {
    for (const stream of streams) stream.write(frame(event, payload))
  })

  const listen = (port: number): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
  await listen(options.port ?? 0).catch((error: unknown) => {
    if (options.anyPortIfTaken !== true || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error
    return listen(0)
  })
  const port = (server.address() as AddressInfo).port
  state.guard = requestGuard(port, key)
  // The page is made now (the bridge written in, its policy's hashes worked out: milliseconds of
  // regular expressions and hashing over the whole page) and compressed with brotli, which every
  // browser asks for (on the thread pool), while the browser is still on its way, so its first
  // request is answered at once.
  // A page that cannot be made fails its request as before (500), not the process.
  page()
    .then((shell) => shell?.encoded('br'))
    .catch(() => undefined)
  const origin = `http://127.0.0.1:${port}`
  return {
    url: `${origin}/#key=${key}`,
    launchId,
    origin,
    port,
    get pages() {
      return streams.size
    },
    async close() {
      unsubscribe()
      for (const stream of streams) stream.end()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/**
 * Node's own socket timeout does not fire for a connection that never sends a byte once the
 * timeout is longer than the headers timeout (seen on Node 24: such connections stayed for good),
 * so every connection gets a timer of its own: the headers timeout until its first request starts,
 * the idle timeout after each answer, none while a request (or an event stream) is going on.
 */
function cutIdleConnections(server: Server, limits: ServerLimits): void {
  const timers = new WeakMap<Socket, NodeJS.Timeout>()
  const arm = (socket: Socket, ms: number): void => {
    clearTimeout(timers.get(socket))
    timers.set(socket, setTimeout(() => socket.destroy(), ms).unref())
  }
  server.on('connection', (socket: Socket) => {
    arm(socket, limits.headersTimeoutMs)
    socket.once('close', () => clearTimeout(timers.get(socket)))
  })
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    clearTimeout(timers.get(request.socket))
    response.once('finish', () => arm(request.socket, limits.idleTimeoutMs))
  })
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': type,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'cache-control': type.startsWith('text/html') ? 'no-store' : 'no-cache',
    ...extra,
  })
  response.end(body)
}

function frame(event: string, payload: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`
}

function failure(code: ErrorCode, message: string): Result<never> {
  return { ok: false, error: { code, message } }
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(value))
}

/** A CALLS_PATH body's `calls`, or null when they are not 1 to MAX_CALLS `{ channel, args }`. */
function callsIn(calls: unknown): { channel: string; args: unknown }[] | null {
  if (!Array.isArray(calls) || calls.length === 0 || calls.length > MAX_CALLS) return null
  const valid = calls.every((call: unknown) => typeof call === 'object' && call !== null && typeof (call as { channel?: unknown }).channel === 'string')
  return valid ? (calls as { channel: string; args?: unknown }[]).map((call) => ({ channel: call.channel, args: call.args })) : null
}

function isJson(request: IncomingMessage): boolean {
  return (request.headers['content-type'] ?? '').split(';')[0]?.trim() === 'application/json'
}

/**
 * The body as text; 'too-large' once it has been read (and thrown away) to its end, so the client
 * reads the 413 instead of a reset connection; 'dropped' when it goes on far past the limit.
 */
async function readBody(request: IncomingMessage): Promise<{ body: string; problem: null | 'too-large' | 'dropped' }> {
  const declared = Number(request.headers['content-length'] ?? 0)
  if (declared > MAX_DRAINED) return { body: '', problem: 'dropped' }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_DRAINED) return { body: '', problem: 'dropped' }
    if (size <= MAX_BODY) chunks.push(chunk)
  }
  return size > MAX_BODY ? { body: '', problem: 'too-large' } : { body: Buffer.concat(chunks).toString('utf8'), problem: null }
}

/** A %-encoded path segment, or null when its escapes are broken. */
function decodePath(segment: string): string | null {
  try {
    return decodeURIComponent(segment)
  } catch {
    return null
  }
}
