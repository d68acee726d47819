/**
 * The start-up index written during a session at 10,000 accounts (AccountStore.refreshIndex: the
 * entries taken and formatted in slices, the file written and flushed on the thread pool) against
 * the same index written in one piece on the main thread (saveIndex, as at quit). For each: the
 * longest the event loop waited (the longest gap between turns of a chain of setImmediate, and
 * perf_hooks.monitorEventLoopDelay's maximum at 1 ms resolution), the most CPU time the main thread
 * spent in one such gap (what a busy machine, taking the core away meanwhile, does not inflate), and
 * the wall time until the index is in place. Medians of RUNS, on a real data folder. Nothing
 * asserted.
 */
import { join } from 'node:path'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { accountFiles } from '../src/main/adapters/account-files.ts'
import { AccountStore } from '../src/main/core/accounts/account-store.ts'
import type { IndexedSettings } from '../src/main/core/accounts/startup-index.ts'
import { seedDataDir } from './support/seed.ts'
import { quiet } from './support/quiet-logger.ts'
import { template } from './startup.ts'

const ACCOUNTS = 10_000
const RUNS = 7

interface Stall {
  gapMs: number
  gapCpuMs: number
  monitorMs: number
  wallMs: number
}

/** Runs `work` while watching the event loop: the longest gap between its turns, and the monitor's maximum. */
async function watched(work: () => Promise<void> | void): Promise<Stall> {
  const monitor = monitorEventLoopDelay({ resolution: 1 })
  let longest = 0
  let longestCpu = 0
  let last = performance.now()
  let lastCpu = cpuMs()
  let watching = true
  const turn = (): void => {
    const now = performance.now()
    const cpu = cpuMs()
    longest = Math.max(longest, now - last)
    longestCpu = Math.max(longestCpu, cpu - lastCpu)
    last = now
    lastCpu = cpu
    if (watching) setImmediate(turn)
  }
  setImmediate(turn)
  await new Promise((resolve) => setTimeout(resolve, 20))
  monitor.enable()
  longest = 0
  longestCpu = 0
  const t0 = performance.now()
  await work()
  const wallMs = performance.now() - t0
  // A turn after the work, so a stall at its very end is seen.
  await new Promise((resolve) => setTimeout(resolve, 20))
  watching = false
  monitor.disable()
  return { gapMs: longest, gapCpuMs: longestCpu, monitorMs: monitor.max / 1e6, wallMs }
}

/** The main thread's CPU time so far (user and system), in ms. */
function cpuMs(): number {
  const { user, system } = process.threadCpuUsage()
  return (user + system) / 1000
}

function middle(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN
}

export async function benchSessionIndex(): Promise<void> {
  const seeded = seedDataDir(ACCOUNTS, template())
  const store = new AccountStore(accountFiles(join(seeded.dataDir, 'accounts')), quiet)
  const settings: IndexedSettings = { stamp: '1:1:1', order: seeded.ids, activeAccountId: seeded.ids[0] ?? null, records: {} }
  store.keepIndexFresh(() => settings, () => false, Date.now)
  // Old enough for a stamp (see file-stamp.ts).
  await new Promise((resolve) => setTimeout(resolve, 50))
  if (!store.saveIndex(settings)) throw new Error('The index could not be written.')
  const inSlices: Stall[] = []
  const inOnePiece: Stall[] = []
  for (let run = 0; run < RUNS; run++) {
    inSlices.push(await watched(() => store.refreshIndex()))
    inOnePiece.push(
      await watched(() => {
        store.saveIndex(settings)
      }),
    )
  }
  const row = (what: string, stalls: Stall[]): Record<string, string> => ({
    what,
    'longest gap between turns ms (median)': middle(stalls.map((s) => s.gapMs)).toFixed(1),
    '… worst run': Math.max(...stalls.map((s) => s.gapMs)).toFixed(1),
    'most main-thread CPU in one gap ms (median)': middle(stalls.map((s) => s.gapCpuMs)).toFixed(1),
    '… worst run ': Math.max(...stalls.map((s) => s.gapCpuMs)).toFixed(1),
    'event-loop delay max ms (median)': middle(stalls.map((s) => s.monitorMs)).toFixed(1),
    'wall ms (median)': middle(stalls.map((s) => s.wallMs)).toFixed(1),
  })
  console.log(`\nThe start-up index written at ${ACCOUNTS.toLocaleString('en-US')} accounts: how long the main thread's event loop waits (${String(RUNS)} runs each)`)
  console.table([row('during a session (in slices, written off the main thread)', inSlices), row('in one piece (as at quit)', inOnePiece)])
}

if (import.meta.main) {
  await benchSessionIndex()
  process.exit(0)
}
