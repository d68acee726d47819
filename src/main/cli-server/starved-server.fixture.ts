/**
 * The command line socket in a process of its own, for a test that stops and resumes it: listens in
 * the data folder given, with the request time given (ms), answers every request with its op, and
 * prints "ready" once it listens and "accepted" once it has taken a connection (its request time
 * running from then).
 */
import { Server } from 'node:net'
import { RecordingLogger } from '../../dev/oidc/recording-logger.ts'
import { startCliServer } from './server.ts'
import { cliEndpoint } from './socket-path.ts'

const [dataDir = '', timeout = '1000'] = process.argv.slice(2)
// The server's own connection listener (which starts the request time) runs first; then this says so.
const server = Server.prototype as unknown as { emit: (this: Server, event: string | symbol, ...args: unknown[]) => boolean }
const emit = server.emit
server.emit = function (event, ...args) {
  const handled = emit.call(this, event, ...args)
  if (event === 'connection') process.stdout.write('accepted\n')
  return handled
}
await startCliServer(cliEndpoint(dataDir, {}), (request) => Promise.resolve({ ok: true, value: request.op }), new RecordingLogger(), { requestTimeoutMs: Number(timeout) })
process.stdout.write('ready\n')
