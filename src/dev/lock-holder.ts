/** Which process holds a data folder's instance lock (the app or the headless core), for tests. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/** The process holding the data folder's lock (the app or the headless core), if any. */
export function lockHolderOf(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(join(dataDir, 'latchkey.lock'), 'utf8').trim())
    return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : null
  } catch {
    return null
  }
}

/** Stops whatever holds the data folder's lock (here: a headless core), and waits until it has gone. */
export async function stopLockHolder(dataDir: string): Promise<void> {
  const pid = lockHolderOf(dataDir)
  if (pid === null) return
  process.kill(pid, 'SIGTERM')
  const deadline = Date.now() + 10_000
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
