/** Receives the URLs Latchkey asks "the system browser" to open, so a test can open them itself. */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface BrowserRelay {
  url: string
  /** Every URL Latchkey opened so far. */
  opened(): string[]
  /** The next URL Latchkey opened that `match` accepts (waits for it); others stay queued. */
  next(match?: (url: string) => boolean, timeoutMs?: number): Promise<string>
  close(): Promise<void>
}

export async function startBrowserRelay(): Promise<BrowserRelay> {
  const queue: string[] = []
  const opened: string[] = []
  const waiters: { match: (url: string) => boolean; deliver: (url: string) => void }[] = []
  const offer = (url: string): void => {
    const index = waiters.findIndex((w) => w.match(url))
    if (index < 0) queue.push(url)
    else waiters.splice(index, 1)[0]?.deliver(url)
  }
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => {
      opened.push(body)
      offer(body)
      res.end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${String(port)}/open`,
    opened: () => [...opened],
    next(match = () => true, timeoutMs = 15_000) {
      const index = queue.findIndex(match)
      if (index >= 0) return Promise.resolve(queue.splice(index, 1)[0] as string)
      return new Promise((resolve, reject) => {
        const waiter = {
          match,
          deliver: (url: string) => {
            clearTimeout(timer)
            resolve(url)
          },
        }
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1)
          reject(new Error('Latchkey did not open a browser page'))
        }, timeoutMs)
        waiters.push(waiter)
      })
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
