/**
 * Profile pictures for every backend: the picked file checked in the main process before anything
 * is sent (type from its bytes, size limit) and the current picture fetched as a preview.
 */
import type { FormValue } from '../../shared/contract.ts'
import { AppError } from '../core/errors.ts'
import { httpFetch } from './http-fetch.ts'

export const PICTURE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp']
const EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp' }
const PREVIEW_TIMEOUT_MS = 10_000

/** The picked picture as a File to upload, or null when none was picked. Throws VALIDATION on `field`. */
export function checkedPicture(value: FormValue | undefined, options: { maxBytes: number; field: string }): File | null {
  const invalid = (message: string): AppError => new AppError('VALIDATION', message, { field: options.field })
  if (value === undefined || value === '') return null
  if (typeof value === 'string') throw invalid('Choose a picture file.')
  if (!PICTURE_TYPES.includes(value.type)) throw invalid('Choose a PNG, JPEG, GIF or WebP picture.')
  const bytes = Buffer.from(value.base64, 'base64')
  if (bytes.length === 0) throw invalid('The picture is empty.')
  if (bytes.length > options.maxBytes) throw invalid(`The picture is larger than ${String(Math.round(options.maxBytes / (1024 * 1024)))} MB. Choose a smaller one.`)
  const type = sniffImageType(bytes)
  // What the bytes are decides, not what the file's name or the window claimed.
  if (type !== value.type) throw invalid('That file is not the PNG, JPEG, GIF or WebP picture it claims to be.')
  return new File([bytes], safeFileName(value.name, type), { type })
}

/**
 * A picture at `url` as a data: URL, or null when there is none, it cannot be fetched, or it is
 * larger than `maxBytes`: the answer is abandoned as soon as it passes the limit, so a server that
 * sends more than it should costs at most `maxBytes` of memory.
 */
export async function picturePreview(url: string, maxBytes: number): Promise<string | null> {
  try {
    const response = await httpFetch(url, { timeoutMs: PREVIEW_TIMEOUT_MS, maxResponseBytes: maxBytes })
    const declared = Number(response.headers.get('content-length') ?? 0)
    if (!response.ok || declared > maxBytes || response.body === null) {
      await response.body?.cancel()
      return null
    }
    const bytes = await readAtMost(response.body, maxBytes)
    const type = bytes === null ? null : sniffImageType(bytes)
    if (bytes === null || type === null) return null
    return `data:${type};base64,${bytes.toString('base64')}`
  } catch {
    return null
  }
}

/** The body, read as it streams in; null as soon as it passes `limit` bytes (the rest is not read). */
export async function readAtMost(body: ReadableStream<Uint8Array>, limit: number): Promise<Buffer | null> {
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return Buffer.concat(chunks)
    size += value.byteLength
    if (size > limit) {
      await reader.cancel()
      return null
    }
    chunks.push(value)
  }
}

/** The picture's real type from its first bytes, when it is one of the accepted ones. */
export function sniffImageType(bytes: Buffer): string | null {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png'
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg'
  const ascii = bytes.subarray(0, 12).toString('latin1')
  if (ascii.startsWith('GIF87a') || ascii.startsWith('GIF89a')) return 'image/gif'
  if (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WEBP') return 'image/webp'
  return null
}

function safeFileName(name: string, type: string): string {
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/\.[^.]*$/, '').replace(/[^\w-]+/g, '_').slice(0, 80)
  return `${base === '' || base === '_' ? 'avatar' : base}.${EXTENSIONS[type] ?? 'img'}`
}
