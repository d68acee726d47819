/**
 * Memory once every account has refreshed: the whole app in one process, composed as the shells
 * compose it (with the memory-reducing collections they run after start-up and after a burst of
 * renewals) and with V8's young generation kept small as they keep it, on 10,000 PocketBase
 * accounts against the emulator in its own process. Heap used and resident memory after a GC:
 * idle once the vault opened (what the start-up section measures in the shell), after every
 * account refreshed once, and after a second round (growth that goes on would show there); against
 * the same process with 0 accounts. A fresh process each. Then the bundled browser shell itself with
 * every account due at once, its resident memory watched as they renew. Nothing asserted.
 */
import { execFileSync } from 'node:child_process'
import { AFTER_BURST } from '../src/main/core/app/session-keeper.ts'
import { collectGarbage } from '../src/main/garbage-release.ts'
import { keepYoungGenerationSmall } from '../src/main/young-generation.ts'
import type { SeedAccount, Seeded } from './support/seed.ts'
import { quiet } from './support/quiet-logger.ts'
import { ratioTarget } from './support/targets.ts'

const ACCOUNTS = 10_000
const EMPTY_RUNS = 3
/** How long the shell is watched after its page painted: the renewals start some 45 s after it and take about 10. */
const SHELL_SECONDS = 90
/** The first seconds, before any renewal is due: the shell idle. */
const IDLE_SECONDS = 30

interface Moment {
  heapMiB: number
  rssMiB: number
}

interface Figures {
  idle: Moment
  refreshed: Moment
  again: Moment
}

async function settled(): Promise<Moment> {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('Run with node --expose-gc (npm run bench does).')
  // Past the pause after which the app takes a burst of renewals to be over (see AFTER_BURST).
  await new Promise((resolve) => setTimeout(resolve, AFTER_BURST.quietMs + 1000))
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    gc()
  }
  const { heapUsed, rss } = process.memoryUsage()
  return { heapMiB: heapUsed / 1048576, rssMiB: rss / 1048576 }
}

/** In the child: the seeded folder arrives on stdin (it names the vault key, which stays off the command line). */
async function measure(seeded: Seeded): Promise<Figures> {
  keepYoungGenerationSmall()
  const { composeSeeded } = await import('./support/compose-seeded.ts')
  // As the shells compose it: a memory-reducing collection after start-up and after each burst of renewals.
  const { latchkey } = composeSeeded(seeded, quiet)
  latchkey.subscribe((_event, payload) => JSON.stringify(payload).length)
  await latchkey.loadSecrets()
  collectGarbage()
  const idle = await settled()
  const round = async (): Promise<Moment> => {
    for (const id of seeded.ids) await latchkey.refresh(id)
    return settled()
  }
  const refreshed = await round()
  const again = await round()
  await latchkey.shutdown()
  return { idle, refreshed, again }
}

function run(seeded: Seeded): Figures {
  const out = execFileSync(process.execPath, ['--expose-gc', import.meta.filename, '--child'], { input: JSON.stringify(seeded), encoding: 'utf8', maxBuffer: 1 << 20 })
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Figures
}

/** The bundled browser shell's resident memory, sampled every second for `seconds` after its page first painted. */
async function shellMemory(seeded: Seeded, env: Record<string, string>, seconds: number): Promise<number[]> {
  const { startBundledShell, rssMiB } = await import('./support/shell.ts')
  const { painted } = await import('./support/painted.ts')
  const { launchChromium } = await import('./support/chromium.ts')
  const browser = await launchChromium()
  const shell = await startBundledShell(seeded.dataDir, env)
  try {
    // The vault opens, and the sessions come alive, once the page has painted (as a person opens it).
    const page = await browser.newPage()
    await painted(page, shell.url, '[data-app-state="ready"]')
    const samples: number[] = []
    for (let second = 0; second < seconds; second++) {
      await new Promise((resolve) => setTimeout(resolve, 1000))
      samples.push(rssMiB(shell.child.pid))
    }
    await page.close()
    return samples
  } finally {
    await shell.stop()
    await browser.close()
  }
}

