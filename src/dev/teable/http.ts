/** One request as the emulator's routes see it: the body, who is calling, and the ways to answer. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { requestBase } from '../request-base.ts'
import type { RequestBase } from '../request-base.ts'
import { readBodyUpTo } from '../request-body.ts'
import { parseMultipart } from '../pocketbase/multipart.ts'
import { TeableError, badRequest, forbidden, unauthorized } from './errors.ts'
import type { AccessToken, SessionRecord, TeableState, User } from './state.ts'

export const COOKIE_NAME = 'auth_session'
const MAX_BODY_BYTES = 20 * 1024 * 1024

export type Caller =
  | { kind: 'session'; user: User; session: SessionRecord }
  | { kind: 'token'; user: User; token: AccessToken }
  | { kind: 'anonymous' }

export interface Ctx extends RequestBase {
  caller: Caller
  /** The JSON body as an object ({} when empty); a malformed one is a 400. */
  json(): Promise<Record<string, unknown>>
  /** The multipart parts of the body. */
  files(): Promise<{ name: string; filename: string | undefined; type: string; content: Buffer }[]>
  send(status: number, body?: unknown, headers?: Record<string, string | string[]>): void
}

export function createCtx(req: IncomingMessage, res: ServerResponse, caller: Caller, onStatus: (status: number) => void): Ctx {
  let raw: Promise<Buffer> | undefined
  const body = (): Promise<Buffer> => (raw ??= readBody(req))
  return {
    ...requestBase(req, res),
    caller,
    json: async () => {
      const bytes = await body()
      if (bytes.length === 0) return {}
      try {
        const parsed: unknown = JSON.parse(bytes.toString('utf8'))
        return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {}
      } catch {
        throw badRequest('Unexpected token in JSON')
      }
    },
    files: async () => {
      const type = req.headers['content-type'] ?? ''
      if (!type.startsWith('multipart/form-data')) return []
      return parseMultipart(type, await body()).map((part) => ({ name: part.name, filename: part.filename, type: part.contentType ?? '', content: part.content }))
    },
    send: (status, payload, headers = {}) => {
      onStatus(status)
      if (payload === undefined) {
        res.writeHead(status, headers)
        res.end()
        return
      }
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
      res.end(JSON.stringify(payload))
    },
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const raw = await readBodyUpTo(req, MAX_BODY_BYTES)
  if (raw === undefined) throw new TeableError(413, 'payload_too_large', 'Request entity too large')
  return raw
}

/** The `auth_session` cookie's value in a Cookie header, or ''. */
export function sessionCookie(header: string | undefined): string {
  for (const part of (header ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=')
    if (name === COOKIE_NAME) return rest.join('=')
  }
  return ''
}

export function setCookie(value: string, state: TeableState): string {
  const expires = new Date(state.now() + 365 * 86_400_000).toUTCString()
  return `${COOKIE_NAME}=${value}; Path=/; Expires=${expires}; HttpOnly; SameSite=Lax`
}

export const CLEAR_COOKIE = `${COOKIE_NAME}=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax`

/** Guards: a route that needs the cookie session (a token is refused, nobody is 401). */
export function requireSession(ctx: Ctx): { user: User; session: SessionRecord } {
  if (ctx.caller.kind === 'session') return ctx.caller
  if (ctx.caller.kind === 'token') throw forbidden()
  throw unauthorized()
}

/** A route open to the session or to a token carrying `scope` (PermissionGuard with @Permissions). */
export function requireScope(ctx: Ctx, scope: string): User {
  if (ctx.caller.kind === 'session') return ctx.caller.user
  if (ctx.caller.kind === 'token') {
    if (!ctx.caller.token.scopes.includes(scope)) throw forbidden()
    return ctx.caller.user
  }
  throw unauthorized()
}

export function stringField(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key]
  return typeof value === 'string' ? value : undefined
}
