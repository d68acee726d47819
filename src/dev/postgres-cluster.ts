/**
 * A throwaway PostgreSQL 15 cluster (Debian's postgresql-15) in a `pg-*` folder under the folder a
 * real server's tier names (.cache/supabase-auth, .cache/bosbase), on a free port, trusting local
 * connections, with the set-up SQL that server needs. initdb refuses to run as root, so as root the
 * cluster belongs to the `postgres` system user and its commands run through runuser.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { isProcessAlive } from '../main/adapters/process-alive.ts'
import { freePort } from './free-port.ts'

const PG_BIN = '/usr/lib/postgresql/15/bin'

export interface Cluster {
  port: number
  /** Runs SQL in a database of the cluster as the `postgres` superuser (set-up only: no secrets in it). */
  sql(text: string, database?: string): void
  stop(): void
}

export function postgresAvailable(): boolean {
  return existsSync(join(PG_BIN, 'initdb'))
}

function asOwner(command: string, args: string[]): string[] {
  return process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', join(PG_BIN, command), ...args] : [join(PG_BIN, command), ...args]
}

function run(argv: string[]): void {
  const [command = '', ...args] = argv
  const result = spawnSync(command, args, { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`${argv.slice(0, 4).join(' ')} … failed: ${(result.stderr || result.stdout).trim()}`)
}


const OWNER_FILE = 'owner.pid'
/** A folder this young without its owner file may be one another process is creating right now. */
const CREATING_GRACE_MS = 60_000

function stopAt(dir: string): void {
  const [command = '', ...args] = asOwner('pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', 'stop'])
  spawnSync(command, args, { stdio: 'ignore' })
  rmSync(dir, { recursive: true, force: true })
}

/**
 * Stops and removes clusters whose owning process is gone: the watchdog below normally does it, but
 * it can itself be killed (a process-group kill, a machine under memory pressure). Returns the
 * folders it removed.
 */
export function sweepAbandonedClusters(base: string, now = Date.now()): string[] {
  if (!existsSync(base)) return []
  const removed: string[] = []
  for (const name of readdirSync(base)) {
    if (!name.startsWith('pg-')) continue
    const dir = join(base, name)
    let owner: number | undefined
    try {
      owner = Number.parseInt(readFileSync(join(dir, OWNER_FILE), 'utf8'), 10)
    } catch {
      if (now - statSync(dir).mtimeMs < CREATING_GRACE_MS) continue
    }
    if (owner !== undefined && Number.isInteger(owner) && owner > 0 && isProcessAlive(owner)) continue
    stopAt(dir)
    removed.push(dir)
  }
  return removed
}

/**
 * Starts a cluster in a new `pg-*` folder under `base` (an absolute path) and runs `setup` in its
 * `postgres` database. The cluster is stopped and its folder removed by `stop()`, or by a watchdog
 * once this process is gone.
 */
export async function startCluster(base: string, setup = ''): Promise<Cluster> {
  mkdirSync(base, { recursive: true })
  sweepAbandonedClusters(base)
  const dir = mkdtempSync(join(base, 'pg-'))
  writeFileSync(join(dir, OWNER_FILE), String(process.pid), { mode: 0o644 })
  if (process.getuid?.() === 0) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()))
  const data = join(dir, 'data')
  run(asOwner('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']))
  const port = await freePort()
  run(asOwner('pg_ctl', ['-D', data, '-l', join(dir, 'postgres.log'), '-w', '-o', `-k ${dir} -h 127.0.0.1 -p ${String(port)} -c fsync=off -c full_page_writes=off`, 'start']))
  const [stopCommand = '', ...stopArgs] = asOwner('pg_ctl', ['-D', data, '-m', 'immediate', 'stop'])
  const stop = (): void => stopAt(dir)
  // The cluster must not outlive this process even when it ends without running exit handlers (a
  // test runner's worker): a detached watchdog stops it and removes its folder once the process is gone.
  const quoted = [stopCommand, ...stopArgs].map((arg) => `'${arg.replaceAll("'", "'\\''")}'`).join(' ')
  spawn('sh', ['-c', `while kill -0 ${String(process.pid)} 2>/dev/null; do sleep 2; done; ${quoted} >/dev/null 2>&1; rm -rf '${dir}'`], { detached: true, stdio: 'ignore' }).unref()
  const sql = (text: string, database = 'postgres'): void => {
    const psql = spawnSync('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-q'], { input: text, encoding: 'utf8' })
    if (psql.status !== 0) throw new Error(`psql failed: ${psql.stderr.trim()}`)
  }
  try {
    if (setup !== '') sql(setup)
  } catch (error) {
    stop()
    throw error
  }
  return { port, sql, stop }
}
