import { createHash } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { connect, type Socket } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { EventSink } from '../core/app/events.ts'
import type { Logger } from '../core/ports.ts'
import { recordingLogger } from '../core/testing/recording-logger.ts'
import type { Router } from '../ipc/router.ts'
import type { FirstFrame } from './framed-page.ts'
import { MAX_BODY, startWebShell, type ServerLimits, type WebShell } from './server.ts'
import { useTempDirs } from '../../dev/temp-dirs.ts'

const tempDir = useTempDirs()

const quiet: Logger = { info() {}, warn() {}, error() {} }
const KEY = 'k'.repeat(32)
const BRIDGE = 'window.bridged = true'

function renderer(): string {
  const dir = tempDir('lk-renderer-')
  mkdirSync(join(dir, 'assets'))
  writeFileSync(join(dir, 'index.html'), '<html><head><script type="module" src="./assets/app.js"></script></head><body></body></html>')
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(dir, 'web-bridge.js'), BRIDGE)
  return dir
}

/** Raw HTTP so the test controls the Host header (fetch does not let it be changed). */
function call(port: number, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }))
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

/** The frame cookie a call made with the key brings back (see request-guard.ts), as a Cookie header's value. */
async function frameCookie(port: number, key = KEY): Promise<string> {
  const said = await call(port, '/__latchkey/painted', { method: 'POST', headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/json', 'x-latchkey-key': key }, body: '{}' })
  const set = said.headers['set-cookie']
  const first = Array.isArray(set) ? String(set[0]) : ''
  expect(first).toMatch(new RegExp(`^latchkey-frame-${String(port)}=[\\w-]+; Path=/; HttpOnly; SameSite=Strict$`))
  return first.split(';')[0] ?? ''
}

let shell: WebShell | undefined
let sink: EventSink | undefined
let firstPages = 0
let paintedSaid = 0
const calls: { channel: string; args: unknown }[] = []
const router: Router = {
  handle: (channel, args) => (calls.push({ channel, args }), Promise.resolve({ ok: true, value: `handled ${channel}` })),
}

async function start(options: { logger?: Logger; limits?: Partial<ServerLimits>; ready?: () => Promise<void> } = {}): Promise<WebShell> {
  shell = await startWebShell({
    ...(options.ready ? { ready: options.ready } : {}),
    router,
    subscribe: (s) => ((sink = s), () => (sink = undefined)),
    rendererDir: renderer(),
    logger: options.logger ?? quiet,
    limits: options.limits,
    key: KEY,
    onFirstPage: () => firstPages++,
    onPainted: () => paintedSaid++,
    snapshot: () => [{ event: 'accounts:changed', payload: { count: 0, version: 0 } }],
  })
  return shell
}

afterEach(async () => {
  await shell?.close()
  shell = undefined
  calls.length = 0
  firstPages = 0
  paintedSaid = 0
})

describe('browser shell server', () => {
  it('listens on loopback and hands out a URL whose key is in the fragment', async () => {
    const s = await start()
    expect(s.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(s.url).toBe(`${s.origin}/#key=${KEY}`)
  })

  it('serves the renderer with the bridge written into its head, allowed by hash, and notes the first page once', async () => {
    const s = await start()
    const host = `127.0.0.1:${s.port}`
    const page = await call(s.port, '/', { headers: { host } })
    expect(page.status).toBe(200)
    expect(page.body).toContain(`<script>${BRIDGE}</script></head>`)
    expect(String(page.headers['content-security-policy'])).toContain(`script-src 'self' 'sha256-${createHash('sha256').update(BRIDGE).digest('base64')}'`)
    expect(String(page.headers['content-security-policy'])).not.toContain('unsafe-inline')
    await call(s.port, '/', { headers: { host } })
    expect(firstPages).toBe(1)
    expect((await call(s.port, '/../../etc/passwd', { headers: { host } })).status).toBe(404)
  })

  it('draws the first frame into the page for each request, never stored; without a frame, or with one that cannot go in, serves the page as before', async () => {
    const dir = renderer()
    writeFileSync(join(dir, 'index.html'), '<html><head><script type="module">app()</script></head><body><div id="app"></div></body></html>')
    let drawn = 0
    let frame: FirstFrame | null = null
    const logger = recordingLogger()
    const s = (shell = await startWebShell({
      router,
      subscribe: () => () => undefined,
      rendererDir: dir,
      logger,
      key: KEY,
      firstFrame: () => ((drawn += 1), Promise.resolve(frame)),
    }))
    const host = `127.0.0.1:${s.port}`
    const cookie = await frameCookie(s.port)
    const plain = await call(s.port, '/', { headers: { host, cookie, 'accept-encoding': 'identity' } })
    expect(plain.body).toContain('<div id="app"></div>')
    frame = { markup: '<p style="color: red;">Account 1</p>', answers: '<script type="application/json" id="latchkey-first-answers">{}</script>' }
    const framed = await call(s.port, '/', { headers: { host, cookie, 'accept-encoding': 'br, gzip' } })
    expect(framed.status).toBe(200)
    expect(framed.headers['cache-control']).toBe('no-store')
    expect(framed.headers['content-encoding']).toBeUndefined()
    expect(framed.body).toContain('<div id="app"><p style="color: red;">Account 1</p></div>')
    expect(framed.body).toContain(`<head><script type="application/json" id="latchkey-first-answers">{}</script><script>${BRIDGE}</script>`)
    const policy = String(framed.headers['content-security-policy'])
    expect(policy).toContain(`'unsafe-hashes' 'sha256-${createHash('sha256').update('color: red;').digest('base64')}'`)
    // The app's script comes as a file of its own then, so the frame is painted before it runs.
    const app = /<script type="module" src="(\/assets\/app-[\w-]+\.js)"><\/script>/.exec(framed.body)?.[1] ?? ''
    expect(framed.body).not.toContain('app()')
    const script = await call(s.port, app, { headers: { host } })
    expect([script.status, script.body, script.headers['content-type']]).toEqual([200, 'app()', 'text/javascript; charset=utf-8'])
    expect(policy).not.toContain(createHash('sha256').update('app()').digest('base64'))
    frame = { ...frame, markup: '<p>Account 2</p>' }
    expect((await call(s.port, '/', { headers: { host, cookie } })).body).toContain('<div id="app"><p>Account 2</p></div>')
    expect(drawn).toBe(3)
    // A page it cannot go into (no empty #app): the page as it is, and a line in the log.
    writeFileSync(join(dir, 'index.html'), '<html><head><script type="module">app()</script></head><body></body></html>')
    const other = (shell = await startWebShell({ router, subscribe: () => () => undefined, rendererDir: dir, logger, key: KEY, firstFrame: () => Promise.resolve(frame) }))
    await s.close()
    const unframed = await call(other.port, '/', { headers: { host: `127.0.0.1:${other.port}`, cookie: await frameCookie(other.port), 'accept-encoding': 'identity' } })
    expect(unframed.status).toBe(200)
    expect(unframed.body).not.toContain('Account 2')
    expect(logger.lines.some((line) => line.startsWith('error web.first-frame-failed'))).toBe(true)
  })

  it('draws the list into the page only for a browser that has shown the key: not for another local process, a wrong cookie or the cookie alone on a call', async () => {
    const dir = renderer()
    writeFileSync(join(dir, 'index.html'), '<html><head><script type="module">app()</script></head><body><div id="app"></div></body></html>')
    let drawn = 0
    const frame: FirstFrame = { markup: '<p>ada@example.test</p>', answers: '<script type="application/json" id="latchkey-first-answers">{}</script>' }
    const s = (shell = await startWebShell({ router, subscribe: () => () => undefined, rendererDir: dir, logger: recordingLogger(), key: KEY, firstFrame: () => ((drawn += 1), Promise.resolve(frame)) }))
    const host = `127.0.0.1:${s.port}`
    const page = (cookie?: string) => call(s.port, '/', { headers: { host, 'accept-encoding': 'identity', ...(cookie === undefined ? {} : { cookie }) } })
    // Any local process can ask for the page: it gets the page with no account in it, and nothing is drawn.
    for (const cookie of [undefined, `latchkey-frame-${String(s.port)}=${'x'.repeat(32)}`, 'latchkey-frame-1=anything', '']) {
      const plain = await page(cookie)
      expect(plain.status).toBe(200)
      expect(plain.body).not.toContain('ada@example.test')
      expect(plain.body).toContain('<div id="app"></div>')
    }
    expect(drawn).toBe(0)
    // A call with the key brings the cookie, once: a call that already has it is not given it again.
    const cookie = await frameCookie(s.port)
    const again = await call(s.port, '/__latchkey/painted', { method: 'POST', headers: { host, cookie, 'content-type': 'application/json', 'x-latchkey-key': KEY }, body: '{}' })
    expect(again.headers['set-cookie']).toBeUndefined()
    expect((await page(`theme=dark; ${cookie}`)).body).toContain('<div id="app"><p>ada@example.test</p></div>')
    expect(drawn).toBe(1)
    // The cookie opens no call.
    const withCookieOnly = await call(s.port, '/__latchkey/calls', { method: 'POST', headers: { host, cookie, 'content-type': 'application/json' }, body: '{"calls":[{"channel":"app:state","args":null}]}' })
    expect(withCookieOnly.status).toBe(401)
  })

  it('hears that the page has drawn its first accounts only from a page with the key', async () => {
    const s = await start()
    const say = (headers: Record<string, string>) => call(s.port, '/__latchkey/painted', { method: 'POST', headers: { host: `127.0.0.1:${s.port}`, 'content-type': 'application/json', ...headers }, body: '{}' })
    expect((await say({})).status).toBe(401)
    expect((await say({ 'x-latchkey-key': 'x'.repeat(32) })).status).toBe(401)
    expect(paintedSaid).toBe(0)
    expect((await say({ 'x-latchkey-key': KEY })).status).toBe(200)
    expect(paintedSaid).toBe(1)
  })

  it('refuses a foreign Host header (DNS rebinding) and a foreign Origin (CSRF)', async () => {
    const s = await start()
    expect((await call(s.port, '/', { headers: { host: `evil.example:${s.port}` } })).status).toBe(403)
    const invoke = await call(s.port, '/__latchkey/invoke/accounts:list', {
      method: 'POST',
      headers: { host: `127.0.0.1:${s.port}`, origin: 'https://evil.example', 'x-latchkey-key': KEY, 'content-type': 'application/json' },
      body: '{}',
    })
    expect(invoke.status).toBe(403)
    expect(calls).toHaveLength(0)
  })

  it('requires the per-launch key on every API call', async () => {
    const s = await start()
    const headers = { host: `127.0.0.1:${s.port}`, origin: s.origin, 'content-type': 'application/json' }
    const without = await call(s.port, '/__latchkey/invoke/accounts:list', { method: 'POST', headers, body: '{}' })
    expect(without.status).toBe(401)
    expect(JSON.parse(without.body)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } })
    const wrong = await call(s.port, '/__latchkey/invoke/accounts:list', { method: 'POST', headers: { ...headers, 'x-latchkey-key': 'x'.repeat(32) }, body: '{}' })
    expect(wrong.status).toBe(401)
    expect(calls).toHaveLength(0)
    const right = await call(s.port, '/__latchkey/invoke/accounts:rename', {
      method: 'POST',
      headers: { ...headers, 'x-latchkey-key': KEY },
      body: JSON.stringify({ args: { id: 'a', label: 'b' } }),
    })
    expect(JSON.parse(right.body)).toEqual({ ok: true, value: 'handled accounts:rename' })
    expect(calls).toEqual([{ channel: 'accounts:rename', args: { id: 'a', label: 'b' } }])
  })

  it('answers several calls in one request, in order, with the key only; refuses a malformed or oversized batch', async () => {
    const s = await start()
    const headers = { host: `127.0.0.1:${s.port}`, origin: s.origin, 'content-type': 'application/json' }
    const body = JSON.stringify({ calls: [{ channel: 'accounts:list', args: { offset: 0, limit: 50 } }, { channel: 'app:state' }] })
    const without = await call(s.port, '/__latchkey/calls', { method: 'POST', headers, body })
    expect(without.status).toBe(401)
    expect(calls).toHaveLength(0)
    const right = await call(s.port, '/__latchkey/calls', { method: 'POST', headers: { ...headers, 'x-latchkey-key': KEY }, body })
    expect(right.status).toBe(200)
    expect(JSON.parse(right.body)).toEqual([
      { ok: true, value: 'handled accounts:list' },
      { ok: true, value: 'handled app:state' },
    ])
    expect(calls).toEqual([
      { channel: 'accounts:list', args: { offset: 0, limit: 50 } },
      { channel: 'app:state', args: undefined },
    ])
    for (const bad of [{ calls: [] }, { calls: 'app:state' }, { calls: [{ args: 1 }] }, { calls: Array.from({ length: 9 }, () => ({ channel: 'app:state' })) }, null]) {
      const refused = await call(s.port, '/__latchkey/calls', { method: 'POST', headers: { ...headers, 'x-latchkey-key': KEY }, body: JSON.stringify(bad) })
      expect(refused.status).toBe(400)
      expect(JSON.parse(refused.body)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    }
    expect(calls).toHaveLength(2)
  })

  it('answers VALIDATION for a body that is not JSON', async () => {
    const s = await start()
    const res = await call(s.port, '/__latchkey/invoke/accounts:list', {
      method: 'POST',
      headers: { host: `127.0.0.1:${s.port}`, 'x-latchkey-key': KEY, 'content-type': 'application/json' },
      body: '{nope',
    })
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
  })

  it('streams core events to the page', async () => {
    const s = await start()
    const controller = new AbortController()
    const response = await fetch(`${s.origin}/__latchkey/events`, { headers: { 'x-latchkey-key': KEY }, signal: controller.signal })
    expect(response.headers.get('content-type')).toBe('text/event-stream')
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
    const first = await reader.read() // ": connected", then the current state
    let opening = first.value ?? ''
    while (!opening.includes('accounts:changed')) opening += (await reader.read()).value ?? ''
    expect(opening).toContain('event: accounts:changed\ndata: {"count":0,"version":0}\n\n')
    sink?.('auth:progress', { attemptId: 'a1', stage: 'waiting-browser', message: 'Waiting…' })
    const { value } = await reader.read()
    expect(value).toBe('event: auth:progress\ndata: {"attemptId":"a1","stage":"waiting-browser","message":"Waiting…"}\n\n')
    controller.abort()
  })

  it('serves the page before the app is ready; an event stream opened meanwhile starts once it is, with the snapshot', async () => {
    let ready = (): void => undefined
    const whenReady = new Promise<void>((resolve) => (ready = resolve))
    let asked = false
    let state = 'starting'
    const s = await startWebShell({
      router,
      subscribe: () => () => undefined,
      rendererDir: renderer(),
      logger: quiet,
      key: KEY,
      ready: () => ((asked = true), whenReady),
      snapshot: () => [{ event: 'app:changed', payload: { state } as never }],
    })
    shell = s
    expect((await call(s.port, '/', { headers: { host: `127.0.0.1:${s.port}` } })).status).toBe(200)
    const controller = new AbortController()
    let answered = false
    const opened = fetch(`${s.origin}/__latchkey/events`, { headers: { 'x-latchkey-key': KEY }, signal: controller.signal }).then((response) => ((answered = true), response))
    // The stream's request has arrived and waits for the app.
    await expect.poll(() => asked).toBe(true)
    expect(answered).toBe(false)
    state = 'ready'
    ready()
    const reader = (await opened).body!.pipeThrough(new TextDecoderStream()).getReader()
    let opening = ''
    while (!opening.includes('app:changed')) opening += (await reader.read()).value ?? ''
    expect(opening).toContain('data: {"state":"ready"}')
    controller.abort()
  })

  it('answers 400 to a path with a broken %-escape, without an error in the log', async () => {
    const logger = recordingLogger()
    const s = await start({ logger })
    const headers = { host: `127.0.0.1:${s.port}`, 'x-latchkey-key': KEY, 'content-type': 'application/json' }
    const api = await call(s.port, '/__latchkey/invoke/accounts%E0%A4%A', { method: 'POST', headers, body: '{}' })
    expect(api.status).toBe(400)
    expect((await call(s.port, '/assets/%zz.js', { headers: { host: headers.host } })).status).toBe(400)
    expect(calls).toHaveLength(0)
    expect(logger.lines.filter((line) => line.startsWith('error'))).toEqual([])
  })

  it('answers 413 (not a reset connection) to a body over the limit, then keeps serving', async () => {
    const s = await start()
    const response = await fetch(`${s.origin}/__latchkey/invoke/accounts:list`, {
      method: 'POST',
      headers: { 'x-latchkey-key': KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ args: 'x'.repeat(MAX_BODY + 1024) }),
    })
    expect(response.status).toBe(413)
    expect(await response.json()).toEqual({ ok: false, error: { code: 'VALIDATION', message: 'The request is larger than 8 MiB.' } })
    expect(calls).toHaveLength(0)
    expect((await call(s.port, '/', { headers: { host: `127.0.0.1:${s.port}` } })).status).toBe(200)
  })

  it('times out a connection whose body never finishes (408), and one that never sends a request', async () => {
    const s = await start({ limits: { requestTimeoutMs: 300, headersTimeoutMs: 200, idleTimeoutMs: 400, checkIntervalMs: 50 } })
    const slowBody = await rawExchange(
      s.port,
      `POST /__latchkey/invoke/accounts:list HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nx-latchkey-key: ${KEY}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"args":`,
    )
    expect(slowBody.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout')
    // A connection that never sends a request is closed too (with a 408, or silently).
    expect(await rawExchange(s.port, '')).toMatch(/^(HTTP\/1\.1 408 |$)/)
    expect(calls).toHaveLength(0)
  })

  it('survives a connection flood: drops connections over the cap, cuts idle ones, and answers again', async () => {
    const maxConnections = 20
    const s = await start({ limits: { maxConnections, headersTimeoutMs: 300, idleTimeoutMs: 300, checkIntervalMs: 50 } })
    const sockets: Socket[] = []
    let closed = 0
    for (let index = 0; index < 200; index += 1) {
      const socket = connect(s.port, '127.0.0.1')
      socket.on('error', () => undefined)
      socket.once('close', () => (closed += 1))
      sockets.push(socket)
    }
    try {
      // Over the cap, connections are dropped at once: the server never holds more than its cap.
      await expect.poll(() => closed, { timeout: 10_000 }).toBeGreaterThanOrEqual(200 - maxConnections)
      // The idle ones are cut off, so a real request gets through while the flood is still connected.
      const answer = (): Promise<number> => call(s.port, '/', { headers: { host: `127.0.0.1:${s.port}` } }).then((r) => r.status, () => 0)
      await expect.poll(answer, { timeout: 10_000 }).toBe(200)
    } finally {
      for (const socket of sockets) socket.destroy()
    }
  })

  it('closes a connection that never sends a byte after the headers timeout, with the idle timeout at its default', async () => {
    const s = await start({ limits: { headersTimeoutMs: 400, checkIntervalMs: 50 } })
    const silent = connect(s.port, '127.0.0.1')
    silent.on('error', () => undefined)
    let closed = false
    silent.once('close', () => (closed = true))
    try {
      await expect.poll(() => closed, { timeout: 5000 }).toBe(true)
    } finally {
      silent.destroy()
    }
  })
})

/** Writes `text` on a fresh connection and reads until the server closes it. */
function rawExchange(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text))
    let answer = ''
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()))
    socket.on('close', () => resolve(answer))
    socket.on('error', reject)
  })
}
