/** One request as the route handlers see it, and PocketBase's ways of answering (JSON with `?fields=`, errors, no content). */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { clientIp, requestBase } from '../request-base.ts'
import type { RequestBase } from '../request-base.ts'
import { parseBody, readBody } from './body.ts'
import type { ParsedBody } from './body.ts'
import type { ApiError } from './errors.ts'
import { parseFields, pickFields } from './fields.ts'
import type { AuthRecord } from './store.ts'

export interface Ctx extends RequestBase {
  /** The client's IP (what PocketBase's RealIP() would give without trusted proxy headers). */
  ip: string
  userAgent: string
  /** The token the request carried ('' if none), whether or not it is valid. */
  token: string
  /** The record a valid auth token belongs to; undefined = guest. */
  auth: AuthRecord | undefined
  body(): Promise<ParsedBody>
  /** Starts the answer (every answer goes through here, so the request log is written before the client can read it). */
  writeHead(status: number, headers?: Record<string, string>): void
}

export function createCtx(req: IncomingMessage, res: ServerResponse, onStatus: (status: number) => void): Ctx {
  let body: Promise<ParsedBody> | undefined
  return {
    ...requestBase(req, res),
    ip: clientIp(req),
    userAgent: req.headers['user-agent'] ?? '',
    token: '',
    auth: undefined,
    body: () => (body ??= readBody(req).then((raw) => parseBody(req.headers['content-type'] ?? '', raw))),
    writeHead: (status, headers = {}) => {
      onStatus(status)
      res.writeHead(status, headers)
    },
  }
}

/** Like router.Event.JSON: `?fields=` picks from successful answers only (and from `items` of a list). */
export function sendJson(ctx: Ctx, status: number, data: unknown, options: { list?: boolean } = {}): void {
  const fields = ctx.url.searchParams.get('fields') ?? ''
  let body = data
  if (fields !== '' && status >= 200 && status <= 299) {
    const tree = parseFields(fields)
    body =
      options.list === true && typeof data === 'object' && data !== null
        ? { ...data, items: pickFields((data as { items: unknown }).items, tree) }
        : pickFields(data, tree)
  }
  ctx.writeHead(status, { 'content-type': 'application/json' })
  ctx.res.end(`${JSON.stringify(body)}\n`)
}

export function sendError(ctx: Ctx, error: ApiError): void {
  sendJson(ctx, error.status, error.body())
}

export function sendNoContent(ctx: Ctx): void {
  ctx.writeHead(204)
  ctx.res.end()
}
