/**
 * `latchkey token` against `node -e 0`, side by side in one run: with the app running and a valid
 * token (the socket round trip); with nothing running and a valid token, plain and --json (the
 * command answers it itself: keychain read, one account opened, audit appended); `latchkey
 * accounts` with nothing running (answered by the command: every session opened); and, for
 * context, with nothing running and a renewal due (the command starts the headless core, which
 * reads the keychain, refreshes and answers). Each nothing-running row says in how many runs the
 * core had to start. Debian's `gh auth token` for context, installed with apt
 * when it is missing and can be. Real keyring on a private D-Bus, the local OpenID Connect server.
 * Needs `npm run build`. Nothing asserted.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { startCliFixture, type CliFixture } from '../src/dev/cli-fixture.ts'
import { missingKeyringTools } from '../src/dev/keyring-session.ts'

const ROOT = resolve(import.meta.dirname, '..')
const CLI = resolve(ROOT, 'out/cli/latchkey.js')
/**
 * Rounds per row (each round: one run of node -e 0 and one of the command). 100: on a machine other
 * work keeps busy, 40 rounds left a row's median a few hundredths of the ratio apart from one run to the next.
 */
const ROUNDS = 100

function timed(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; code: number | null }> {
  return new Promise((done) => {
    const start = performance.now()
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'ignore'] })
    child.once('close', (code) => done({ ms: performance.now() - start, code }))
  })
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

interface SideBySide {
  base: number
  ours: number
  /** Each round's ratio (the two runs next to each other in time): median, and the middle 80 % of rounds. */
  ratio: { median: number; low: number; high: number }
  failures: number
  coreStarted: number
  rounds: number
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))] ?? 0
}

/**
 * Runs `baseline` and `measured` in turn, `rounds` times each, after `prepare` each round; which of
 * the two goes first turns every round, so a machine slowing down or speeding up weighs on both.
 */
async function sideBySide(rounds: number, baseline: () => Promise<{ ms: number }>, measured: () => Promise<{ ms: number; code: number | null; coreStarted?: boolean }>, prepare: () => Promise<void> = () => Promise.resolve()): Promise<SideBySide> {
  const base: number[] = []
  const ours: number[] = []
  let failures = 0
  let coreStarted = 0
  for (let i = 0; i < rounds; i++) {
    await prepare()
    const ourFirst = i % 2 === 1
    const first = ourFirst ? await measured() : await baseline()
    const second = ourFirst ? await baseline() : await measured()
    const run = (ourFirst ? first : second) as Awaited<ReturnType<typeof measured>>
    if (run.code !== 0) failures++
    if (run.coreStarted === true) coreStarted++
    base.push((ourFirst ? second : first).ms)
    ours.push(run.ms)
  }
  const ratios = ours.map((ms, i) => ms / (base[i] ?? ms))
  return { base: median(base), ours: median(ours), ratio: { median: median(ratios), low: quantile(ratios, 0.1), high: quantile(ratios, 0.9) }, failures, coreStarted, rounds }
}

function line(label: string, result: SideBySide, target: number | null): void {
  const ratio = result.ours / result.base
  const verdict = target === null ? '' : ratio <= target ? ` (target ≤ ${String(target)}×: met)` : ` (target ≤ ${String(target)}×: NOT met)`
  const started = result.coreStarted > 0 ? `, the headless core started in ${String(result.coreStarted)} of ${String(result.rounds)} runs` : ''
  const rounds = `; round by round ${result.ratio.median.toFixed(2)}× (middle 80 %: ${result.ratio.low.toFixed(2)}–${result.ratio.high.toFixed(2)}×)`
  console.log(`  ${label}: median ${result.ours.toFixed(1)} ms vs node -e 0 ${result.base.toFixed(1)} ms = ${ratio.toFixed(2)}×${verdict}${rounds}${result.failures > 0 ? `, ${String(result.failures)} runs failed` : ''}${started}`)
}

