import { mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import type { Logger } from '../core/ports.ts'
import { cacheControl, chooseEncoding } from './compressed-files.ts'
import { startWebShell, type WebShell } from './server.ts'
import { useTempDirs } from '../../dev/temp-dirs.ts'

const tempDir = useTempDirs()

const quiet: Logger = { info() {}, warn() {}, error() {} }
const script = `export const rows = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `row ${String(i)}`))}\n`

function get(port: number, path: string, acceptEncoding?: string) {
  return new Promise<{ status: number; body: Buffer; headers: Record<string, string | string[] | undefined> }>((resolve, reject) => {
    const headers: Record<string, string> = { host: `127.0.0.1:${String(port)}` }
    if (acceptEncoding !== undefined) headers['accept-encoding'] = acceptEncoding
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }))
    })
    req.on('error', reject)
    req.end()
  })
}

let shell: WebShell | undefined
afterEach(async () => {
  await shell?.close()
  shell = undefined
})

async function start(prepare?: (dir: string) => void): Promise<WebShell> {
  const dir = tempDir('lk-renderer-')
  mkdirSync(join(dir, 'assets'))
  writeFileSync(join(dir, 'index.html'), '<html><head></head><body></body></html>')
  writeFileSync(join(dir, 'assets', 'index-Cbe75oLg.js'), script)
  writeFileSync(join(dir, 'web-bridge.js'), script)
  writeFileSync(join(dir, 'assets', 'tiny-AbCdEfGh.js'), 'x')
  prepare?.(dir)
  shell = await startWebShell({ router: { handle: () => Promise.resolve({ ok: true, value: null }) }, subscribe: () => () => undefined, rendererDir: dir, logger: quiet })
  return shell
}

describe('static files in the browser shell', () => {
  it('sends brotli to a browser that takes it, gzip to one that takes only gzip, and plain text otherwise', async () => {
    const { port } = await start()
    const br = await get(port, '/assets/index-Cbe75oLg.js', 'gzip, deflate, br, zstd')
    expect(br.headers['content-encoding']).toBe('br')
    expect(brotliDecompressSync(br.body).toString()).toBe(script)
    expect(br.body.length).toBeLessThan(script.length / 3)
    const gz = await get(port, '/assets/index-Cbe75oLg.js', 'gzip')
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(gz.body).toString()).toBe(script)
    const plain = await get(port, '/assets/index-Cbe75oLg.js')
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body.toString()).toBe(script)
    for (const answer of [br, gz, plain]) expect(answer.headers['vary']).toBe('accept-encoding')
  })

  it("sends the build's compressed copies as they are when they sit next to the file", async () => {
    // Settings no server would pick on its own, so the bytes show where the answer came from.
    const best = brotliCompressSync(script, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 10 } })
    const gzipped = gzipSync(script, { level: 1 })
    const { port } = await start((dir) => {
      writeFileSync(join(dir, 'assets', 'index-Cbe75oLg.js.br'), best)
      writeFileSync(join(dir, 'assets', 'index-Cbe75oLg.js.gz'), gzipped)
    })
    const br = await get(port, '/assets/index-Cbe75oLg.js', 'br')
    expect(br.headers['content-encoding']).toBe('br')
    expect(br.body.equals(best)).toBe(true)
    const gz = await get(port, '/assets/index-Cbe75oLg.js', 'gzip')
    expect(gz.body.equals(gzipped)).toBe(true)
    // Files without a copy are still compressed (on the fly).
    expect(brotliDecompressSync((await get(port, '/web-bridge.js', 'br')).body).toString()).toBe(script)
  })

  it('sends the page itself (its bridge written in) compressed too, the same page in every encoding, with its policy', async () => {
    // A stale compressed copy of the built page, without the bridge, must never go out in its place.
    const { port } = await start((dir) => writeFileSync(join(dir, 'index.html.br'), brotliCompressSync('<html>stale</html>')))
    const plain = await get(port, '/')
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body.toString()).toContain(script.trim())
    const br = await get(port, '/', 'gzip, deflate, br, zstd')
    expect(br.headers['content-encoding']).toBe('br')
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true)
    expect(br.body.length).toBeLessThan(plain.body.length / 3)
    const gz = await get(port, '/', 'gzip')
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true)
    for (const answer of [plain, br, gz]) {
      expect(answer.headers['vary']).toBe('accept-encoding')
      expect(answer.headers['content-security-policy']).toBe(plain.headers['content-security-policy'])
      expect(answer.headers['content-security-policy']).toMatch(/script-src 'self' 'sha256-/)
    }
    // Asked again: the same bytes (made once).
    expect((await get(port, '/', 'br')).body.equals(br.body)).toBe(true)
  })

  it('lets the browser keep hashed assets for good, and revalidate the rest', async () => {
    const { port } = await start()
    expect((await get(port, '/assets/index-Cbe75oLg.js', 'br')).headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect((await get(port, '/web-bridge.js', 'br')).headers['cache-control']).toBe('no-cache')
    expect((await get(port, '/', 'br')).headers['cache-control']).toBe('no-store')
    expect((await get(port, '/assets/tiny-AbCdEfGh.js', 'br')).headers['content-encoding']).toBeUndefined()
  })
})

describe('chooseEncoding and cacheControl', () => {
  it('honours q=0 and the wildcard', () => {
    expect(chooseEncoding('br;q=0, gzip')).toBe('gzip')
    expect(chooseEncoding('*')).toBe('br')
    expect(chooseEncoding('identity')).toBe('identity')
    expect(chooseEncoding('br;q=0, gzip;q=0')).toBe('identity')
  })

  it('treats only content-hashed names under assets/ as immutable', () => {
    expect(cacheControl('/r/assets/index-Cbe75oLg.js')).toMatch(/immutable/)
    expect(cacheControl('/r/assets/index.js')).toBe('no-cache')
    expect(cacheControl('/r/web-bridge.js')).toBe('no-cache')
  })
})