/**
 * The same in the bundled browser shell, every account due at once: their tokens, two minutes long,
 * expire two minutes after they are written, so all are renewed together a minute before that (the
 * app's lead for such tokens), as after a wake from sleep. Against the shell with 0
 * accounts, sampled the same way.
 */
async function shellAfterBurst(template: SeedAccount): Promise<Record<string, string | number>[]> {
  const { seedDataDir } = await import('./support/seed.ts')
  const { startKeyringSession } = await import('../src/dev/keyring-session.ts')
  const { storeKey } = await import('./startup.ts')
  const session = await startKeyringSession()
  try {
    const empty = await shellMemory(seedDataDir(0, null), session.env, 10)
    const now = Date.now()
    const due = seedDataDir(ACCOUNTS, { ...template, session: { ...template.session, issuedAt: now, expiresAt: now + 120_000 } })
    await storeKey(session.env, due.keyName, due.keyItem)
    const samples = await shellMemory(due, session.env, SHELL_SECONDS)
    const base = empty.at(-1) ?? Number.NaN
    const settled = samples.at(-1) ?? Number.NaN
    const row = (what: string, mib: number): Record<string, string | number> => ({ shell: what, 'RSS MiB': mib.toFixed(1), 'vs 0 accounts': `${(mib / base).toFixed(2)}×` })
    // Idle again once the renewals are over: held to the idle figure's 1.5×.
    ratioTarget(`main-process RSS idle after all ${ACCOUNTS.toLocaleString('en-US')} renewed at once (the shell), vs 0 accounts`, settled / base, 1.5)
    return [
      row('0 accounts, idle', base),
      row(`${String(ACCOUNTS)} accounts, idle before the renewals (lowest of the first ${String(IDLE_SECONDS)} s)`, Math.min(...samples.slice(0, IDLE_SECONDS))),
      row('  the highest while they renew', Math.max(...samples)),
      row(`  ${String(SHELL_SECONDS)} s after the page painted (renewals over)`, settled),
    ]
  } finally {
    await session.stop()
  }
}

export async function benchRefreshedMemory(): Promise<void> {
  const { seedDataDir } = await import('./support/seed.ts')
  const { startPocketBaseProcess } = await import('./support/pocketbase-process.ts')
  const { signedInTemplate } = await import('./refresh-path.ts')
  const server = await startPocketBaseProcess()
  try {
    const empty = Array.from({ length: EMPTY_RUNS }, () => run(seedDataDir(0, null)).idle)
    const template = await signedInTemplate(server.url)
    const full = run(seedDataDir(ACCOUNTS, template))
    const baseline = [...empty].sort((a, b) => a.rssMiB - b.rssMiB)[Math.floor(EMPTY_RUNS / 2)] ?? { heapMiB: Number.NaN, rssMiB: Number.NaN }
    const row = (accounts: number, moment: string, figures: Moment): Record<string, string | number> => ({
      accounts,
      moment,
      'heap used MiB': figures.heapMiB.toFixed(1),
      'RSS MiB': figures.rssMiB.toFixed(1),
      'RSS vs 0 accounts': `${(figures.rssMiB / baseline.rssMiB).toFixed(2)}×`,
    })
    console.log(`\nThe app in one process (young generation kept small, as in the shells), after a GC: 0 accounts (median of ${String(EMPTY_RUNS)}) and ${String(ACCOUNTS)} PocketBase accounts refreshed against the emulator`)
    console.table([
      row(0, 'idle, vault open', baseline),
      row(ACCOUNTS, 'idle, vault open (no refresh yet)', full.idle),
      row(ACCOUNTS, 'after every account refreshed once', full.refreshed),
      row(ACCOUNTS, 'after a second round', full.again),
    ])
    console.log(`\nThe bundled browser shell with ${String(ACCOUNTS)} PocketBase accounts all due at once (as after a wake from sleep): resident memory sampled every second`)
    console.table(await shellAfterBurst(template))
  } finally {
    await server.stop()
  }
}

if (import.meta.main) {
  if (process.argv.includes('--child')) {
    const chunks: Buffer[] = []
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
    console.log(JSON.stringify(await measure(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Seeded)))
  } else {
    await benchRefreshedMemory()
  }
  process.exit(0)
}
