/**
 * Memory once every account has refreshed: the whole app in one process, composed as the shells
 * compose it (with the memory-reducing collections they run after start-up and after a burst of
 * renewals) and with V8's young generation kept small as they keep it, on 10,000 PocketBase
 * accounts against the emulator in its own process. Heap used and resident memory after a GC:
 * idle once the vault opened (what the start-up section measures in the shell), after every
 * account refreshed once, and after a second round (growth that goes on would show there); against
 * the same process with 0 accounts. A fresh process each. Nothing asserted.
 */
import { execFileSync } from 'node:child_process'
import { AFTER_BURST } from '../src/main/core/app/session-keeper.ts'
import type { Logger } from '../src/main/core/ports.ts'
import { collectGarbage } from '../src/main/startup-garbage.ts'
import { keepYoungGenerationSmall } from '../src/main/young-generation.ts'
import type { Seeded } from './support/seed.ts'

const ACCOUNTS = 10_000
const EMPTY_RUNS = 3
const quiet: Logger = { info() {}, warn() {}, error() {} }

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

export async function benchRefreshedMemory(): Promise<void> {
  const { seedDataDir } = await import('./support/seed.ts')
  const { startPocketBaseProcess } = await import('./support/pocketbase-process.ts')
  const { signedInTemplate } = await import('./refresh-path.ts')
  const server = await startPocketBaseProcess()
  try {
    const empty = Array.from({ length: EMPTY_RUNS }, () => run(seedDataDir(0, null)).idle)
    const full = run(seedDataDir(ACCOUNTS, await signedInTemplate(server.url)))
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
