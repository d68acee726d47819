/**
 * The data folder's record of tokens handed to other tools: one JSON line per record, appended,
 * readable by the person alone (0600). Bounded: past 1 MiB the oldest half is dropped (the file is
 * rewritten whole and renamed over the old one).
 */
import { appendFileSync, chmodSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AuditLog, AuditRecord } from '../core/cli/audit.ts'

export const AUDIT_FILE = 'cli-audit.jsonl'
const MAX_BYTES = 1024 * 1024

export function auditFile(dataDir: string, maxBytes = MAX_BYTES): AuditLog & { readonly path: string } {
  const path = join(dataDir, AUDIT_FILE)
  return {
    path,
    append(record) {
      appendFileSync(path, `${JSON.stringify(record)}\n`, { mode: 0o600 })
      const size = statSync(path).size
      if (size > maxBytes) trim(path)
    },
    list(accountId, limit) {
      let text: string
      try {
        text = readFileSync(path, 'utf8')
      } catch {
        return []
      }
      const found: AuditRecord[] = []
      const lines = text.split('\n')
      for (let i = lines.length - 1; i >= 0 && found.length < limit; i--) {
        const record = parse(lines[i] ?? '')
        if (record?.accountId === accountId) found.push(record)
      }
      return found
    },
  }
}

function trim(path: string): void {
  const lines = readFileSync(path, 'utf8').split('\n').filter((line) => line !== '')
  const kept = lines.slice(Math.floor(lines.length / 2))
  const temporary = `${path}.${String(process.pid)}.tmp`
  writeFileSync(temporary, kept.map((line) => `${line}\n`).join(''), { mode: 0o600 })
  chmodSync(temporary, 0o600)
  renameSync(temporary, path)
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
