/**
 * One Latchkey per data folder, whichever shell: two processes refreshing the same rotating
 * tokens would trip the servers' reuse detection, and their settings writes would overwrite each
 * other. A lock file holds the owner's pid; a lock left by a process that is gone is taken over.
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { isProcessAlive } from './process-alive.ts'

export type LockResult = { acquired: true; release(): void } | { acquired: false; heldBy: number }

export function acquireInstanceLock(dir: string, pid: number = process.pid): LockResult {
  const file = join(dir, 'latchkey.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(pid), { flag: 'wx', mode: 0o600 })
      const release = (): void => {
        if (ownerOf(file) === pid) unlinkSync(file)
        process.off('exit', release)
      }
      process.on('exit', release)
      return { acquired: true, release }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const owner = ownerOf(file)
      if (owner !== null && isProcessAlive(owner)) return { acquired: false, heldBy: owner }
      unlinkSync(file) // stale: its process is gone
    }
  }
  return { acquired: false, heldBy: ownerOf(file) ?? 0 }
}

function ownerOf(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim())
    return Number.isInteger(pid) && pid > 0 ? pid : null
  } catch {
    return null
  }
}
