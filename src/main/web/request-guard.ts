/**
 * Checks for every request to the browser shell: the Host header must name this loopback server
 * (DNS rebinding), a present Origin must be this server (CSRF), and API calls must carry the
 * per-launch key (other local users and processes).
 *
 * A page with the account list drawn into it holds what those calls answer, so it goes only to a
 * browser that has shown the key: a navigation cannot carry the key's header (and the key travels
 * in the fragment, which is never sent), so a call made with the key is answered with a cookie of
 * this launch's own (HttpOnly, SameSite=Strict, named after the port), and a page asked for with
 * it may be drawn. The cookie opens nothing else: not a call, not the event stream. Without it
 * (another local process, a new browser profile) the page comes as it always did, with no data.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { SHELL_KEY_HEADER } from '../../shared/web-shell.ts'


export interface RequestGuard {
  hostAllowed(request: IncomingMessage): boolean
  originAllowed(request: IncomingMessage): boolean
  keyValid(request: IncomingMessage): boolean
  /** Whether the request carries this launch's frame cookie (see the top of this file). */
  frameCookieValid(request: IncomingMessage): boolean
  /** The Set-Cookie value that gives a browser the frame cookie. */
  readonly frameCookie: string
  readonly origins: readonly string[]
}

export function requestGuard(port: number, key: string): RequestGuard {
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`])
  const origins = [...hosts].map((h) => `http://${h}`)
  const expected = Buffer.from(key)
  const cookieName = `latchkey-frame-${String(port)}`
  const ticket = Buffer.from(randomBytes(24).toString('base64url'))
  return {
    frameCookie: `${cookieName}=${ticket.toString()}; Path=/; HttpOnly; SameSite=Strict`,
    frameCookieValid(request) {
      for (const part of (request.headers.cookie ?? '').split(';')) {
        const at = part.indexOf('=')
        if (at < 0 || part.slice(0, at).trim() !== cookieName) continue
        const given = Buffer.from(part.slice(at + 1).trim())
        if (given.length === ticket.length && timingSafeEqual(given, ticket)) return true
      }
      return false
    },
    origins,
    hostAllowed: (request) => hosts.has(request.headers.host ?? ''),
    originAllowed(request) {
      const origin = request.headers.origin
      return origin === undefined || origins.includes(origin)
    },
    keyValid(request) {
      const given = request.headers[SHELL_KEY_HEADER]
      if (typeof given !== 'string') return false
      const buffer = Buffer.from(given)
      return buffer.length === expected.length && timingSafeEqual(buffer, expected)
    },
  }
}
