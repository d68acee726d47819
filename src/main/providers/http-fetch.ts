/**
 * The fetch every backend's network call goes through: fetch's signature and behaviour (a WHATWG
 * Response, redirects, abort, errors as `TypeError('fetch failed', { cause })`) over node:http and
 * node:https with keep-alive agents, the answer buffered whole, and a deadline on every request.
 *
 * Why not Node's own fetch: renewing sessions one after another, it keeps native memory that never
 * comes back. 10,000 sequential PocketBase auth-refresh calls through the SDK left the process's
 * resident memory 68 to 86 MiB higher after GC and 15 s idle with the global fetch (V8's heap
 * itself back where it started), and 9 to 15 MiB higher with this module.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { promisify } from 'node:util'
import { brotliDecompress, gunzip, inflate } from 'node:zlib'

/** Answers larger than this (after decoding) are refused rather than held in memory. */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024
const MAX_REDIRECTS = 20
/** Idle kept-alive sockets are closed after this long, before servers commonly drop them (5 s). */
const IDLE_SOCKET_MS = 4_000

const agents = {
  'http:': new HttpAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
  'https:': new HttpsAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
}

/** A request's deadline when its caller names none. */
export const REQUEST_TIMEOUT_MS = 30_000

/**
 * fetch's init, plus the most bytes the caller will take (MAX_RESPONSE_BYTES when not given) and the
 * request's deadline in ms (REQUEST_TIMEOUT_MS when not given), which applies on top of any signal
 * the caller gives and rejects as `AbortSignal.timeout` does (a TimeoutError).
 */
export type HttpFetchInit = RequestInit & {
  maxResponseBytes?: number
  timeoutMs?: number
  /** Never sent again by itself, whatever its method: a GET that uses something up (hasura-backend-plus's refresh). */
  once?: boolean
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304])
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location']
/** Not sent on to another origin. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization']
/** Sent by Node's fetch too; a caller's own value wins. */
const DEFAULT_HEADERS: Readonly<Record<string, string>> = {
  accept: '*/*',
  'accept-language': '*',
  'sec-fetch-mode': 'cors',
  'user-agent': 'node',
  'accept-encoding': 'gzip, deflate, br',
}
const decoders: Readonly<Record<string, (input: Buffer, options: { maxOutputLength: number }) => Promise<Buffer>>> = {
  gzip: promisify(gunzip),
  'x-gzip': promisify(gunzip),
  deflate: promisify(inflate),
  br: promisify(brotliDecompress),
}

interface Answer {
  status: number
  statusText: string
  rawHeaders: string[]
  location: string | null
  body: Buffer | null
}

interface Hop {
  url: URL
  method: string
  headers: Map<string, string>
  body: Buffer | null
  signal: AbortSignal
  maxBytes: number
  /** Whether a redirect answer is followed (its body is then not kept). */
  follow: boolean
}

export async function httpFetch(input: string | URL | Request, init?: HttpFetchInit): Promise<Response> {
  const given = init?.signal ?? (input instanceof Request ? input.signal : null)
  const deadline = AbortSignal.timeout(init?.timeoutMs ?? REQUEST_TIMEOUT_MS)
  const signal = given ? AbortSignal.any([given, deadline]) : deadline
  // The platform encodes the body (strings, URLSearchParams, FormData with its boundary, Blob, bytes)
  // and sets its content-type; the signal stays out of the Request so nothing is tied to it.
  const request = new Request(input, { ...init, signal: null })
  signal.throwIfAborted()
  const body = request.body === null ? null : Buffer.from(await request.arrayBuffer())
  const headers = new Map(Object.entries(DEFAULT_HEADERS))
  for (const [name, value] of request.headers) headers.set(name, value)
  const hop: Hop = { url: new URL(request.url), method: request.method, headers, body, signal, maxBytes: init?.maxResponseBytes ?? MAX_RESPONSE_BYTES, follow: request.redirect === 'follow' }
  setBodyLength(hop)
  for (let redirects = 0; ; redirects++) {
    const answer = await exchange(hop, init?.once !== true)
    const isRedirect = REDIRECT_STATUSES.has(answer.status) && answer.location !== null
    if (!isRedirect || request.redirect === 'manual') return responseOf(answer, hop, redirects > 0)
    if (request.redirect === 'error') throw new TypeError('fetch failed', { cause: new Error(`unexpected redirect (${String(answer.status)})`) })
    if (redirects === MAX_REDIRECTS) throw new TypeError('fetch failed', { cause: new Error('redirect count exceeded') })
    redirectHop(hop, answer)
  }
}

/** Content-length as fetch sends it: the body's size, and 0 for a POST or PUT without one. */
function setBodyLength(hop: Hop): void {
  if (hop.body !== null) hop.headers.set('content-length', String(hop.body.length))
  else if (hop.method === 'POST' || hop.method === 'PUT') hop.headers.set('content-length', '0')
  else hop.headers.delete('content-length')
}

