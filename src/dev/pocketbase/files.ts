/**
 * The `avatar` file field of `users`: PocketBase sniffs the type from the bytes (not the declared
 * type), allows its default image types up to 5 MiB, and stores the file under a generated name.
 */
import { extname } from 'node:path'
import { fieldError } from './errors.ts'
import type { FieldError } from './errors.ts'
import { randomString } from './random.ts'

export const AVATAR_MAX_BYTES = 5 * 1024 * 1024
export const AVATAR_MIME_TYPES = ['image/jpeg', 'image/png', 'image/svg+xml', 'image/gif', 'image/webp']

export function sniffMimeType(bytes: Buffer): string {
  const starts = (...signature: number[]): boolean => signature.every((byte, index) => bytes[index] === byte)
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png'
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg'
  const head = bytes.subarray(0, 512).toString('latin1')
  if (head.startsWith('GIF87a') || head.startsWith('GIF89a')) return 'image/gif'
  if (head.startsWith('RIFF') && head.slice(8, 12) === 'WEBP') return 'image/webp'
  const text = head.trimStart()
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/i.test(text)) return 'image/svg+xml'
  if (bytes.subarray(0, 512).every((byte) => byte >= 0x09 && byte !== 0x7f)) return 'text/plain; charset=utf-8'
  return 'application/octet-stream'
}

/** The size check first, then the type (FileField.ValidateValue). */
export function avatarError(originalName: string, bytes: Buffer): FieldError | null {
  if (bytes.length > AVATAR_MAX_BYTES) {
    return fieldError('validation_file_size_limit', `Failed to upload "${originalName}" - the maximum allowed file size is ${AVATAR_MAX_BYTES} bytes.`, {
      file: originalName,
      maxSize: AVATAR_MAX_BYTES,
    })
  }
  if (!AVATAR_MIME_TYPES.includes(sniffMimeType(bytes))) {
    return fieldError('validation_invalid_mime_type', `"${originalName}" mime type must be one of: ${AVATAR_MIME_TYPES.join(', ')}.`)
  }
  return null
}

/** filesystem normalizeName: snake_cased base (at least 3, at most 100 characters), a random suffix, the cleaned extension. */
export function storedFileName(originalName: string): string {
  const extension = extname(originalName).replace(/[^\w.*\-+=#]+/g, '')
  let base = originalName
    .slice(0, originalName.length - extname(originalName).length)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
  if (base.length < 3) base += randomString(10)
  return `${base.slice(0, 100)}_${randomString(10)}${extension}`
}
