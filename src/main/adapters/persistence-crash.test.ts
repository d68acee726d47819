import { execFile, spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { missingKeyringTools, startKeyringSession, type KeyringSession } from '../../dev/keyring-session.ts'
import { versionText } from './account-files-crash.fixture.ts'
import { accountFiles } from './account-files.ts'

const run = promisify(execFile)
const fixture = join(import.meta.dirname, 'persistence-crash.fixture.ts')
const filesFixture = join(import.meta.dirname, 'account-files-crash.fixture.ts')
const missing = await missingKeyringTools()
const skip = missing.length > 0 && !process.env.CI

/** The number in a fake access token (`access-<n>`): later tokens have larger numbers. */
const serial = (token: string | null | undefined): number => Number(/access-(\d+)/.exec(token ?? '')?.[1] ?? -1)

describe.skipIf(skip)('persistence under kill -9', () => {
  let session: KeyringSession | undefined
  let dir = ''
  const baseEnv = (): Record<string, string> => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...session?.env })
  beforeAll(async () => {
    session = await startKeyringSession()
    dir = mkdtempSync(join(tmpdir(), 'latchkey-crash-'))
  })
  afterAll(async () => {
    await session?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('every account restarts with its newest durable session and record after kills at random points during 1,000 refreshes, from the start-up index kept through them and written anew during them', async () => {
    await churnAndCheck(join(dir, 'spends'), {}, 1000)
  }, 300_000)

  it('the same for a backend whose renewal leaves the old token valid (PocketBase: one unflushed write per refresh)', async () => {
    await churnAndCheck(join(dir, 'keeps'), { LATCHKEY_CRASH_KEEPS_OLD_TOKEN: '1' }, 500)
  }, 300_000)

  async function churnAndCheck(dir: string, extra: Record<string, string>, total: number): Promise<void> {
    const env = (): Record<string, string> => ({ ...baseEnv(), ...extra })
    const accounts = 40
    const { stdout } = await run(process.execPath, [fixture, dir, 'setup', String(accounts)], { env: env(), timeout: 120_000 })
    expect(stdout).toContain('ready')

    const newest = new Map<string, number>()
    let refreshes = 0
    let kills = 0
    // Indexes written during the churn runs, and kills sent while one was being written.
    let indexed = 0
    let killsWhileIndexing = 0
    const rereads: (number | null)[] = []
    while (refreshes < total) {
      const child = spawn(process.execPath, [fixture, dir, 'churn', String(kills)], { env: env(), stdio: ['ignore', 'pipe', 'inherit'] })
      const before = refreshes
      // Each run is stopped within a fifth of the total, so even runs that go on a little after the kill leave room for at least three kills.
      const stopAt = before + 20 + Math.floor(Math.random() * (total / 5 - 20))
      // Every other run is killed just after an index has begun to be written (while it is taken,
      // written or put in place); the others once one was written in the run, so the next start
      // finds an index written during a session and the journal begun with it.
      const whileIndexing = kills % 2 === 1
      let indexing = false
      let indexedInRun = false
      let killed = false
      await new Promise<void>((resolve) => {
        createInterface({ input: child.stdout }).on('line', (line) => {
          const [word, id, token] = line.split(' ')
          if (word === 'indexing') indexing = true
          if (word === 'indexed') {
            indexing = false
            indexedInRun = true
            indexed++
          }
          if (word === 'durable' && id) {
            refreshes++
            newest.set(id, Math.max(newest.get(id) ?? -1, serial(token)))
          }
          // Killed at a random moment: mid-write, mid-request or between refreshes (or mid-index).
          const now = whileIndexing ? word === 'indexing' : indexedInRun
          if (refreshes >= stopAt && child.exitCode === null && (now || refreshes >= stopAt + 300)) {
            setTimeout(() => {
              if (killed) return
              killed = true
              if (indexing) killsWhileIndexing++
              child.kill('SIGKILL')
            }, Math.random() * 5)
          }
        })
        // Never left running should the lines it is killed on not come.
        const deadline = setTimeout(() => child.kill('SIGKILL'), 60_000)
        child.once('exit', () => {
          clearTimeout(deadline)
          resolve()
        })
      })
      kills++
      // Every other kill, a start checks and quits cleanly (a new index); the runs between start from an index and the journal a crash left.
      if (kills % 2 === 0) rereads.push(await check())
    }
    expect(kills).toBeGreaterThanOrEqual(3)
    expect(indexed).toBeGreaterThan(0)
    expect(killsWhileIndexing).toBeGreaterThan(0)
    rereads.push(await check())
    // The index was kept through the kills and used: fewer files read beside it than there are accounts, at least once.
    expect(rereads.every((reread) => reread !== null)).toBe(true)
    expect(Math.min(...rereads.map(Number))).toBeLessThan(accounts)

    /** A start after the kills: every account with its newest durable session and the record written with it; how many files it read beside the index. */
    async function check(): Promise<number | null> {
      const checked = await run(process.execPath, [fixture, dir, 'check'], { env: env(), timeout: 60_000 })
      const { state, notices, indexRead } = JSON.parse(checked.stdout.trim().split('\n').at(-1) ?? '{}') as {
        state: Record<string, { status: string; token: string | null; lastRefreshAt: string | null }>
        notices: { id: string }[]
        indexRead: { reread: number } | null
      }
      // Half-written temporary files of killed writes are gone once the app has started again.
      expect(readdirSync(join(dir, 'accounts')).filter((name) => name.endsWith('.tmp'))).toEqual([])
      expect(Object.keys(state)).toHaveLength(accounts)
      expect(notices).toEqual([])
      for (const [id, account] of Object.entries(state)) {
        expect(account.status).toBe('signed-in')
        const token = serial(account.token)
        expect(token).toBeGreaterThanOrEqual(newest.get(id) ?? 0)
        // The record is at least the one written with the newest durable session (whose number is the time of its renewal, in µs), not an older one an index kept.
        const durable = newest.get(id)
        if (durable !== undefined) expect(Date.parse(account.lastRefreshAt ?? '')).toBeGreaterThanOrEqual(Math.floor(durable / 1000))
      }
      return indexRead?.reread ?? null
    }
  }
})

describe('account files under kill -9', () => {
  it('every file holds a whole version, never older than its last finished write, after kills mid-write', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'latchkey-files-crash-')), 'accounts')
    const newest = new Map<string, number>()
    let n = 0
    try {
      for (let kills = 0; kills < 6; kills++) {
        const child = spawn(process.execPath, [filesFixture, dir, String(n)], { stdio: ['ignore', 'pipe', 'inherit'] })
        const stopAt = n + 30 + Math.floor(Math.random() * 300)
        await new Promise<void>((resolve) => {
          createInterface({ input: child.stdout }).on('line', (line) => {
            const [word, id, count] = line.split(' ')
            if (word !== 'written' || !id) return
            n = Math.max(n, Number(count) + 1)
            newest.set(id, Math.max(newest.get(id) ?? -1, Number(count)))
            // Killed at a random moment, most often in the middle of a write.
            if (n >= stopAt && child.exitCode === null) setTimeout(() => child.kill('SIGKILL'), Math.random() * 3)
          })
          child.once('exit', () => resolve())
        })
        // The next run goes on from numbers past any a killed write may have used.
        n += 10
        const files = new Map(accountFiles(dir).readAll())
        expect([...files.keys()].sort()).toEqual([...newest.keys()].sort())
        for (const [id, text] of files) {
          const { n: found } = JSON.parse(text) as { n: number }
          expect(text).toBe(versionText(id, found))
          expect(found).toBeGreaterThanOrEqual(newest.get(id) ?? 0)
        }
      }
    } finally {
      rmSync(join(dir, '..'), { recursive: true, force: true })
    }
  }, 120_000)
})
