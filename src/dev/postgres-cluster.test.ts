import { execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, describe, expect, it } from 'vitest'
import { postgresAvailable, startCluster, sweepAbandonedClusters } from './postgres-cluster.ts'

const fixture = join(import.meta.dirname, 'hold-cluster.fixture.ts')
const root = mkdtempSync(join(tmpdir(), 'lk-pg-'))
// As root the cluster belongs to the postgres user, which must be able to reach its folder.
chmodSync(root, 0o755)
const base = join(root, '.cache', 'some-server')
afterAll(() => {
  sweepAbandonedClusters(base)
  rmSync(root, { recursive: true, force: true })
})

function accepts(port: number): Promise<boolean> {
  return new Promise((settle) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => { socket.destroy(); settle(true) })
    socket.once('error', () => settle(false))
  })
}

const reason = postgresAvailable() ? '' : 'PostgreSQL 15 (postgresql-15 from apt) is not installed'
if (reason !== '' && process.env.CI === 'true') throw new Error(`${reason}; CI installs it`)
if (reason !== '') console.info(`Skipped the throwaway-cluster tests: ${reason}.`)

describe.skipIf(reason !== '')('throwaway PostgreSQL clusters', () => {
  it('are stopped and removed by the next start when their owner and its watchdog were both killed', { timeout: 120_000 }, async () => {
    const holder = spawn(process.execPath, [fixture, base], { stdio: ['ignore', 'pipe', 'inherit'] })
    const exited = once(holder, 'exit').then(([code]) => { throw new Error(`the cluster holder exited (${String(code)}) before its cluster started`) })
    const [line] = (await Promise.race([once(createInterface({ input: holder.stdout }), 'line'), exited])) as [string]
    const abandonedPort = Number(line)
    expect(await accepts(abandonedPort)).toBe(true)
    // The worst case: the watchdog dies first (as with a kill of its whole session), then the owner.
    execFileSync('pkill', ['-KILL', '-f', `kill -0 ${String(holder.pid)} `])
    holder.kill('SIGKILL')
    await exited.catch(() => undefined)
    const before = readdirSync(base).filter((name) => name.startsWith('pg-'))
    expect(before).toHaveLength(1)
    expect(await accepts(abandonedPort)).toBe(true)

    const cluster = await startCluster(base)
    try {
      expect(await accepts(abandonedPort)).toBe(false)
      expect(existsSync(join(base, before[0] ?? ''))).toBe(false)
      expect(await accepts(cluster.port)).toBe(true)
    } finally {
      cluster.stop()
    }
    expect(readdirSync(base).filter((name) => name.startsWith('pg-'))).toEqual([])
  })

  it('leaves a folder another process is still creating, and the clusters of live owners', () => {
    const live = join(base, 'pg-live')
    mkdirSync(live, { recursive: true })
    writeFileSync(join(live, 'owner.pid'), String(process.pid))
    const creating = join(base, 'pg-creating')
    mkdirSync(creating, { recursive: true })
    expect(sweepAbandonedClusters(base)).toEqual([])
    expect(existsSync(creating)).toBe(true)
    const old = new Date(Date.now() - 5 * 60_000)
    utimesSync(creating, old, old)
    expect(sweepAbandonedClusters(base)).toEqual([creating])
    expect(existsSync(creating)).toBe(false)
    expect(existsSync(live)).toBe(true)
    rmSync(live, { recursive: true })
  })
})
