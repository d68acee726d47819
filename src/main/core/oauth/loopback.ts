/**
 * The RFC 8252 §7.3 loopback receiver: a one-shot HTTP listener on 127.0.0.1 that catches the
 * browser's redirect after a sign-in. Opened per attempt, bound to the loopback interface only
 * (§8.3), closed after the answer that belongs to the attempt, a timeout or a cancel.
 *
 * Anything on this machine can knock on the port. Only a GET on the path, addressed to
 * `127.0.0.1:<port>` (not a rebound host name) and carrying the attempt's `state`, ends the wait;
 * anything else is answered 400/404 and the receiver keeps waiting. Slow or idle connections are
 * cut off, the number of connections is capped, and so is the number of receivers open at once.
 *
 * The callback URL carries the authorization code: it is handed to the caller and never logged.
 */
import type { AddressInfo } from 'node:net'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { AppError } from '../errors.ts'
import { createServer } from '../http-server.ts'
import { systemClock } from '../ports.ts'
import type { Clock, TimerHandle } from '../ports.ts'
import { callbackPage, notFoundPage, strangerPage } from './loopback-pages.ts'

export interface LoopbackOptions {
  /** The `state` sent with the authorization request; a callback without exactly this is ignored. */
  state: string
  /**
   * For a server that cannot carry a state back (a fixed success redirect): which callbacks may end
   * the wait instead of the `state` test. The caller must then bind the answer to the attempt itself.
   */
  belongs?: (callback: URL) => boolean
  /** 0 = an ephemeral port chosen by the OS (default); any other value pins the port. */
  port?: number
  /** Default '/callback'. */
  path?: string
  /** Default 300_000 (5 minutes). */
  timeoutMs?: number
  clock?: Clock
}

export interface LoopbackReceiver {
  /** http://127.0.0.1:<port><path> */
  redirectUri: string
  /** Settles once: the full callback URL, or AUTH_TIMEOUT / AUTH_CANCELLED. */
  callback: Promise<URL>
  /** Stop waiting; `callback` rejects with AUTH_CANCELLED unless it already settled. */
  close(): void
}

export const DEFAULT_LOOPBACK_PATH = '/callback'
export const DEFAULT_LOOPBACK_TIMEOUT_MS = 300_000
/** Sign-ins waiting for the browser at once; more is a runaway caller, not a person. */
export const MAX_PENDING_SIGN_INS = 16

/** Limits for the connections a browser makes to deliver one redirect. */
export const LOOPBACK_LIMITS = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  keepAliveTimeoutMs: 2_000,
  maxConnections: 32,
  maxHeaderSize: 16 * 1024,
}

let openReceivers = 0

export async function openLoopback(options: LoopbackOptions): Promise<LoopbackReceiver> {
  const path = options.path ?? DEFAULT_LOOPBACK_PATH
  const timeoutMs = options.timeoutMs ?? DEFAULT_LOOPBACK_TIMEOUT_MS
  const clock = options.clock ?? systemClock
  if (!options.state) throw new AppError('INTERNAL', 'A sign-in needs its state before it can wait for the browser.')
  if (openReceivers >= MAX_PENDING_SIGN_INS) {
    throw new AppError(
      'RATE_LIMITED',
      `${String(MAX_PENDING_SIGN_INS)} sign-ins are already waiting for the browser. Finish or cancel one of them, then try again.`,
    )
  }
  const server = createServer({
    headersTimeout: LOOPBACK_LIMITS.headersTimeoutMs,
    requestTimeout: LOOPBACK_LIMITS.requestTimeoutMs,
    keepAliveTimeout: LOOPBACK_LIMITS.keepAliveTimeoutMs,
    maxHeaderSize: LOOPBACK_LIMITS.maxHeaderSize,
  })
  server.maxConnections = LOOPBACK_LIMITS.maxConnections
  // A redirect is a bodiless GET: nothing may hold a socket open without sending its request.
  server.on('connection', (socket) => socket.setTimeout(LOOPBACK_LIMITS.requestTimeoutMs, () => socket.destroy()))
  const port = await listen(server, options.port ?? 0)
  const origin = `http://127.0.0.1:${String(port)}`
  const host = `127.0.0.1:${String(port)}`
  openReceivers += 1

  let settle: { resolve: (url: URL) => void; reject: (error: AppError) => void } | null = null
  const callback = new Promise<URL>((resolve, reject) => {
    settle = { resolve, reject }
  })
  // The caller may never await a cancelled attempt; that must not become an unhandled rejection.
  callback.catch(() => undefined)

  let timer: TimerHandle | null = null
  const finish = (outcome: { url: URL } | { error: AppError }): boolean => {
    const pending = settle
    if (pending === null) return false
    settle = null
    openReceivers -= 1
    if (timer !== null) clock.clearTimeout(timer)
    shutDown(server)
    if ('url' in outcome) pending.resolve(outcome.url)
    else pending.reject(outcome.error)
    return true
  }

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    // Anything may knock on a loopback port; a request line that is not a URL gets a 404, not a crash.
    const url = URL.parse(request.url ?? '/', origin)
    if (url === null || request.method !== 'GET' || url.pathname !== path || settle === null) {
      respond(response, 404, notFoundPage())
      return
    }
    // Another host name resolving to 127.0.0.1 (DNS rebinding) or an answer for another attempt
    // (another user's sign-in, a stale tab) must not end this one.
    const belongs = options.belongs ?? ((candidate: URL) => candidate.searchParams.get('state') === options.state)
    if (request.headers.host !== host || !belongs(url)) {
      respond(response, 400, strangerPage())
      return
    }
    respond(response, 200, callbackPage(url.searchParams.get('error')))
    finish({ url })
  })

  timer = clock.setTimeout(() => {
    finish({
      error: new AppError('AUTH_TIMEOUT', `The browser sign-in was not completed within ${describeDuration(timeoutMs)}.`),
    })
  }, timeoutMs)

  return {
    redirectUri: `${origin}${path}`,
    callback,
    close: () => {
      if (finish({ error: signInCancelled() })) server.closeAllConnections()
    },
  }
}

export function signInCancelled(): AppError {
  return new AppError('AUTH_CANCELLED', 'The sign-in was cancelled.')
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(portError(port, error))
    }
    server.once('error', onError)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

function portError(port: number, error: NodeJS.ErrnoException): AppError {
  if (error.code === 'EADDRINUSE') {
    return new AppError(
      'PORT_IN_USE',
      `Port ${String(port)} on 127.0.0.1 is in use by another program, so the sign-in cannot receive the browser's answer. Close that program or choose another redirect port.`,
      { cause: error },
    )
  }
  if (error.code === 'EACCES') {
    return new AppError('PORT_IN_USE', `Latchkey is not allowed to listen on port ${String(port)}. Choose a port above 1023.`, {
      cause: error,
    })
  }
  return new AppError('INTERNAL', 'Could not open a local port to receive the sign-in.', { cause: error })
}

const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  Connection: 'close',
}

function respond(response: ServerResponse, status: number, html: string): void {
  response.writeHead(status, PAGE_HEADERS)
  response.end(html)
}

function shutDown(server: Server): void {
  if (!server.listening) return
  server.close()
  // Let the answer already being written reach the browser, then drop idle keep-alive sockets.
  server.closeIdleConnections()
}

function describeDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) {
    const minutes = ms / 60_000
    return minutes === 1 ? '1 minute' : `${String(minutes)} minutes`
  }
  const seconds = Math.max(1, Math.round(ms / 1000))
  return seconds === 1 ? '1 second' : `${String(seconds)} seconds`
}
