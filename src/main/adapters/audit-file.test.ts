import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AuditRecord } from '../core/cli/audit.ts'
import { AUDIT_MAX_BYTES, auditFile } from './audit-file.ts'

const fixture = join(import.meta.dirname, 'audit-file.fixture.ts')

function record(accountId: string, n: number): AuditRecord {
  return { at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(), accountId, command: ['/usr/bin/curl', '-s', `https://api.example.test/items/${String(n)}`], pid: 4242, outcome: 'handed-out', kind: 'access' }
}

/** Every line of both halves, each parsed whole (a half-written line fails the parse). */
function allLines(audit: { path: string; previous: string }): AuditRecord[] {
  return [audit.previous, audit.path].flatMap((file) => {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch {
      return []
    }
    expect(text === '' || text.endsWith('\n')).toBe(true)
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as AuditRecord)
  })
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size
  } catch {
    return 0
  }
}

describe('the audit file', () => {
  let dir = ''
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'latchkey-audit-'))
  })
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  it('stays within 1 MiB however much is appended, keeping the newest records whole and listing them newest first', () => {
    const audit = auditFile(dir)
    const line = JSON.stringify(record('acc-1', 0)).length + 1
    const total = Math.ceil((3 * AUDIT_MAX_BYTES) / line)
    for (let n = 0; n < total; n++) audit.append(record(n % 2 === 0 ? 'acc-1' : 'acc-2', n))
    expect(sizeOf(audit.path) + sizeOf(audit.previous)).toBeLessThanOrEqual(AUDIT_MAX_BYTES + line)
    const lines = allLines(audit)
    // Trimmed: the oldest are gone, and what is kept is the newest run, in order, without a gap.
    expect(lines.length).toBeLessThan(total)
    expect(lines.length).toBeGreaterThan(AUDIT_MAX_BYTES / 2 / line)
    const numbers = lines.map((r) => Number(r.command[2]?.split('/').pop()))
    expect(numbers.at(-1)).toBe(total - 1)
    expect(numbers).toEqual(numbers.map((_, i) => total - numbers.length + i))
    // Listing reads across both halves, newest first, for one account only.
    const listed = audit.list('acc-2', lines.length)
    expect(listed[0]).toEqual(record('acc-2', total - 1))
    expect(listed.every((r) => r.accountId === 'acc-2')).toBe(true)
    expect(listed.length).toBe(lines.filter((r) => r.accountId === 'acc-2').length)
    expect(statSync(audit.path).mode & 0o777).toBe(0o600)
    expect(statSync(audit.previous).mode & 0o777).toBe(0o600)
  })

  it('loses no recent record and cuts no line when several processes append across many trims', async () => {
    const maxBytes = 16 * 1024
    const writers = ['w1', 'w2', 'w3']
    const count = 400
    await Promise.all(
      writers.map(
        (writer) =>
          new Promise<void>((done, fail) => {
            const child = spawn(process.execPath, [fixture, dir, String(maxBytes), writer, String(count)], { stdio: ['ignore', 'ignore', 'inherit'] })
            child.once('error', fail)
            child.once('exit', (code) => (code === 0 ? done() : fail(new Error(`writer ${writer} exited ${String(code)}`))))
          }),
      ),
    )
    const audit = auditFile(dir, maxBytes)
    const lines = allLines(audit)
    expect(sizeOf(audit.path) + sizeOf(audit.previous)).toBeLessThanOrEqual(maxBytes + 4096)
    // At least the newest half's worth is kept, and no record is lost in the middle: what is kept
    // of each writer runs without a gap up to its newest record (older ones went with a trim).
    expect(lines.length * (JSON.stringify(lines[0]).length + 1)).toBeGreaterThan(maxBytes / 2)
    expect(writers.some((writer) => lines.some((r) => r.accountId === writer && r.command[2] === String(count - 1)))).toBe(true)
    for (const writer of writers) {
      const mine = lines.filter((r) => r.accountId === writer).map((r) => Number(r.command[2]))
      const sorted = [...mine].sort((a, b) => a - b)
      expect(sorted).toEqual(sorted.map((_, i) => count - sorted.length + i))
    }
  })
})
