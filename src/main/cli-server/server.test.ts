import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RecordingLogger } from '../../dev/oidc/recording-logger.ts'
import type { CliRequest } from './protocol.ts'
import { startCliServer, type CliServer } from './server.ts'
import { cliEndpoint } from './socket-path.ts'
import { untilPast } from '../providers/testing/server-clock.ts'

describe.skipIf(process.platform === 'win32')('the command line socket', () => {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-cli-server-'))
  const endpoint = cliEndpoint(dir, {})
  const seen: CliRequest[] = []
  let server: CliServer
  beforeAll(async () => {
    server = await startCliServer(endpoint, (request) => (seen.push(request), Promise.resolve({ ok: true, value: request.op })), new RecordingLogger())
  })
  afterAll(async () => {
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const ask = (request: object): Promise<unknown> =>
    new Promise((answered, failed) => {
      const socket = connect(endpoint.socket)
      let received = ''
      socket.setEncoding('utf8')
      socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`))
      socket.on('data', (chunk: string) => (received += chunk))
      socket.on('error', failed)
      socket.on('close', () => answered(JSON.parse(received)))
    })

  it('takes requests of this protocol and of version 1 (whose callers always described themselves), and no other', async () => {
    const key = readFileSync(endpoint.keyFile, 'utf8')
    expect(await ask({ v: 2, key, op: 'ping', caller: { pid: process.pid } })).toEqual({ ok: true, value: 'ping' })
    expect(await ask({ v: 1, key, op: 'accounts', caller: { pid: process.pid, command: ['old'] } })).toEqual({ ok: true, value: 'accounts' })
    expect(await ask({ v: 3, key, op: 'ping' })).toMatchObject({ ok: false, reason: 'usage' })
    expect(await ask({ v: '2', key, op: 'ping' })).toMatchObject({ ok: false, reason: 'usage' })
    expect(await ask({ v: 2, key: key.replace(/^./, (c) => (c === '0' ? '1' : '0')), op: 'ping' })).toMatchObject({ ok: false, reason: 'not-allowed' })
    expect(seen.map((request) => request.op)).toEqual(['ping', 'accounts'])
  })

  it('closes a connection that sends no request in time', async () => {
    const socket = connect(endpoint.socket)
    const closed = once(socket, 'close')
    await once(socket, 'connect')
    const started = Date.now()
    await closed
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_900)
  }, 10_000)

  /** The starved server's request time. */
  const REQUEST_SECONDS = 0.3
  // A machine under load can starve the process for longer than the request time: when it runs
  // again, its expired timers come before the read of the request that arrived meanwhile.
  it('answers a request that arrived while the process was stopped past the request time', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'latchkey-cli-starved-'))
    const holder = spawn(process.execPath, [join(import.meta.dirname, 'starved-server.fixture.ts'), folder, String(REQUEST_SECONDS * 1000)], { stdio: ['ignore', 'pipe', 'inherit'] })
    const said = createInterface({ input: holder.stdout })[Symbol.asyncIterator]()
    try {
      expect((await said.next()).value).toBe('ready')
      const starved = cliEndpoint(folder, {})
      const key = readFileSync(starved.keyFile, 'utf8')
      // Where the process was stopped decides which comes first when it runs again: a few rounds.
      for (let round = 0; round < 3; round++) {
        const socket = connect(starved.socket)
        let received = ''
        socket.setEncoding('utf8')
        socket.on('data', (chunk: string) => (received += chunk))
        const ended = new Promise<string>((resolve, reject) => {
          socket.on('error', reject)
          socket.on('close', () => resolve(received))
        })
        await once(socket, 'connect')
        // Accepted, its request time running; then the process is stopped, and the request sent.
        expect((await said.next()).value).toBe('accepted')
        const accepted = Date.now()
        holder.kill('SIGSTOP')
        socket.write(`${JSON.stringify({ v: 2, key, op: 'ping', caller: { pid: process.pid } })}\n`)
        // Resumed once its request time has run out while it was stopped.
        await untilPast(accepted, REQUEST_SECONDS)
        holder.kill('SIGCONT')
        expect(JSON.parse(await ended)).toEqual({ ok: true, value: 'ping' })
      }
    } finally {
      holder.kill('SIGCONT')
      holder.kill('SIGTERM')
      rmSync(folder, { recursive: true, force: true })
    }
  })
})

