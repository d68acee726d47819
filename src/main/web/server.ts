/**
 * The browser shell: the same core and router as the Electron shell, in plain Node, serving the
 * built renderer on 127.0.0.1 and bridging `window.latchkey` over HTTP (invoke) and a streamed
 * event feed. Bound to loopback only; every API call needs the per-launch key.
 */
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { EventSink } from '../core/app/events.ts'
import type { Logger } from '../core/ports.ts'
import type { Router } from '../ipc/router.ts'
import { CONTENT_SECURITY_POLICY } from '../security/content-security-policy.ts'
import { contentTypeOf, resolveStaticPath } from '../static-files.ts'
import { requestGuard, type RequestGuard } from './request-guard.ts'

export interface WebShellOptions {
  router: Router
  subscribe(sink: EventSink): () => void
  rendererDir: string
  logger: Logger
  port?: number
  key?: string
  /** Called once, after the page has been served for the first time. */
  onFirstPage?: () => void
}

export interface WebShell {
  /** Open this to use the app; the key travels in the fragment, which browsers never send. */
  url: string
  origin: string
  port: number
  close(): Promise<void>
}

const MAX_BODY = 64 * 1024
const BRIDGE_TAG = '<script type="module" src="./web-bridge.js"></script>'

export async function startWebShell(options: WebShellOptions): Promise<WebShell> {
  const key = options.key ?? randomBytes(24).toString('base64url')
  const streams = new Set<ServerResponse>()
  let guard: RequestGuard | undefined
  let firstPageServed = false

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      options.logger.error('web.request-failed', { error: error instanceof Error ? error.message : String(error) })
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'Internal error')
    })
  })

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!guard || !guard.hostAllowed(request) || !guard.originAllowed(request)) {
      return send(response, 403, 'text/plain; charset=utf-8', 'Forbidden')
    }
    const path = (request.url ?? '/').split('?')[0] ?? '/'
    if (path.startsWith('/__latchkey/')) {
      if (!guard.keyValid(request)) {
        return sendJson(response, 401, { ok: false, error: { code: 'FORBIDDEN_SENDER', message: 'This call did not come from Latchkey.' } })
      }
      if (path === '/__latchkey/events' && request.method === 'GET') return openEventStream(response)
      const channel = path.startsWith('/__latchkey/invoke/') ? decodeURIComponent(path.slice('/__latchkey/invoke/'.length)) : null
      if (channel === null || request.method !== 'POST' || !isJson(request)) return send(response, 404, 'text/plain; charset=utf-8', 'Not found')
      const body = await readBody(request)
      if (body === null) return sendJson(response, 413, { ok: false, error: { code: 'VALIDATION', message: 'Request too large.' } })
      let args: unknown
      try {
        args = (JSON.parse(body) as { args?: unknown }).args
      } catch {
        return sendJson(response, 400, { ok: false, error: { code: 'VALIDATION', message: 'The request was not JSON.' } })
      }
      return sendJson(response, 200, await options.router.handle(channel, args))
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'text/plain; charset=utf-8', 'Method not allowed')
    const file = resolveStaticPath(options.rendererDir, path)
    const content = file ? await readFile(file).catch(() => null) : null
    if (!file || !content) return send(response, 404, 'text/plain; charset=utf-8', 'Not found')
    if (file.endsWith('index.html')) {
      send(response, 200, contentTypeOf(file), injectBridge(content.toString('utf8')))
      if (!firstPageServed) {
        firstPageServed = true
        options.onFirstPage?.()
      }
      return
    }
    send(response, 200, contentTypeOf(file), content)
  }

  function openEventStream(response: ServerResponse): void {
    response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream', 'cache-control': 'no-store' })
    response.write(': connected\n\n')
    streams.add(response)
    response.on('close', () => streams.delete(response))
  }

  const unsubscribe = options.subscribe((event, payload) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`
    for (const stream of streams) stream.write(frame)
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  guard = requestGuard(port, key)
  const origin = `http://127.0.0.1:${port}`
  return {
    url: `${origin}/#key=${key}`,
    origin,
    port,
    async close() {
      unsubscribe()
      for (const stream of streams) stream.end()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': type,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'cache-control': type.startsWith('text/html') ? 'no-store' : 'no-cache',
  })
  response.end(body)
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(value))
}

function isJson(request: IncomingMessage): boolean {
  return (request.headers['content-type'] ?? '').split(';')[0]?.trim() === 'application/json'
}

function injectBridge(html: string): string {
  const at = html.indexOf('<script')
  return at < 0 ? html.replace('</head>', `${BRIDGE_TAG}</head>`) : html.slice(0, at) + BRIDGE_TAG + html.slice(at)
}

async function readBody(request: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY) return null
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}
