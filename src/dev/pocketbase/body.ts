/**
 * Request bodies as PocketBase binds them (router.Event.BindBody): JSON, multipart/form-data (with
 * the JS SDK's `@jsonPayload` parts) and x-www-form-urlencoded; an empty body binds nothing and any
 * other content type is "Unsupported Content-Type".
 */
import type { IncomingMessage } from 'node:http'
import { ApiError, badRequest, LOAD_FAILED } from './errors.ts'
import { parseMultipart } from './multipart.ts'
import { readBodyUpTo } from '../request-body.ts'
import type { MultipartPart } from './multipart.ts'

export interface UploadedFile {
  /** The name the client gave the file. */
  name: string
  bytes: Buffer
}

export interface ParsedBody {
  /** Top-level JSON values, or form values (a string, or a list for a repeated key). */
  values: Record<string, unknown>
  /** Multipart file parts by field name. */
  files: Record<string, UploadedFile[]>
}

/** Above PocketBase's 32 MiB default so the 5 MiB avatar limit answers with its own field error. */
const MAX_BODY_BYTES = 40 * 1024 * 1024

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const raw = await readBodyUpTo(request, MAX_BODY_BYTES)
  if (raw === undefined) throw new ApiError(413, 'Request entity too large.')
  return raw
}

export function parseBody(contentType: string, raw: Buffer): ParsedBody {
  if (raw.length === 0) return { values: {}, files: {} }
  if (contentType.startsWith('application/json')) return { values: parseJsonObject(raw.toString('utf8')), files: {} }
  if (contentType.startsWith('multipart/form-data')) return multipartBody(contentType, raw)
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    return { values: collect(new URLSearchParams(raw.toString('utf8')).entries()), files: {} }
  }
  throw badRequest('Unsupported Content-Type')
}

function parseJsonObject(text: string): Record<string, unknown> {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw badRequest(LOAD_FAILED)
  }
  if (parsed === null) return {}
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw badRequest(LOAD_FAILED)
  return parsed as Record<string, unknown>
}

function multipartBody(contentType: string, raw: Buffer): ParsedBody {
  let parts: MultipartPart[]
  try {
    parts = parseMultipart(contentType, raw)
  } catch {
    throw badRequest(LOAD_FAILED)
  }
  const texts: [string, string][] = []
  const files: Record<string, UploadedFile[]> = {}
  const payloads: Record<string, unknown>[] = []
  for (const { name, filename, content } of parts) {
    if (filename !== undefined) (files[name] ??= []).push({ name: filename, bytes: content })
    else if (name === '@jsonPayload') payloads.push(parseJsonObject(content.toString('utf8')))
    else texts.push([name, content.toString('utf8')])
  }
  return { values: Object.assign(collect(texts), ...payloads) as Record<string, unknown>, files }
}

function collect(entries: Iterable<[string, string]>): Record<string, unknown> {
  const values: Record<string, unknown> = {}
  for (const [key, value] of entries) {
    const existing = values[key]
    if (existing === undefined) values[key] = value
    else values[key] = Array.isArray(existing) ? [...(existing as string[]), value] : [existing, value]
  }
  return values
}

/** A string form field: absent or null binds '', a non-string JSON value fails to load (Go's json into a string). */
export function bindString(body: ParsedBody, name: string): string {
  const value = body.values[name]
  if (value === undefined || value === null) return ''
  if (typeof value === 'string') return value
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0]
  throw badRequest(LOAD_FAILED)
}

/** An integer form field (Go int64): absent binds 0. */
export function bindInteger(body: ParsedBody, name: string): number {
  const value = body.values[name]
  if (value === undefined || value === null) return 0
  if (typeof value === 'number' && Number.isInteger(value)) return value
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value)
  throw badRequest(LOAD_FAILED)
}

/** A JSON object field (e.g. createData): absent binds {}. */
export function bindObject(body: ParsedBody, name: string): Record<string, unknown> {
  const value = body.values[name]
  if (value === undefined || value === null) return {}
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>
  throw badRequest(LOAD_FAILED)
}
