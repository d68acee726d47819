/** What every emulator's route handlers get about a request, before each adds its own ways of answering. */
import type { IncomingMessage, ServerResponse } from 'node:http'

export interface RequestBase {
  req: IncomingMessage
  res: ServerResponse
  method: string
  url: URL
  /** Path parameters of the matched route. */
  params: Record<string, string>
}

/** The request as every emulator's handlers see it, before a route has matched (no path parameters yet). */
export function requestBase(req: IncomingMessage, res: ServerResponse): RequestBase {
  return { req, res, method: req.method ?? 'GET', url: new URL(req.url ?? '/', 'http://127.0.0.1'), params: {} }
}

/** The caller's address as the socket gives it, an IPv4 one without its IPv6 prefix (no proxy headers are trusted). */
export function clientIp(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '')
}
