/**
 * The built renderer's files as the browser shell sends them: brotli or gzip when the browser
 * accepts it (as the build wrote them next to the file, see scripts/precompress.mjs; otherwise
 * compressed, quickly, on first request and kept), and cache headers that let a browser keep the
 * content-hashed assets for good while it always revalidates everything else. The page itself is
 * made at start (its bridge written in, see shell-page.ts), so it is compressed then (encodedOnce),
 * never taken from a copy next to the built file.
 */
import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'

const brotli = promisify(brotliCompress)
const gzipAsync = promisify(gzip)

export type Encoding = 'br' | 'gzip' | 'identity'

/** Only text is worth compressing; below this size the headers cost more than they save. */
const COMPRESSIBLE = /^(text\/|application\/json|application\/javascript|image\/svg\+xml)/
const MIN_BYTES = 1024
/** Vite's hashed file names: `assets/<name>-<8+ base64url characters>.<ext>`. */
const HASHED = /\/assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/

/** The encoding to send for an Accept-Encoding header: brotli first, then gzip, else none (q=0 refuses one). */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding {
  const accepted = new Map<string, number>()
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';')
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    accepted.set(name, q ? Number(q.slice(2)) || 0 : 1)
  }
  const ok = (name: string): boolean => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0
  if (ok('br')) return 'br'
  if (ok('gzip')) return 'gzip'
  return 'identity'
}

/** `cache-control` for a static file: hashed assets never change under their name. */
export function cacheControl(urlPath: string): string {
  return HASHED.test(urlPath) ? 'public, max-age=31536000, immutable' : 'no-cache'
}

export interface Encoded {
  body: Buffer
  encoding: Encoding
}

/**
 * `content` compressed now, at settings fast enough not to hold up a first page (brotli 11 on the
 * app's script took over a second on a busy machine).
 */
function compress(content: Buffer, encoding: Exclude<Encoding, 'identity'>): Promise<Buffer> {
  return encoding === 'br'
    ? brotli(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: content.length } })
    : gzipAsync(content, { level: 6 })
}

/**
 * `content` in each encoding a browser asks for, each made once when first asked for and kept: from
 * `prebuilt` where it gives one, else compressed now (`compress`). A failed one is made again next
 * time. Without `prebuilt` for what is made at run time (the shell's page, its bridge written in).
 */
export function encodedOnce(content: Buffer, prebuilt?: (encoding: Exclude<Encoding, 'identity'>) => Promise<Buffer>): (acceptEncoding: string | undefined) => Promise<Encoded> {
  const made = new Map<Encoding, Promise<Buffer>>()
  return async (acceptEncoding) => {
    const encoding = chooseEncoding(acceptEncoding)
    if (encoding === 'identity') return { body: content, encoding }
    let body = made.get(encoding)
    if (!body) {
      body = prebuilt ? prebuilt(encoding).catch(() => compress(content, encoding)) : compress(content, encoding)
      made.set(encoding, body)
      body.catch(() => made.delete(encoding))
    }
    return { body: await body, encoding }
  }
}

/**
 * The build's compressed copy of a file (`<file>.br`, `<file>.gz`), else the file compressed now.
 * Kept: the renderer does not change while the shell runs.
 */
export function compressedFiles() {
  const files = new Map<string, (acceptEncoding: string | undefined) => Promise<Encoded>>()
  return (file: string, contentType: string, content: Buffer, acceptEncoding: string | undefined): Promise<Encoded> => {
    if (content.length < MIN_BYTES || !COMPRESSIBLE.test(contentType)) return Promise.resolve({ body: content, encoding: 'identity' })
    let encoded = files.get(file)
    if (!encoded) {
      encoded = encodedOnce(content, (encoding) => readFile(`${file}.${encoding === 'br' ? 'br' : 'gz'}`))
      files.set(file, encoded)
    }
    return encoded(acceptEncoding)
  }
}

/** The headers that go with an answer in `encoding`: it depends on the request's Accept-Encoding. */
export function encodingHeaders(encoding: Encoding): Record<string, string> {
  return { vary: 'accept-encoding', ...(encoding === 'identity' ? {} : { 'content-encoding': encoding }) }
}
