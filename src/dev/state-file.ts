/**
 * A demo server's state on disk (`npm run demo` keeps it under .cache/demo-data): read once at
 * start, written whole after changes (coalesced per tick), through a temporary file and a rename
 * so a crash never leaves half a file, readable only by its owner.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

export interface StateFile<T> {
  /** What was saved, or null on a first start. */
  initial: T | null
  /** Saves `current()` soon (once per tick however often it is asked). */
  changed(): void
  /** Saves now. */
  save(): void
}

export function openStateFile<T>(path: string, current: () => T): StateFile<T> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  let initial: T | null = null
  try {
    initial = JSON.parse(readFileSync(path, 'utf8')) as T
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`The demo state in ${path} cannot be read; delete it to start afresh.`, { cause: error })
  }
  let queued = false
  const save = (): void => {
    const temporary = `${path}.tmp`
    writeFileSync(temporary, JSON.stringify(current()), { mode: 0o600 })
    renameSync(temporary, path)
  }
  return {
    initial,
    save,
    changed: () => {
      if (queued) return
      queued = true
      queueMicrotask(() => {
        queued = false
        save()
      })
    },
  }
}
