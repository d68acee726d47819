import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { jsonLogger, redact } from './json-logger.ts'
import { useTempDirs } from '../../dev/temp-dirs.ts'

const tempDir = useTempDirs()

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

  it('masks anything that looks like a token even if a caller slips', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXZhbHVl'
    expect(redact(`got ${jwt} back`)).toBe('got [redacted-jwt] back')
    expect(redact('http://127.0.0.1:5/callback?code=abc123&state=xyz&iss=x')).toBe(
      'http://127.0.0.1:5/callback?code=[redacted]&state=[redacted]&iss=x',
    )
  })
})
