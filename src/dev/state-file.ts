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
    initial = JSON.parse(readFileSync(path, 'utf8'), revive) as T
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`The demo state in ${path} cannot be read; delete it to start afresh.`, { cause: error })
  }
  let queued = false
  const save = (): void => {
    const temporary = `${path}.tmp`
    writeFileSync(temporary, JSON.stringify(current(), replace), { mode: 0o600 })
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

/**
 * A server's lasting state, when the demo asks for it: what was saved in `path` replaces the fresh
 * state the server just made (its demo users), it is saved at once, and again whenever the returned
 * function is called (after every answer; coalesced per tick). Without a path, nothing is kept.
 */
export function keepState<T>(path: string | undefined, state: { current: () => T; restore: (saved: T) => void }): () => void {
  if (path === undefined) return () => undefined
  const file = openStateFile(path, state.current)
  if (file.initial !== null) state.restore(file.initial)
  file.save()
  return () => file.changed()
}

/** Maps and buffers in JSON: `{"$map": [[key, value], ...]}`, and Node's `{"type": "Buffer", "data": [...]}`. */
function replace(_key: string, value: unknown): unknown {
  return value instanceof Map ? { $map: [...(value as Map<unknown, unknown>)] } : value
}

function revive(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value
  const record = value as { $map?: unknown; type?: unknown; data?: unknown }
  if (Array.isArray(record.$map)) return new Map(record.$map as [unknown, unknown][])
  if (record.type === 'Buffer' && Array.isArray(record.data)) return Buffer.from(record.data as number[])
  return value
}

/** Puts `saved`'s entries into `target` in place of its own (the tables are read-only fields). */
export function refill<K, V>(target: Map<K, V>, saved: Map<K, V>): void {
  target.clear()
  for (const [key, value] of saved) target.set(key, value)
}
