/**
 * Start-up: Secret Service calls counted on the private D-Bus (dbus-monitor) at several account
 * counts, against the per-account keychain items of earlier versions read in one `findCredentials`;
 * the bundled browser shell from process start to the first frame painted with
 * `data-app-state="ready"` (watched from inside the page) in Chromium with 500 and 10,000 accounts
 * against a blank page from a trivial Node server (with the main thread's CPU to that moment, which
 * a busy machine blurs less than the time); the shell's resident memory idle with 10,000
 * accounts against 0; the renderer's initial JavaScript, gzipped. Same run, same
 * machine; nothing asserted. `node --expose-gc bench/startup.ts --shell` runs the shell part alone.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { gzipSync } from 'node:zlib'
import { chromium, type Browser } from '@playwright/test'
import { startKeyringSession, type KeyringSession } from '../src/dev/keyring-session.ts'
import { accountFiles } from '../src/main/adapters/account-files.ts'
import { keychainWorkerStore } from '../src/main/adapters/keychain-worker/client.ts'
import { forkedKeychainWorker } from '../src/main/adapters/keychain-worker/node-worker.ts'
import { openConfSettings } from '../src/main/adapters/conf-settings.ts'
import { composeLatchkey } from '../src/main/compose.ts'
import type { Logger } from '../src/main/core/ports.ts'
import { countSecretServiceCalls } from './support/dbus-count.ts'
import { painted } from './support/painted.ts'
import { seedDataDir, type SeedAccount } from './support/seed.ts'
import { mainThreadCpuMs, rssMiB, ROOT, startBlankServer, startBundledShell, type RunningShell } from './support/shell.ts'

const quiet: Logger = { info() {}, warn() {}, error() {} }
const WORKER = resolve(ROOT, 'src/main/adapters/keychain-worker/worker.ts')
const SERVICE = 'Latchkey Dev'

/** An OpenID Connect account whose session is good for a day: nothing is refreshed during the bench. */
export function template(): SeedAccount {
  const now = Date.now()
  return {
    provider: 'oidc',
    config: { issuer: 'https://id.example.test', clientId: 'bench' },
    identity: { subject: 'bench', name: 'Bench', email: 'bench@example.test' },
    profile: { name: 'Bench' },
    session: { accessToken: `at-${'x'.repeat(800)}`, refreshToken: 'rt-bench', idToken: null, tokenType: 'bearer', scopes: ['openid'], expiresAt: now + 86_400_000, issuedAt: now },
  }
}

