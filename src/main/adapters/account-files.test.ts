import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { accountFiles } from './account-files.ts'

let dir: string
beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'latchkey-accounts-')), 'accounts')
})
afterEach(() => {
  rmSync(join(dir, '..'), { recursive: true, force: true })
})

describe('account files', () => {
  it('writes each account to its own 0600 file and reads them all back', async () => {
    const files = accountFiles(dir)
    await files.write('a1', '{"n":1}')
    await files.write('a1', '{"n":2}')
    await files.write('b2', '{"n":3}')
    expect(statSync(join(dir, 'a1.json')).mode & 0o777).toBe(0o600)
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    expect(new Map(accountFiles(dir).readAll())).toEqual(new Map([['a1', '{"n":2}'], ['b2', '{"n":3}']]))
    await files.remove('a1')
    expect([...new Map(accountFiles(dir).readAll()).keys()]).toEqual(['b2'])
  })

  it('keeps ids that are not plain file names apart and readable', async () => {
    const files = accountFiles(dir)
    await files.write('../escape', 'x')
    await files.write('x-looks-encoded', 'y')
    expect(readdirSync(dir).every((name) => !name.includes('/') && name.endsWith('.json'))).toBe(true)
    expect(new Map(accountFiles(dir).readAll())).toEqual(new Map([['../escape', 'x'], ['x-looks-encoded', 'y']]))
  })

  it('a write that fails leaves no temporary file behind and says so', async () => {
    const files = accountFiles(dir)
    // The account's file cannot be replaced: a folder with something in it is in its place.
    mkdirSync(join(dir, 'a1.json'))
    writeFileSync(join(dir, 'a1.json', 'keep'), 'x')
    await expect(files.write('a1', 'new')).rejects.toThrow()
    await expect(files.write('a1', 'new', { durable: false })).rejects.toThrow()
    expect(readdirSync(dir)).toEqual(['a1.json'])
    await files.write('b2', 'fine', { durable: false })
    expect(readFileSync(join(dir, 'b2.json'), 'utf8')).toBe('fine')
  })

  it('drops the temporary file of a write a crash interrupted, keeping the account’s last whole file', async () => {
    const files = accountFiles(dir)
    await files.write('a1', 'whole')
    writeFileSync(join(dir, '.0123456789ab.tmp'), 'half')
    expect(new Map(accountFiles(dir).readAll())).toEqual(new Map([['a1', 'whole']]))
    expect(readdirSync(dir)).toEqual(['a1.json'])
    expect(readFileSync(join(dir, 'a1.json'), 'utf8')).toBe('whole')
  })
})
