/**
 * The port the browser shell listened on last time, kept in the data folder, so that a restart
 * comes back on the same origin and a tab left open reaches it (and learns that it is stale)
 * instead of a dead port. Not a secret: any local process can see which ports listen.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

function portFile(dataDir: string): string {
  return join(dataDir, 'web-shell-port')
}

/** The remembered port, or 0 (any free port) when there is none or it is not a port. */
export function lastPort(dataDir: string): number {
  try {
    const port = Number(readFileSync(portFile(dataDir), 'utf8').trim())
    return Number.isInteger(port) && port > 0 && port < 65536 ? port : 0
  } catch {
    return 0
  }
}

export function rememberPort(dataDir: string, port: number): void {
  writeFileSync(portFile(dataDir), `${String(port)}\n`, { mode: 0o600 })
}
