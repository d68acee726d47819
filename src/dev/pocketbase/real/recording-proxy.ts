/**
 * A transparent HTTP proxy in front of a real PocketBase that records what the emulator records
 * itself: every request answered (method, path, status) and every auth token handed out (the
 * `token` of JSON answers). Streams everything else through untouched (the realtime SSE feed).
 */
import { createServer, request as forward } from 'node:http'
import type { AddressInfo } from 'node:net'
import { closeServer } from '../../close-server.ts'

export interface RecordingProxy {
  url: string
  requests(): { method: string; path: string; status: number }[]
  issuedTokens(): string[]
  stop(): Promise<void>
}

export async function startRecordingProxy(target: URL): Promise<RecordingProxy> {
  const requests: { method: string; path: string; status: number }[] = []
  const tokens: string[] = []
  const server = createServer((incoming, outgoing) => {
    const path = incoming.url ?? '/'
    const upstream = forward(
      { host: target.hostname, port: target.port, method: incoming.method, path, headers: { ...incoming.headers, host: target.host } },
      (answer) => {
        const status = answer.statusCode ?? 502
        requests.push({ method: incoming.method ?? 'GET', path: path.split('?')[0] ?? '/', status })
        outgoing.writeHead(status, answer.headers)
        if (!(answer.headers['content-type'] ?? '').startsWith('application/json')) {
          answer.pipe(outgoing)
          return
        }
        const chunks: Buffer[] = []
        answer.on('data', (chunk: Buffer) => chunks.push(chunk))
        answer.on('end', () => {
          const body = Buffer.concat(chunks)
          try {
            const token = (JSON.parse(body.toString('utf8')) as { token?: unknown } | null)?.token
            if (typeof token === 'string' && token !== '') tokens.push(token)
          } catch {
            // Not JSON after all: passed on as it is.
          }
          outgoing.end(body)
        })
      },
    )
    upstream.on('error', () => {
      if (!outgoing.headersSent) outgoing.writeHead(502)
      outgoing.end()
    })
    incoming.pipe(upstream)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`,
    requests: () => requests.map((entry) => ({ ...entry })),
    issuedTokens: () => [...tokens],
    stop: () => closeServer(server),
  }
}
