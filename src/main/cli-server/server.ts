/**
 * The running Latchkey's local socket for the `latchkey` command: a Unix socket the person alone
 * may use (0600, in their 0700 runtime dir) or a named pipe, plus a key for this launch in a 0600
 * file that every request must carry (Node cannot read SO_PEERCRED; the file's mode is the check).
 * One JSON line in, one out; requests are size-limited and must arrive within a few seconds.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Socket } from 'node:net'
import { dirname } from 'node:path'
import type { Logger } from '../core/ports.ts'
import type { CliEndpoint } from './socket-path.ts'
import { ACCEPTED_VERSIONS, MAX_REQUEST_BYTES, REQUEST_TIMEOUT_MS, type CliRequest, type CliResponse } from './protocol.ts'
import { failure } from './request.ts'

export { failure } from './request.ts'

export type CliHandler = (request: CliRequest) => Promise<CliResponse>

export interface CliServer {
  close(): Promise<void>
  /** Requests answered or under way since the start (the headless core's idle timer watches it). */
  readonly busy: number
}

const MAX_CONNECTIONS = 256

export interface CliServerOptions {
  platform?: NodeJS.Platform
  /** How long a connection may take to send its request line (REQUEST_TIMEOUT_MS). */
  requestTimeoutMs?: number
}

export async function startCliServer(endpoint: CliEndpoint, handle: CliHandler, logger: Logger, options: CliServerOptions = {}): Promise<CliServer> {
  const platform = options.platform ?? process.platform
  const key = randomBytes(32).toString('hex')
  const expected = Buffer.from(key)
  let busy = 0
  const server = createServer((socket) => serve(socket))
  server.maxConnections = MAX_CONNECTIONS

  function serve(socket: Socket): void {
    let buffered = ''
    let answered = false
    socket.setEncoding('utf8')
    // A connection that sent nothing in time is closed; but only after this turn's reads, since a
    // process that was starved of the CPU (a loaded machine, a suspended laptop) runs its expired
    // timers before it reads what arrived meanwhile, and would drop a request already there.
    socket.setTimeout(options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS, () =>
      setImmediate(() => {
        if (!answered) socket.destroy()
      }),
    )
    const reply = (response: CliResponse): void => {
      answered = true
      socket.end(`${JSON.stringify(response)}\n`)
    }
    socket.on('error', () => socket.destroy())
    socket.on('data', (chunk: string) => {
      if (answered) return
      buffered += chunk
      const end = buffered.indexOf('\n')
      if (end < 0) {
        if (Buffer.byteLength(buffered) > MAX_REQUEST_BYTES) reply(failure('usage', 'The request is too large.'))
        return
      }
      const line = buffered.slice(0, end)
      if (Buffer.byteLength(line) > MAX_REQUEST_BYTES) return reply(failure('usage', 'The request is too large.'))
      const request = parse(line)
      if (request === null) return reply(failure('usage', 'Not a Latchkey request (or from another version of latchkey).'))
      const given = Buffer.from(request.key)
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        logger.warn('cli.refused-key', {})
        return reply(failure('not-allowed', 'This request did not carry this launch’s key.'))
      }
      // The request is in: answering may take a refresh or the person's answer in the window.
      socket.setTimeout(0)
      answered = true
      busy++
      void handle(request)
        .catch((error: unknown): CliResponse => {
          logger.error('cli.failed', { op: request.op, error: error instanceof Error ? error.message : String(error) })
          return failure('error', 'Latchkey could not answer (see its log).')
        })
        .then((response) => {
          if (!socket.destroyed) socket.end(`${JSON.stringify(response)}\n`)
        })
        .finally(() => busy--)
    })
  }

  if (platform !== 'win32') {
    mkdirSync(dirname(endpoint.socket), { recursive: true, mode: 0o700 })
    // The data folder's instance lock is held: a socket left here is from a process that is gone.
    rmSync(endpoint.socket, { force: true })
  }
  const previousMask = platform === 'win32' ? null : process.umask(0o177)
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(endpoint.socket, () => resolve())
    })
  } finally {
    if (previousMask !== null) process.umask(previousMask)
  }
  if (platform !== 'win32') chmodSync(endpoint.socket, 0o600)
  const temporary = `${endpoint.keyFile}.${String(process.pid)}.tmp`
  writeFileSync(temporary, key, { mode: 0o600 })
  renameSync(temporary, endpoint.keyFile)
  logger.info('cli.listening', { socket: endpoint.socket })

  return {
    get busy() {
      return busy
    },
    async close() {
      rmSync(endpoint.keyFile, { force: true })
      await new Promise<void>((resolve) => server.close(() => resolve()))
      if (platform !== 'win32') rmSync(endpoint.socket, { force: true })
    },
  }
}

function parse(line: string): CliRequest | null {
  try {
    const value = JSON.parse(line) as { v?: unknown; key?: unknown; op?: unknown; args?: unknown } | null
    if (typeof value !== 'object' || value === null || typeof value.v !== 'number' || !ACCEPTED_VERSIONS.includes(value.v) || typeof value.key !== 'string' || typeof value.op !== 'string') return null
    if (value.args !== undefined && (typeof value.args !== 'object' || value.args === null || Array.isArray(value.args))) return null
    return value as CliRequest
  } catch {
    return null
  }
}
