/**
 * What keeping V8's young generation small (src/main/young-generation.ts, set by both shells) costs
 * in CPU: the whole refresh path at 10,000 accounts (as bench/refresh-path.ts runs it, the app in
 * one process against the PocketBase emulator) in fresh processes with the young generation kept
 * small and with V8's default growth, alternating. CPU per refresh over 2,000 refreshes after 400
 * warm-up ones, and the scavenges they took. Nothing asserted.
 */
import { execFileSync } from 'node:child_process'
import { PerformanceObserver, constants } from 'node:perf_hooks'
import { keepYoungGenerationSmall } from '../src/main/young-generation.ts'
import { quiet } from './support/quiet-logger.ts'

const ACCOUNTS = 10_000
const WARM_UP = 400
const REFRESHES = 2000
const RUNS = 3

interface Figures {
  cpuMs: number
  scavenges: number
  youngMiB: number
}

/** In the child: one measurement, printed as JSON. */
async function measure(): Promise<Figures> {
  if (process.env.LATCHKEY_BENCH_SMALL_YOUNG === '1') keepYoungGenerationSmall()
  const { getHeapSpaceStatistics } = await import('node:v8')
  const { composeSeeded } = await import('./support/compose-seeded.ts')
  const { seedDataDir } = await import('./support/seed.ts')
  const { startPocketBaseProcess } = await import('./support/pocketbase-process.ts')
  const { signedInTemplate } = await import('./refresh-path.ts')
  const server = await startPocketBaseProcess()
  try {
    const seeded = seedDataDir(ACCOUNTS, await signedInTemplate(server.url))
    const { latchkey } = composeSeeded(seeded, quiet)
    latchkey.subscribe((_event, payload) => JSON.stringify(payload).length)
    await latchkey.loadSecrets()
    const pick = (i: number): string => seeded.ids[(i * 7919) % seeded.ids.length] ?? ''
    for (let i = 0; i < WARM_UP; i++) await latchkey.refresh(pick(i))
    let scavenges = 0
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) scavenges++
    })
    observer.observe({ entryTypes: ['gc'] })
    const cpu = process.cpuUsage()
    for (let i = WARM_UP; i < WARM_UP + REFRESHES; i++) await latchkey.refresh(pick(i))
    const used = process.cpuUsage(cpu)
    await new Promise((resolve) => setTimeout(resolve, 50))
    observer.disconnect()
    const young = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')
    await latchkey.shutdown()
    return { cpuMs: (used.user + used.system) / 1000 / REFRESHES, scavenges, youngMiB: (young?.space_size ?? 0) / 1048576 }
  } finally {
    await server.stop()
  }
}

function run(smallYoung: boolean): Figures {
  const out = execFileSync(process.execPath, [import.meta.filename, '--child'], {
    env: { ...process.env, LATCHKEY_BENCH_SMALL_YOUNG: smallYoung ? '1' : '0' },
    encoding: 'utf8',
  })
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Figures
}

export function benchYoungGeneration(): Promise<void> {
  const rows: Record<string, string | number>[] = []
  const median = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN
  const small: Figures[] = []
  const grown: Figures[] = []
  for (let i = 0; i < RUNS; i++) {
    grown.push(run(false))
    small.push(run(true))
  }
  for (const [what, figures] of [['V8 default (young generation grows)', grown], ['young generation kept small (the shells)', small]] as const) {
    rows.push({
      'young generation': what,
      'CPU ms/refresh (median)': median(figures.map((f) => f.cpuMs)).toFixed(3),
      'each run': figures.map((f) => f.cpuMs.toFixed(3)).join(' / '),
      'scavenges per 1,000 refreshes': Math.round(median(figures.map((f) => f.scavenges)) / (REFRESHES / 1000)),
      'young generation MiB after': median(figures.map((f) => f.youngMiB)).toFixed(1),
    })
  }
  console.log(`\nRefresh path at ${String(ACCOUNTS)} accounts, ${String(REFRESHES)} refreshes after ${String(WARM_UP)} warm-up, fresh process each, alternating (${String(RUNS)} each)`)
  console.table(rows)
  const ratio = median(small.map((f) => f.cpuMs)) / median(grown.map((f) => f.cpuMs))
  console.log(`kept small vs default: ${ratio.toFixed(2)}× CPU per refresh`)
  return Promise.resolve()
}

if (import.meta.main) {
  if (process.argv.includes('--child')) {
    console.log(JSON.stringify(await measure()))
  } else {
    await benchYoungGeneration()
  }
  process.exit(0)
}