/** The next hop of a followed redirect, as fetch makes it. */
function redirectHop(hop: Hop, answer: Answer): void {
  let next: URL
  try {
    next = new URL(answer.location ?? '', hop.url)
  } catch (cause) {
    throw new TypeError('fetch failed', { cause })
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new TypeError('fetch failed', { cause: new Error('redirect to a URL that is not http(s)') })
  if ((answer.status === 303 && hop.method !== 'GET' && hop.method !== 'HEAD') || ((answer.status === 301 || answer.status === 302) && hop.method === 'POST')) {
    hop.method = 'GET'
    hop.body = null
    for (const name of BODY_HEADERS) hop.headers.delete(name)
  }
  if (next.origin !== hop.url.origin) {
    for (const name of CREDENTIAL_HEADERS) hop.headers.delete(name)
  }
  hop.url = next
  setBodyLength(hop)
}

function responseOf(answer: Answer, hop: Hop, redirected: boolean): Response {
  const headers = new Headers()
  for (let i = 0; i + 1 < answer.rawHeaders.length; i += 2) {
    try {
      headers.append(answer.rawHeaders[i] ?? '', answer.rawHeaders[i + 1] ?? '')
    } catch {
      // A header the WHATWG rules reject is left out, not the whole answer.
    }
  }
  let response: Response
  try {
    response = new Response(answer.body, { status: answer.status, statusText: answer.statusText, headers })
  } catch {
    try {
      response = new Response(answer.body, { status: answer.status, headers })
    } catch (cause) {
      throw new TypeError('fetch failed', { cause })
    }
  }
  const url = new URL(hop.url)
  url.hash = ''
  Object.defineProperty(response, 'url', { value: url.href })
  Object.defineProperty(response, 'redirected', { value: redirected })
  Object.defineProperty(response, 'type', { value: 'basic' })
  return response
}

/**
 * Methods a server may see twice with the same effect (RFC 9110 §9.2.2), and so the only ones sent
 * again by themselves (unless the caller says `once`). A refresh is a POST (a GET on hasura-backend-plus,
 * which says `once`), and a refresh token the server had already used up
 * before the connection broke would be refused the second time: that failure goes to the caller
 * (the scheduler retries a network failure itself, knowing the account).
 */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'])

/**
 * One request and its answer. A kept-alive socket the server had already closed (reset before any
 * answer) fails an idempotent request, which is sent once more on a new connection.
 */
function exchange(hop: Hop, retryStaleSocket: boolean): Promise<Answer> {
  const { url, method, headers, body, signal, maxBytes } = hop
  // Aborted already: rejects with the signal's reason, before connecting.
  signal.throwIfAborted()
  return new Promise<Answer>((resolve, reject) => {
    let settled = false
    let answered = false
    const settle = (): boolean => {
      if (settled) return false
      settled = true
      signal.removeEventListener('abort', onAbort)
      return true
    }
    const fail = (cause: unknown): void => {
      if (!settle()) return
      req.destroy()
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- as fetch: the signal's reason, whatever it is
      if (signal.aborted) reject(signal.reason)
      else if (!answered && retryStaleSocket && IDEMPOTENT_METHODS.has(method) && req.reusedSocket && isStaleSocketError(cause)) resolve(exchange(hop, false))
      else reject(new TypeError('fetch failed', { cause }))
    }
    const onAbort = (): void => {
      fail(signal.reason)
    }
    const options = { method, headers: Object.fromEntries(headers), agent: url.protocol === 'https:' ? agents['https:'] : agents['http:'] }
    const onResponse = (res: IncomingMessage): void => {
      answered = true
      const status = res.statusCode ?? 0
      const location = typeof res.headers.location === 'string' ? res.headers.location : null
      const discard = method === 'HEAD' || NULL_BODY_STATUSES.has(status) || (hop.follow && REDIRECT_STATUSES.has(status) && location !== null)
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        if (discard) return
        size += chunk.length
        if (size > maxBytes) fail(tooLarge(url, maxBytes))
        else chunks.push(chunk)
      })
      res.on('error', fail)
      res.on('close', () => {
        if (!res.complete) fail(new Error('the connection closed before the answer ended'))
      })
      res.on('end', () => {
        const answer = { status, statusText: res.statusMessage ?? '', rawHeaders: res.rawHeaders, location }
        if (discard) {
          if (settle()) resolve({ ...answer, body: null })
          return
        }
        decoded(Buffer.concat(chunks), res.headers['content-encoding'], maxBytes).then(
          (decodedBody) => {
            if (signal.aborted) fail(signal.reason)
            else if (settle()) resolve({ ...answer, body: decodedBody })
          },
          (cause: unknown) => {
            fail(isTooLarge(cause) ? tooLarge(url, maxBytes) : cause)
          },
        )
      })
    }
    let req: ReturnType<typeof httpRequest>
    try {
      req = url.protocol === 'https:' ? httpsRequest(url, options, onResponse) : httpRequest(url, options, onResponse)
    } catch (cause) {
      reject(new TypeError('fetch failed', { cause }))
      return
    }
    req.on('error', fail)
    signal.addEventListener('abort', onAbort, { once: true })
    req.end(body ?? undefined)
  })
}

/** The body with the server's content-encodings undone (last applied, first undone). */
async function decoded(body: Buffer, contentEncoding: string | undefined, maxBytes: number): Promise<Buffer> {
  const codings = (contentEncoding ?? '').split(',').map((coding) => coding.trim().toLowerCase()).filter((coding) => coding !== '' && coding !== 'identity')
  let result = body
  for (const coding of codings.reverse()) {
    const decode = decoders[coding]
    if (decode === undefined) throw new Error(`unsupported content-encoding ${coding}`)
    if (result.length === 0) continue
    result = await decode(result, { maxOutputLength: maxBytes })
  }
  return result
}

function tooLarge(url: URL, maxBytes: number): Error {
  return new Error(`the answer from ${url.host} is larger than ${String(Math.round(maxBytes / 1024))} KiB`)
}

function isTooLarge(error: unknown): boolean {
  return error instanceof RangeError && (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE'
}

function isStaleSocketError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code
  return code === 'ECONNRESET' || code === 'EPIPE'
}