/** `gh` from Debian when it is missing: only as root (or password-less sudo) with apt. Null, or why not. */
function ensureGh(): string | null {
  if (spawnSync('sh', ['-c', 'command -v gh'], { stdio: 'ignore' }).status === 0) return null
  if (spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status !== 0) return 'gh is not installed and there is no apt-get here'
  const asRoot = process.getuid?.() === 0 ? [] : ['sudo', '-n']
  if (asRoot.length > 0 && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status !== 0) return 'gh is not installed and apt-get needs a password here'
  const install = spawnSync(asRoot[0] ?? 'apt-get', [...asRoot.slice(1), ...(asRoot.length > 0 ? ['apt-get'] : []), 'install', '-y', '-q', 'gh'], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    encoding: 'utf8',
  })
  return install.status === 0 ? null : `apt-get install gh failed: ${(install.stderr || install.stdout).trim().split('\n').at(-1) ?? ''}`
}

export async function benchCommandLine(): Promise<void> {
  console.log('\n## latchkey on the command line (medians, side by side with node -e 0)')
  if (!existsSync(CLI)) {
    console.log('  skipped: out/cli/latchkey.js is not built (npm run build)')
    return
  }
  const missing = await missingKeyringTools()
  if (missing.length > 0) {
    console.log(`  skipped: ${missing.join(', ')} not installed (the bench reads a real keyring)`)
    return
  }
  const node = (): Promise<{ ms: number; code: number | null }> => timed(process.execPath, ['-e', '0'], process.env)
  let f: CliFixture | null = null
  try {
    f = await startCliFixture()
    const fixture = f
    const core = fixture.compose()
    await core.latchkey.loadSecrets()
    core.latchkey.setCliAccess(fixture.accountId, true)
    await core.stop()
    const token = (): Promise<{ ms: number; code: number | null }> => timed(process.execPath, [CLI, '--data-dir', fixture.dataDir, 'token'], fixture.env)

    const app = await fixture.startApp()
    // Warm: the app reads the keychain and renews the sign-in's short-lived token once.
    await token()
    line('latchkey token, app running, valid token', await sideBySide(ROUNDS, node, token), 1.3)
    await app.stop()

    // Nothing running before each run; a run the command could not answer itself starts the core, and says so.
    const alone = (args: string[]) => async (): Promise<{ ms: number; code: number | null; coreStarted: boolean }> => {
      const run = await timed(process.execPath, [CLI, '--data-dir', fixture.dataDir, ...args], fixture.env)
      return { ...run, coreStarted: fixture.lockHolder() !== null }
    }
    line('latchkey token, nothing running, valid token (keychain read, answered by the command)', await sideBySide(ROUNDS, node, alone(['token']), () => fixture.stopHeadless()), 2)
    line('latchkey token --json, nothing running, valid token (answered by the command)', await sideBySide(ROUNDS, node, alone(['token', '--json']), () => fixture.stopHeadless()), 2)
    line('latchkey accounts, nothing running (keychain read, every session opened, answered by the command)', await sideBySide(ROUNDS, node, alone(['accounts']), () => fixture.stopHeadless()), 2)
    line('latchkey accounts --json, nothing running', await sideBySide(ROUNDS, node, alone(['accounts', '--json']), () => fixture.stopHeadless()), 2)
    // A token due for renewal (--min-ttl past its lifetime): the headless core starts and refreshes.
    line('latchkey token, nothing running, renewal due (starts the headless core, refreshes)', await sideBySide(8, node, alone(['token', '--min-ttl', '86400']), () => fixture.stopHeadless()), null)
    await fixture.stopHeadless()

    const why = ensureGh()
    if (why === null) {
      const gh = (): Promise<{ ms: number; code: number | null }> => timed('gh', ['auth', 'token'], { ...process.env, GH_TOKEN: 'gho_bench_example_token' })
      line('gh auth token (for context, token from GH_TOKEN)', await sideBySide(30, node, gh), null)
    } else {
      console.log(`  gh auth token skipped: ${why}`)
    }
  } catch (error) {
    console.log(`  failed: ${error instanceof Error ? error.message : String(error)}`)
  } finally {
    await f?.stop()
  }
}
