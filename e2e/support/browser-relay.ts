/** Receives the URLs Latchkey asks "the system browser" to open, so a test can open them itself. */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface BrowserRelay {
  url: string
  /** The next URL Latchkey opened (waits for it). */
  next(timeoutMs?: number): Promise<string>
  close(): Promise<void>
}

export async function startBrowserRelay(): Promise<BrowserRelay> {
  const queue: string[] = []
  const waiters: ((url: string) => void)[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => {
      const waiter = waiters.shift()
      if (waiter) waiter(body)
      else queue.push(body)
      res.end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/open`,
    next(timeoutMs = 15_000) {
      const queued = queue.shift()
      if (queued) return Promise.resolve(queued)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('Latchkey did not open a browser page')), timeoutMs)
        waiters.push((url) => {
          clearTimeout(timer)
          resolve(url)
        })
      })
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
