/** One request as HBP's handlers see it (after cookie-parser, json() and authMiddleware), and its ways of answering. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { Boom } from './boom.ts'

export interface Ctx {
  method: string
  url: URL
  headers: IncomingMessage['headers']
  cookies: Record<string, string>
  /** The JSON body ({} when there is none, as body-parser leaves it). */
  body: unknown
  /** authMiddleware: the Bearer JWT's (or the permission_variables cookie's) variables, without `x-hasura-`. */
  permissionVariables: Record<string, unknown> | null
  /** authMiddleware: the refresh token from the query, overridden by a `refresh_token` cookie. */
  refreshToken: { value: string; type: 'query' | 'cookie' } | null
  res: ServerResponse
  /** Extra headers every answer carries (the limiter's). */
  extraHeaders: Record<string, string>
  setCookies: string[]
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {}
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=')
    if (index < 0) continue
    const name = part.slice(0, index).trim()
    if (name === '' || name in cookies) continue
    try {
      cookies[name] = decodeURIComponent(part.slice(index + 1).trim())
    } catch {
      cookies[name] = part.slice(index + 1).trim()
    }
  }
  return cookies
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  if (text === '' || !(req.headers['content-type'] ?? '').includes('json')) return {}
  try {
    return JSON.parse(text) as unknown
  } catch {
    // body-parser's SyntaxError reaches src/errors.ts without a Boom payload.
    throw new Boom(400, undefined)
  }
}

function write(ctx: Ctx, status: number, headers: Record<string, string>, body?: string): void {
  const all: Record<string, string | string[]> = { ...ctx.extraHeaders, ...headers, 'cache-control': 'no-store, no-cache, must-revalidate, proxy-revalidate' }
  if (ctx.setCookies.length > 0) all['set-cookie'] = ctx.setCookies
  ctx.res.writeHead(status, all)
  ctx.res.end(body)
}

export function sendJson(ctx: Ctx, status: number, data: unknown): void {
  write(ctx, status, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(data))
}

export function sendNoContent(ctx: Ctx): void {
  write(ctx, 204, {})
}

export function sendText(ctx: Ctx, status: number, text: string): void {
  write(ctx, status, { 'content-type': 'text/html; charset=utf-8' }, text)
}

export function redirect(ctx: Ctx, location: string): void {
  write(ctx, 302, { location, 'content-type': 'text/plain; charset=utf-8' }, `Found. Redirecting to ${location}`)
}

export function sendBoom(ctx: Ctx, error: Boom): void {
  sendJson(ctx, error.status, error.payload)
}

/** res.cookie(name, value, {httpOnly, maxAge, sameSite: 'lax'}) without COOKIE_SECRET: unsigned. */
export function setCookie(ctx: Ctx, name: string, value: string, maxAgeMs: number, now: number): void {
  const expires = new Date(now + maxAgeMs).toUTCString()
  ctx.setCookies.push(`${name}=${encodeURIComponent(value)}; Max-Age=${String(Math.floor(maxAgeMs / 1000))}; Path=/; Expires=${expires}; HttpOnly; SameSite=Lax`)
}

export function clearCookie(ctx: Ctx, name: string): void {
  ctx.setCookies.push(`${name}=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT`)
}
