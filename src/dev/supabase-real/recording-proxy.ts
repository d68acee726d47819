/**
 * A pass-through proxy in front of a Supabase Auth server (real or emulated) that remembers every
 * secret the server hands out: access and refresh tokens in JSON answers, and PKCE auth codes and
 * token hashes in redirects. The end-to-end suite looks for all of them where they must never be.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { closeServer } from '../close-server.ts'

export interface RecordingProxy {
  url: string
  secrets(): string[]
  stop(): Promise<void>
}

const TOKEN_KEYS = ['access_token', 'refresh_token', 'provider_token', 'provider_refresh_token']

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const secrets = new Set<string>()
  const server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = []
      for await (const chunk of req) chunks.push(chunk as Buffer)
      const headers = new Headers()
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && !['host', 'content-length', 'connection'].includes(name)) headers.set(name, value)
      }
      let upstream: Response
      try {
        upstream = await fetch(new URL(req.url ?? '/', target), { method: req.method ?? 'GET', headers, redirect: 'manual', ...(chunks.length === 0 ? {} : { body: Buffer.concat(chunks) }) })
      } catch {
        res.writeHead(502).end()
        return
      }
      const body = Buffer.from(await upstream.arrayBuffer())
      const location = upstream.headers.get('location')
      if (location !== null) {
        const url = URL.parse(location)
        for (const params of [url?.searchParams, new URLSearchParams(url?.hash.slice(1) ?? '')]) {
          for (const key of ['code', 'access_token', 'refresh_token']) {
            const value = params?.get(key)
            if (value) secrets.add(value)
          }
        }
      }
      if ((upstream.headers.get('content-type') ?? '').includes('json')) {
        try {
          const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>
          for (const key of TOKEN_KEYS) if (typeof parsed[key] === 'string' && parsed[key] !== '') secrets.add(parsed[key])
        } catch {
          // not JSON after all
        }
      }
      const out: Record<string, string> = {}
      upstream.headers.forEach((value, name) => {
        if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(name)) out[name] = value
      })
      res.writeHead(upstream.status, out).end(body)
    })()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`,
    secrets: () => [...secrets],
    stop: () => closeServer(server),
  }
}
