import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RecordingLogger } from '../../dev/oidc/recording-logger.ts'
import type { CliRequest } from './protocol.ts'
import { startCliServer, type CliServer } from './server.ts'
import { cliEndpoint } from './socket-path.ts'

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
})