function middle(samples: number[]): number {
  return [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? Number.NaN
}

export async function median(runs: number, work: () => Promise<number>): Promise<number> {
  const samples: number[] = []
  for (let i = 0; i < runs; i++) samples.push(await work())
  return samples.sort((a, b) => a - b)[Math.floor(runs / 2)] ?? 0
}

export async function storeKey(env: Record<string, string>, name: string, item: string): Promise<void> {
  const store = keychainWorkerStore(forkedKeychainWorker(WORKER, { ...process.env, ...env }), SERVICE)
  await store.set(name, item)
  store.stop()
}

async function secretServiceFigures(session: KeyringSession): Promise<void> {
  const rows: Record<string, string | number>[] = []
  for (const count of [10, 1000, 10_000]) {
    const seeded = seedDataDir(count, template())
    await storeKey(session.env, seeded.keyName, seeded.keyItem)
    const counter = await countSecretServiceCalls(session.env)
    const store = keychainWorkerStore(forkedKeychainWorker(WORKER, { ...process.env, ...session.env }), SERVICE)
    const t0 = performance.now()
    const { latchkey } = composeLatchkey({
      shell: 'browser',
      version: 'bench',
      settings: openConfSettings({ cwd: seeded.dataDir }),
      accountFiles: accountFiles(join(seeded.dataDir, 'accounts')),
      secrets: { store },
      browser: { open: () => Promise.resolve() },
      clipboard: null,
      logger: quiet,
    })
    const listMs = performance.now() - t0
    const beforePaint = counter.calls
    const t1 = performance.now()
    await latchkey.loadSecrets()
    const loadMs = performance.now() - t1
    await new Promise((r) => setTimeout(r, 300))
    const signedIn = latchkey.accounts().filter((a) => a.status === 'signed-in').length
    latchkey.dispose()
    store.stop()
    await counter.stop()
    rows.push({ what: `vault, ${String(count)} accounts`, 'calls before the list': beforePaint, 'calls at start-up': counter.calls - beforePaint, 'list ms': listMs.toFixed(1), 'key read + open all ms': loadMs.toFixed(1), 'signed in': signedIn })
  }
  for (const count of [10, 50]) {
    // What earlier versions did: one keychain item per account, read with findCredentials.
    const service = `Latchkey Bench Legacy ${String(count)}`
    const seeder = keychainWorkerStore(forkedKeychainWorker(WORKER, { ...process.env, ...session.env }), service)
    for (let i = 0; i < count; i++) await seeder.set(`acct-${String(i)}`, JSON.stringify(template().session))
    seeder.stop()
    const counter = await countSecretServiceCalls(session.env)
    const store = keychainWorkerStore(forkedKeychainWorker(WORKER, { ...process.env, ...session.env }), service)
    const t = performance.now()
    const items = await store.loadAll()
    const ms = performance.now() - t
    await new Promise((r) => setTimeout(r, 300))
    store.stop()
    await counter.stop()
    rows.push({ what: `baseline: per-account items, ${String(count)} accounts (findCredentials)`, 'calls before the list': '-', 'calls at start-up': counter.calls, 'key read + open all ms': ms.toFixed(1), 'signed in': items.size })
  }
  console.log('\nSecret Service method calls at start-up, counted on the private D-Bus with dbus-monitor (a fresh keychain worker each time)')
  console.table(rows)
}

async function untilReady(browser: Browser, shell: RunningShell): Promise<number> {
  const page = await browser.newPage()
  try {
    const ready = await painted(page, shell.url, '[data-app-state="ready"]')
    return ready.epoch - (performance.timeOrigin + shell.spawnedAt)
  } finally {
    await page.close()
  }
}

async function chromiumFigures(session: KeyringSession): Promise<void> {
  const browser = await chromium.launch({ executablePath: process.env.LATCHKEY_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
  try {
    const blank = await median(5, async () => {
      const server = await startBlankServer()
      try {
        return await untilReady(browser, server)
      } finally {
        await server.stop()
      }
    })
    const rows: Record<string, string | number>[] = [{ start: 'baseline: blank page from a trivial Node server', 'ms to ready': blank.toFixed(0), 'vs blank': '1.00×' }]
    const memory: Record<string, string | number>[] = []
    for (const count of [0, 500, 10_000]) {
      // As Latchkey leaves a data folder after a crash (or before its first start): no start-up
      // index. The first start reads every account file and leaves one; the timed starts after it
      // find the index a clean quit leaves.
      const seeded = seedDataDir(count, template())
      await storeKey(session.env, seeded.keyName, seeded.keyItem)
      const counter = await countSecretServiceCalls(session.env)
      let beforePage = 0
      // The main thread's CPU from spawn to ready, for each kind of start: what a busy machine's
      // waiting (for a core, for the browser) does not blur.
      const cpu = new Map<string, number[]>()
      const start = async (what: string, options = { memory: true }): Promise<number> => {
        const atSpawn = counter.calls
        const shell = await startBundledShell(seeded.dataDir, session.env)
        try {
          beforePage = counter.calls - atSpawn
          const ready = await untilReady(browser, shell)
          cpu.set(what, [...(cpu.get(what) ?? []), mainThreadCpuMs(shell.child.pid)])
          if (options.memory && (count === 0 || count === 10_000)) {
            await new Promise((r) => setTimeout(r, 3000))
            memory.push({ accounts: count, start: what, 'main process RSS MiB (idle)': rssMiB(shell.child.pid).toFixed(1) })
          }
          return ready
        } finally {
          await shell.stop()
        }
      }
      const first = await start('no start-up index')
      // The memory baseline is a median of three starts too (one start's figure swings by a few MiB).
      if (count === 0) for (let i = 0; i < 2; i++) await start('after a clean quit')
      const ms = count === 0 ? first : await median(3, () => start('after a clean quit'))
      // Two more starts without the index (as after a crash: deleted before each), for a median of three.
      const again = (): Promise<number> => {
        rmSync(join(seeded.dataDir, 'accounts', 'index'), { force: true })
        return start('no start-up index', { memory: false })
      }
      const withoutIndex = count === 0 ? first : [first, await again(), await again()].sort((a, b) => a - b)[1] ?? first
      await counter.stop()
      if (count === 0) continue
      const cpuMs = (what: string): string => middle(cpu.get(what) ?? []).toFixed(0)
      rows.push({ start: `Latchkey browser shell (bundled), ${String(count)} accounts`, 'ms to ready': ms.toFixed(0), 'vs blank': `${(ms / blank).toFixed(2)}×`, 'keychain calls before the page': beforePage, 'main thread CPU ms': cpuMs('after a clean quit') })
      rows.push({ start: `  the same, no start-up index (first start, or after a crash)`, 'ms to ready': withoutIndex.toFixed(0), 'vs blank': `${(withoutIndex / blank).toFixed(2)}×`, 'keychain calls before the page': '-', 'main thread CPU ms': cpuMs('no start-up index') })
    }
    console.log('\nProcess start → first frame painted with data-app-state="ready" in Chromium, watched from inside the page (medians)')
    console.table(rows)
    const samples = (accounts: number): number[] =>
      memory
        .filter((m) => m.accounts === accounts && (accounts === 0 || m.start !== 'no start-up index'))
        .map((m) => Number(m['main process RSS MiB (idle)']))
        .sort((a, b) => a - b)
    const idle = (accounts: number): number => samples(accounts)[Math.floor(samples(accounts).length / 2)] ?? Number.NaN
    const range = (accounts: number): string => `${String(samples(accounts)[0])}–${String(samples(accounts).at(-1))} MiB`
    console.log('\nMain-process resident memory, idle after the page loaded and the vault opened')
    console.table(memory)
    console.log(`10,000 accounts vs 0 (medians of three starts; 10,000: the starts after a clean quit): ${(idle(10_000) / idle(0)).toFixed(2)}× (0 accounts: ${range(0)}; 10,000: ${range(10_000)})`)
  } finally {
    await browser.close()
  }
}

function rendererFigures(): void {
  const dir = resolve(ROOT, 'out/renderer')
  const html = readFileSync(join(dir, 'index.html'), 'utf8')
  const initial = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1] as string)
  const rows = initial.map((file) => {
    const bytes = readFileSync(join(dir, file))
    return { file, bytes: bytes.length, gzipped: gzipSync(bytes, { level: 9 }).length }
  })
  const all = readdirSync(join(dir, 'assets')).filter((f) => f.endsWith('.js'))
  console.log('\nRenderer: what index.html loads before the first paint')
  console.table(rows)
  const js = rows.filter((r) => r.file.endsWith('.js'))
  const raw = js.reduce((n, r) => n + r.bytes, 0)
  const gz = js.reduce((n, r) => n + r.gzipped, 0)
  console.log(`initial JS: ${(gz / 1024).toFixed(1)} KiB gzipped (${(raw / 1024).toFixed(1)} KiB raw, ratio ${(gz / raw).toFixed(2)}); ${String(all.length)} JS file(s) built`)
}

export async function benchStartup(): Promise<void> {
  const session = await startKeyringSession()
  try {
    await secretServiceFigures(session)
    await chromiumFigures(session)
  } finally {
    await session.stop()
  }
  rendererFigures()
}

if (import.meta.main) {
  // `node --expose-gc bench/startup.ts --shell`: only the browser shell's start-up and memory.
  if (process.argv.includes('--shell')) {
    const session = await startKeyringSession()
    try {
      await chromiumFigures(session)
    } finally {
      await session.stop()
    }
  } else {
    await benchStartup()
  }
  process.exit(0)
}
