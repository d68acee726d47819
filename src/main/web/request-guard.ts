/**
 * Checks for every request to the browser shell: the Host header must name this loopback server
 * (DNS rebinding), a present Origin must be this server (CSRF), and API calls must carry the
 * per-launch key (other local users and processes).
 */
import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { SHELL_KEY_HEADER } from '../../shared/web-shell.ts'


export interface RequestGuard {
  hostAllowed(request: IncomingMessage): boolean
  originAllowed(request: IncomingMessage): boolean
  keyValid(request: IncomingMessage): boolean
  readonly origins: readonly string[]
}

export function requestGuard(port: number, key: string): RequestGuard {
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`])
  const origins = [...hosts].map((h) => `http://${h}`)
  const expected = Buffer.from(key)
  return {
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
