/**
 * `npm run bench -- --soak`: 1,000 PocketBase accounts on 60-second tokens, kept fresh by the app
 * for 10 minutes (LATCHKEY_SOAK_SECONDS to change it) against the emulator in its own process.
 * Reports resident memory over time (after a warm-up minute, sampled after a GC), every refresh per
 * account, refreshes missed (a session that expired or needs attention) and doubled (two refreshes
 * of one account within 20 seconds). Nothing asserted.
 *
 * Seeding: each account signs in on its own, the sign-ins paced evenly over the 30 seconds before
 * the app starts, so their tokens expire spread over time as a real population's do (people sign in
 * at different moments), and none has expired when the app starts. Every account then refreshes on
 * its own cycle (about every 28.5 s: 30 s plus up to 3 s of jitter before expiry). The app logs
 * into its data folder's log as the shells make it.
 */
import { join } from 'node:path'
import { jsonLogger, type FileLogger } from '../src/main/adapters/json-logger.ts'
import type { Logger } from '../src/main/core/ports.ts'
import { signedInTemplate } from './refresh-path.ts'
import type { SeedAccount } from './support/seed.ts'
import { startPocketBaseProcess } from './support/pocketbase-process.ts'
import { composeSeeded } from './support/compose-seeded.ts'
import { seedDataDir } from './support/seed.ts'
import { countTarget, printTargets, ratioTarget } from './support/targets.ts'

const ACCOUNTS = 1000
const SIGN_IN_SPREAD_MS = 30_000

/** One sign-in per account, paced evenly over SIGN_IN_SPREAD_MS (later when the machine cannot keep up). */
async function spreadSignIns(url: string): Promise<SeedAccount[]> {
  const started = Date.now()
  const sessions: SeedAccount[] = []
  for (let i = 0; i < ACCOUNTS; i++) {
    const wait = started + (i * SIGN_IN_SPREAD_MS) / ACCOUNTS - Date.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    sessions.push(await signedInTemplate(url))
  }
  console.log(`seeded: ${String(ACCOUNTS)} sign-ins in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  return sessions
}
const seconds = Number(process.env.LATCHKEY_SOAK_SECONDS ?? 600)
const gc = (globalThis as { gc?: () => void }).gc

export async function benchSoak(): Promise<void> {
  const server = await startPocketBaseProcess(60)
  const refreshes = new Map<string, number[]>()
  const warnings = new Map<string, number>()
  // Every line also goes to the app's log in the data folder, as the shells log (see json-logger.ts).
  let file: FileLogger | null = null
  const logger: Logger = {
    info(event, fields) {
      file?.info(event, fields)
      if (event !== 'refresh.ok') return
      const id = String(fields?.['accountId'])
      refreshes.set(id, [...(refreshes.get(id) ?? []), Date.now()])
    },
    warn(event, fields) {
      file?.warn(event, fields)
      warnings.set(event, (warnings.get(event) ?? 0) + 1)
    },
    error(event, fields) {
      file?.error(event, fields)
      warnings.set(event, (warnings.get(event) ?? 0) + 1)
    },
  }
  try {
    const sessions = await spreadSignIns(server.url)
    const seeded = seedDataDir(ACCOUNTS, (i) => sessions[i] as SeedAccount)
    file = jsonLogger({ file: join(seeded.dataDir, 'logs', 'latchkey.log'), gather: true })
    const { latchkey } = composeSeeded(seeded, logger)
    let events = 0
    latchkey.subscribe((_event, payload) => {
      events += JSON.stringify(payload).length > 0 ? 1 : 0
    })
    await latchkey.loadSecrets()
    const started = Date.now()
    const samples: { at: number; rssMiB: number }[] = []
    let missed = 0
    while (Date.now() - started < seconds * 1000) {
      await new Promise((resolve) => setTimeout(resolve, 10_000))
      const now = Date.now()
      missed += latchkey.accounts().filter((a) => a.status === 'needs-attention' || (a.expiresAt !== null && Date.parse(a.expiresAt) < now)).length
      if (now - started >= 60_000) {
        gc?.()
        samples.push({ at: Math.round((now - started) / 1000), rssMiB: process.memoryUsage().rss / 1024 / 1024 })
      }
    }
    await latchkey.shutdown()
    file.flush()
    const counts = [...refreshes.values()].map((times) => times.length)
    const doubled = [...refreshes.values()].reduce((n, times) => n + times.slice(1).filter((t, i) => t - (times[i] ?? 0) < 20_000).length, 0)
    const rss = samples.map((s) => s.rssMiB)
    const first = rss[0] ?? Number.NaN
    const last = rss.at(-1) ?? Number.NaN
    console.log(`\nSoak: ${String(ACCOUNTS)} PocketBase accounts on 60-second tokens for ${String(seconds)} s`)
    console.table([
      {
        refreshes: counts.reduce((a, b) => a + b, 0),
        'accounts refreshed': refreshes.size,
        'per account min/max': `${String(Math.min(...counts))}/${String(Math.max(...counts))}`,
        'missed (expired or needs attention, summed over 10-s samples)': missed,
        'doubled (< 20 s apart)': doubled,
        'never refreshed': ACCOUNTS - refreshes.size,
        events,
      },
    ])
    if (warnings.size > 0) console.log('warnings and errors logged:', Object.fromEntries(warnings))
    console.table([
      {
        'RSS MiB first': first.toFixed(1),
        'RSS MiB last': last.toFixed(1),
        'RSS MiB max': Math.max(...rss).toFixed(1),
        'RSS MiB min': Math.min(...rss).toFixed(1),
        'last vs first': `${(((last - first) / first) * 100).toFixed(1)} %`,
      },
    ])
    ratioTarget('soak: RSS flat (highest vs lowest sample, from the first minute on)', Math.max(...rss) / Math.min(...rss), 1.05)
    countTarget('soak: refreshes missed / doubled', [missed, doubled], 0)
    printTargets()
  } finally {
    await server.stop()
  }
}

if (import.meta.main) await benchSoak()
