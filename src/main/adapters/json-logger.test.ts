import { spawn } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { FLUSH_AFTER_MS, FLUSH_AT_BYTES, jsonLogger, redact } from './json-logger.ts'
import { useTempDirs } from '../../dev/temp-dirs.ts'

const tempDir = useTempDirs()

afterEach(() => {
  vi.useRealTimers()
})

/** Each line's event and account, in order. */
function events(file: string): string[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { event: string; accountId: string })
    .map((line) => `${line.event} ${line.accountId}`)
}

/** A process that logs info, warn, info with `gather`, then exits by itself, or says so and waits (its event loop held) to be killed with SIGKILL. */
async function logInChild(file: string, end: 'exit' | 'kill'): Promise<void> {
  const script = `
    const { jsonLogger } = await import(${JSON.stringify(new URL('./json-logger.ts', import.meta.url).href)})
    const log = jsonLogger({ file: ${JSON.stringify(file)}, gather: true })
    log.info('refresh.ok', { accountId: 'a1' })
    log.warn('refresh.retry', { accountId: 'a2' })
    log.info('refresh.ok', { accountId: 'a3' })
    if (${JSON.stringify(end)} === 'exit') process.exit(0)
    console.log('logged')
    // Held here until killed: the gathered line's timer never gets to run.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)
  `
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  if (end === 'kill') {
    await new Promise<void>((resolve) => createInterface({ input: child.stdout }).once('line', () => resolve()))
    child.kill('SIGKILL')
  }
  await gone
}

describe('jsonLogger', () => {
  it('writes one JSON line per event to a private file', () => {
    const file = join(tempDir('lk-log-'), 'logs', 'latchkey.log')
    const log = jsonLogger({ file, now: () => new Date('2026-01-02T03:04:05Z') })
    log.info('auth.signed-in', { accountId: 'a1' })
    log.warn('refresh.retry', { attempt: 2 })
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(lines).toEqual([
      { time: '2026-01-02T03:04:05.000Z', level: 'info', event: 'auth.signed-in', accountId: 'a1' },
      { time: '2026-01-02T03:04:05.000Z', level: 'warn', event: 'refresh.retry', attempt: 2 },
    ])
    expect(statSync(file).mode & 0o077).toBe(0)
  })

  it('with gather, writes info lines together a moment later, and at once with a warning or error after them', () => {
    vi.useFakeTimers()
    const file = join(tempDir('lk-log-'), 'logs', 'latchkey.log')
    const log = jsonLogger({ file, gather: true, now: () => new Date('2026-01-02T03:04:05Z') })
    log.info('refresh.ok', { accountId: 'a1' })
    log.info('refresh.ok', { accountId: 'a2' })
    expect(existsSync(file)).toBe(false)
    vi.advanceTimersByTime(FLUSH_AFTER_MS)
    expect(events(file)).toEqual(['refresh.ok a1', 'refresh.ok a2'])
    log.info('refresh.ok', { accountId: 'a3' })
    log.warn('refresh.retry', { accountId: 'a4' })
    expect(events(file)).toEqual(['refresh.ok a1', 'refresh.ok a2', 'refresh.ok a3', 'refresh.retry a4'])
    log.info('refresh.ok', { accountId: 'a5' })
    log.error('accounts.write-failed', { accountId: 'a6' })
    expect(events(file).slice(-2)).toEqual(['refresh.ok a5', 'accounts.write-failed a6'])
    expect(statSync(file).mode & 0o077).toBe(0)
  })

  it('with gather, writes at once when the gathered lines grow large', () => {
    vi.useFakeTimers()
    const file = join(tempDir('lk-log-'), 'logs', 'latchkey.log')
    const log = jsonLogger({ file, gather: true })
    const filler = 'x'.repeat(1000)
    let logged = 0
    while (!existsSync(file)) log.info('refresh.ok', { accountId: `a${String(++logged)}`, filler })
    expect(logged).toBeLessThanOrEqual(Math.ceil(FLUSH_AT_BYTES / 1000))
    expect(events(file)).toHaveLength(logged)
  })

  it('with gather, a process that exits writes what it gathered; killed outright, it loses only the info lines of its last moment', async () => {
    const dir = tempDir('lk-log-')
    const exited = join(dir, 'exited.log')
    await logInChild(exited, 'exit')
    expect(events(exited)).toEqual(['refresh.ok a1', 'refresh.retry a2', 'refresh.ok a3'])
    const killed = join(dir, 'killed.log')
    await logInChild(killed, 'kill')
    // The warning was written as it came, with the info line before it; the info line after it was still gathered.
    expect(events(killed)).toEqual(['refresh.ok a1', 'refresh.retry a2'])
  })

  it('masks anything that looks like a token even if a caller slips', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXZhbHVl'
    expect(redact(`got ${jwt} back`)).toBe('got [redacted-jwt] back')
    expect(redact('http://127.0.0.1:5/callback?code=abc123&state=xyz&iss=x')).toBe(
      'http://127.0.0.1:5/callback?code=[redacted]&state=[redacted]&iss=x',
    )
  })
})
