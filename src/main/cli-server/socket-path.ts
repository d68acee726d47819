/**
 * Where the running Latchkey answers the command line, per data folder: a Unix socket in the
 * user's runtime dir (else the data folder), a named pipe on Windows; and the file next to it that
 * holds this launch's key. Imported by the `latchkey` command too: Node built-ins only.
 */
import { join, resolve } from 'node:path'

/** Unix socket paths longer than this do not fit in sockaddr_un on every system. */
const MAX_UNIX_PATH = 100

export interface CliEndpoint {
  /** What `net.connect` / `server.listen` take. */
  socket: string
  /** The launch key (0600), read by the command line and sent with each request. */
  keyFile: string
}

export function cliEndpoint(dataDir: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): CliEndpoint {
  const folder = resolve(dataDir)
  const tag = fnv1a64(folder)
  if (platform === 'win32') return { socket: `\\\\.\\pipe\\latchkey-${tag}`, keyFile: join(folder, 'latchkey-cli.key') }
  const runtime = env.XDG_RUNTIME_DIR
  const inRuntime = runtime ? join(runtime, `latchkey-${tag}.sock`) : null
  const socket = inRuntime !== null && inRuntime.length <= MAX_UNIX_PATH ? inRuntime : join(folder, 'latchkey.sock')
  return { socket, keyFile: `${socket}.key` }
}

/** A short tag per folder (FNV-1a, 64 bits): not a secret, and cheaper to load than node:crypto on the command's hot path. */
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= BigInt(byte)
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn
  }
  return hash.toString(16).padStart(16, '0')
}
