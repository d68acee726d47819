/**
 * A proxy in front of a local server that records every request going through it (method, path
 * with query, header names and the values of those that say what is asked, the body), so a bench
 * can check that two clients make exactly the same HTTP calls. Not used while timing.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedCall {
  method: string
  path: string
  /** Header names, sorted, with the values of those that change what the server does (never a token). */
  headers: string[]
  body: string
}

/** Headers whose value is compared too (the rest, such as the token or the port in Host, only by name). */
const COMPARED_VALUES = new Set(['content-type', 'accept', 'accept-language', 'content-length'])

export async function startRecordingProxy(target: string): Promise<{ url: string; calls: RecordedCall[]; stop(): Promise<void> }> {
  const upstream = new URL(target)
  const calls: RecordedCall[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      calls.push({ method: req.method ?? '', path: req.url ?? '', headers: described(req.headers), body: body.toString('utf8') })
      const forwarded = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
        },
      )
      forwarded.on('error', () => res.destroy())
      forwarded.end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${String(port)}`,
    calls,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function described(headers: IncomingHttpHeaders): string[] {
  return Object.entries(headers)
    .map(([name, value]) => (COMPARED_VALUES.has(name) ? `${name}: ${String(value)}` : name))
    .sort()
}
