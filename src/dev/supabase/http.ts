/** One request as the handlers see it, and GoTrue's ways of answering. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { clientIp, requestBase } from '../request-base.ts'
import type { RequestBase } from '../request-base.ts'
import { readBodyUpTo } from '../request-body.ts'
import { ApiError, OAuthError } from './errors.ts'

export interface Ctx extends RequestBase {
  ip: string
  /** auth-js sends X-Supabase-Api-Version: 2024-01-01, which changes the error shape. */
  versioned: boolean
  json(): Promise<Record<string, unknown>>
}

const MAX_BODY = 1 << 20

export function createCtx(req: IncomingMessage, res: ServerResponse): Ctx {
  let body: Promise<Record<string, unknown>> | undefined
  return {
    ...requestBase(req, res),
    ip: clientIp(req),
    versioned: (req.headers['x-supabase-api-version'] ?? '') >= '2024-01-01',
    json: () => (body ??= readJson(req)),
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await readBodyUpTo(req, MAX_BODY)
  if (raw === undefined) throw new ApiError(413, 'request_entity_too_large', 'Request body too large')
  const text = raw.toString('utf8')
  if (text.trim() === '') return {}
  try {
    const parsed: unknown = JSON.parse(text)
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>
  } catch {
    // fall through
  }
  throw new ApiError(400, 'bad_json', 'Could not parse request body as JSON')
}

export function sendJson(ctx: Ctx, status: number, data: unknown, headers: Record<string, string> = {}): void {
  ctx.res.writeHead(status, { 'content-type': 'application/json', ...headers })
  ctx.res.end(JSON.stringify(data))
}

/** HandleResponseError: errors echo the API version the request asked for (auth-js reads `code` only then). */
export function sendError(ctx: Ctx, error: unknown): void {
  const version: Record<string, string> = ctx.versioned ? { 'x-supabase-api-version': '2024-01-01' } : {}
  if (error instanceof ApiError) {
    sendJson(ctx, error.status, error.body(ctx.versioned), { ...version, 'x-sb-error-code': error.errorCode })
  } else if (error instanceof OAuthError) {
    sendJson(ctx, 400, { error: error.error, error_description: error.description }, version)
  } else {
    const failure = new ApiError(500, 'unexpected_failure', 'Unexpected failure, please check server logs for more information')
    sendJson(ctx, 500, failure.body(ctx.versioned), version)
  }
}

export function str(body: Record<string, unknown>, key: string): string {
  const value = body[key]
  return typeof value === 'string' ? value : ''
}
