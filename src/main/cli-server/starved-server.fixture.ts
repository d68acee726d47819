/**
 * The command line socket in a process of its own, for a test that stops and resumes it: listens in
 * the data folder given, with the request time given (ms), answers every request with its op, and
 * prints "ready" once it listens.
 */
import { RecordingLogger } from '../../dev/oidc/recording-logger.ts'
import { startCliServer } from './server.ts'
import { cliEndpoint } from './socket-path.ts'

const [dataDir = '', timeout = '1000'] = process.argv.slice(2)
await startCliServer(cliEndpoint(dataDir, {}), (request) => Promise.resolve({ ok: true, value: request.op }), new RecordingLogger(), { requestTimeoutMs: Number(timeout) })
process.stdout.write('ready\n')
