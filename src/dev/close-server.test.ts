import { createServer, get } from 'node:http'
import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { closeServer } from './close-server.ts'
import { listenOnLoopback } from './listen.ts'

describe('closeServer', () => {
  it('closes a server with an answer still open (an event stream, say), and it takes no new connections', async () => {
    // Starts an answer and never ends it.
    const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/event-stream' }).flushHeaders())
    const url = await listenOnLoopback(server)
    const open = await new Promise<IncomingMessage>((resolve, reject) => get(url, resolve).on('error', reject))
    const cut = new Promise<void>((resolve) => open.once('close', () => resolve()))

    await closeServer(server)
    await cut
    expect(server.listening).toBe(false)
    const refused = await new Promise<string>((resolve) => {
      get(url, (res) => resolve(`answered ${String(res.statusCode)}`)).on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? ''))
    })
    expect(refused).toBe('ECONNREFUSED')
  })
})
