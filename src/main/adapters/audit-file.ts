/**
 * The data folder's record of tokens handed to other tools: one JSON line per record, appended,
 * readable by the person alone (0600). Several processes append (the running Latchkey, and the
 * `latchkey` command answering a still-valid token itself), each line with one write to a file
 * opened for appending, so lines never interleave.
 *
 * Bounded at 1 MiB: once the file passes half of that, it is renamed over the previous half
 * (`cli-audit.jsonl.1`) and a new one begins. A rename never leaves anything half-written, and a
 * process still appending to the renamed file lands in the previous half, which is still read:
 * only records older than both halves are dropped.
 */
import { closeSync, fstatSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import type { AuditLog, AuditRecord } from '../core/cli/audit.ts'

export const AUDIT_FILE = 'cli-audit.jsonl'
export const AUDIT_MAX_BYTES = 1024 * 1024
/** A rotation abandoned by a process that died this long ago is taken over. */
const STALE_ROTATION_MS = 10_000

export function auditFile(dataDir: string, maxBytes = AUDIT_MAX_BYTES): AuditLog & { readonly path: string; readonly previous: string } {
  const path = join(dataDir, AUDIT_FILE)
  const previous = `${path}.1`
  return {
    path,
    previous,
    append(record) {
      // The size of the file this line went to (another process may have renamed it meanwhile).
      const fd = openSync(path, 'a', 0o600)
      let size: number
      try {
        writeSync(fd, `${JSON.stringify(record)}\n`)
        size = fstatSync(fd).size
      } finally {
        closeSync(fd)
      }
      if (size > maxBytes / 2) rotate(path, previous, maxBytes / 2)
    },
    list(accountId, limit) {
      const found: AuditRecord[] = []
      for (const file of [path, previous]) {
        let text: string
        try {
          text = readFileSync(file, 'utf8')
        } catch {
          continue
        }
        const lines = text.split('\n')
        for (let i = lines.length - 1; i >= 0 && found.length < limit; i--) {
          const record = parse(lines[i] ?? '')
          if (record?.accountId === accountId) found.push(record)
        }
      }
      return found
    },
  }
}

/** One process rotates at a time (the others go on appending); the size is checked again once it holds the marker. */
function rotate(path: string, previous: string, threshold: number): void {
  const marker = `${path}.rotating`
  try {
    writeFileSync(marker, String(process.pid), { flag: 'wx', mode: 0o600 })
  } catch {
    try {
      if (Date.now() - statSync(marker).mtimeMs > STALE_ROTATION_MS) rmSync(marker, { force: true })
    } catch {
      // Gone meanwhile: the next append rotates if it still has to.
    }
    return
  }
  try {
    if (sizeOf(path) > threshold) renameSync(path, previous)
  } finally {
    rmSync(marker, { force: true })
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}

function parse(line: string): AuditRecord | null {
  if (line === '') return null
  try {
    const value = JSON.parse(line) as Partial<AuditRecord>
    return typeof value.accountId === 'string' && typeof value.at === 'string' && Array.isArray(value.command) ? (value as AuditRecord) : null
  } catch {
    return null
  }
}
