/**
 * The avatar picture: what the profile form accepts, checked again here in the main process (the
 * window's checks are a convenience, not a guarantee), and the current picture as a preview.
 */
import type { RecordModel } from 'pocketbase'
import type { FormValue } from '../../../shared/contract.ts'
import { AppError } from '../../core/errors.ts'
import type { PocketBaseClient } from './client.ts'

export const AVATAR_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp']
export const AVATAR_MAX_BYTES = 5 * 1024 * 1024
const EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp' }
const PREVIEW_TIMEOUT_MS = 10_000

/** The picked picture as a File to upload, or null when none was picked (the avatar stays). */
export function avatarUpload(value: FormValue | undefined): File | null {
  if (value === undefined || value === '') return null
  if (typeof value === 'string') throw invalid('Choose a picture file.')
  if (!AVATAR_TYPES.includes(value.type)) throw invalid('Choose a PNG, JPEG, GIF or WebP picture.')
  const bytes = Buffer.from(value.base64, 'base64')
  if (bytes.length === 0) throw invalid('The picture is empty.')
  if (bytes.length > AVATAR_MAX_BYTES) throw invalid('The picture is larger than 5 MB. Choose a smaller one.')
  const type = sniffImageType(bytes)
  // What the bytes are decides, not what the file's name or the window claimed.
  if (type !== value.type) throw invalid('That file is not the PNG, JPEG, GIF or WebP picture it claims to be.')
  return new File([bytes], safeFileName(value.name, type), { type })
}

/** The current avatar as a data: URL, or null when there is none or it cannot be fetched. */
export async function avatarPreview(client: PocketBaseClient, record: RecordModel): Promise<string | null> {
  const fileName: unknown = record.avatar
  if (typeof fileName !== 'string' || fileName === '') return null
  // The SDK only speaks JSON, so the picture itself is fetched directly from the URL it builds.
  const url = client.pb.files.getURL(record, fileName)
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(PREVIEW_TIMEOUT_MS) })
    if (!response.ok) {
      await response.body?.cancel()
      return null
    }
    const bytes = Buffer.from(await response.arrayBuffer())
    const type = sniffImageType(bytes)
    if (type === null || bytes.length > AVATAR_MAX_BYTES) return null
    return `data:${type};base64,${bytes.toString('base64')}`
  } catch {
    return null
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

function invalid(message: string): AppError {
  return new AppError('VALIDATION', message, { field: 'avatar' })
}
