/**
 * Start-up: Secret Service calls counted on the private D-Bus (dbus-monitor) at several account
 * counts, against the per-account keychain items of earlier versions read in one `findCredentials`;
 * the bundled browser shell from process start to the first frame painted with
 * `data-app-state="ready"` (watched from inside the page) in Chromium with 500 and 10,000 accounts
 * against a blank page from a trivial Node server started just before each start (with the main
 * thread's CPU to that moment, the app's and its blank's, which a busy machine blurs less than the time, and the time to
 * the address each printed, before which the browser cannot be sent to it); the shell's resident memory idle with 10,000
 * accounts against 0; the renderer's initial JavaScript, gzipped. Same run, same
 * machine; nothing asserted. `node --expose-gc bench/startup.ts --shell` runs the shell part alone.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { gzipSync } from 'node:zlib'
import type { Browser } from '@playwright/test'
import { launchChromium } from './support/chromium.ts'
import { startKeyringSession, type KeyringSession } from '../src/dev/keyring-session.ts'
import { accountFiles } from '../src/main/adapters/account-files.ts'
import { bootId } from '../src/main/adapters/boot-id.ts'
import { journalHead, journalLine } from '../src/main/core/accounts/startup-index.ts'
import { keychainWorkerStore } from '../src/main/adapters/keychain-worker/client.ts'
import { forkedKeychainWorker } from '../src/main/adapters/keychain-worker/node-worker.ts'
import { openConfSettings } from '../src/main/adapters/conf-settings.ts'
import { composeLatchkey } from '../src/main/compose.ts'
import { countSecretServiceCalls } from '../src/dev/dbus-count.ts'
import { painted } from './support/painted.ts'
import { seedDataDir, type SeedAccount } from './support/seed.ts'
import { mainThreadCpuMs, rssMiB, ROOT, startBlankServer, startBundledShell, type RunningShell } from './support/shell.ts'
import { quiet } from './support/quiet-logger.ts'
import { countTarget, ratioTarget } from './support/targets.ts'

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

/** The median of the ratios of paired starts (each against the blank start made just before it). */
function pairRatio(pairs: { ms: number; blank: number }[]): number {
  return middle(pairs.map((pair) => pair.ms / pair.blank))
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
  const beforeList: number[] = []
  const atStart: number[] = []
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
    beforeList.push(beforePaint)
    atStart.push(counter.calls)
  }
  countTarget('Secret Service calls at start-up, on D-Bus (10 / 1,000 / 10,000 accounts)', atStart, 1)
  countTarget('… of them before the list is drawn', beforeList, 0)
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

/**
 * What a crash (kill -9) leaves when `written` accounts were written since the start-up index: the
 * index, and the journal naming them (see startup-index.ts). Their files need not change: a start
 * reads every file the journal names.
 */
function leaveCrashJournal(dataDir: string, written: string[]): void {
  writeFileSync(join(dataDir, 'accounts', 'journal'), journalHead(bootId() ?? '') + written.map((id) => journalLine(id)).join(''))
}

/**
 * Starts of each kind (with the start-up index, after a crash with 1%, a quarter or all of the
 * accounts written since it, without it or its settings part: a first start) per account count, each paired
 * with a blank start. Nine: with five, the median pair ratio of one
 * build swung from 2.0 to 3.0× between runs at 10,000 accounts (the blank start alone ranged
 * 184–299 ms).
 */
const ROUNDS = 9

async function chromiumFigures(session: KeyringSession): Promise<void> {
  const browser = await launchChromium()
  try {
    // Each Latchkey start is compared with a blank start made just before it, so both meet the
    // same load (the machine is shared): the ratio is the median of those pairs' ratios.
    const blankStart = async (): Promise<{ ms: number; cpu: number; address: number }> => {
      const server = await startBlankServer()
      try {
        const ms = await untilReady(browser, server)
        return { ms, cpu: mainThreadCpuMs(server.child.pid), address: server.addressAt - server.spawnedAt }
      } finally {
        await server.stop()
      }
    }
    const rows: Record<string, string | number>[] = []
    const blanks: number[] = []
    const memory: Record<string, string | number>[] = []
    for (const count of [0, 500, 10_000]) {
      // As Latchkey leaves a data folder before its first start: no start-up index. The first start
      // reads every account file and leaves one at its clean quit; the starts after it take turns:
      // that index; the index with a journal naming 1% of the accounts (a crash within minutes of
      // a start: renewals so far), a quarter of them (a crash late in a long session: the index is
      // written anew during a session once its journal names a quarter of the accounts, see
      // startup-journal.ts, so this is about the most it names then), or all of them (a crash
      // right after every account was renewed within the five minutes an index written during the
      // session waits for the next); no index and no journal (as before a first start, or after a
      // power cut while Latchkey ran, when the journal vouches for nothing).
      const seeded = seedDataDir(count, template())
      await storeKey(session.env, seeded.keyName, seeded.keyItem)
      const counter = await countSecretServiceCalls(session.env)
      let beforePage = 0
      // Per kind of start: ms to ready, its blank's, the main thread's CPU from spawn to ready (both)
      // (what a busy machine's waiting, for a core or for the browser, does not blur), and ms from
      // spawn to the address printed (both): until then the browser cannot be sent to the page.
      const samples = new Map<string, { ms: number; blank: number; cpu: number; blankCpu: number; address: number; blankAddress: number }[]>()
      const start = async (what: string, options = { memory: true }): Promise<void> => {
        const { ms: blank, cpu: blankCpu, address: blankAddress } = await blankStart()
        blanks.push(blank)
        const atSpawn = counter.calls
        const shell = await startBundledShell(seeded.dataDir, session.env)
        try {
          beforePage = counter.calls - atSpawn
          const ms = await untilReady(browser, shell)
          samples.set(what, [...(samples.get(what) ?? []), { ms, blank, cpu: mainThreadCpuMs(shell.child.pid), blankCpu, address: shell.addressAt - shell.spawnedAt, blankAddress }])
          if (options.memory && (count === 0 || count === 10_000)) {
            await new Promise((r) => setTimeout(r, 3000))
            memory.push({ accounts: count, start: what, 'main process RSS MiB (idle)': rssMiB(shell.child.pid).toFixed(1) })
          }
        } finally {
          await shell.stop()
        }
      }
      await start('first start', { memory: count === 0 })
      // The memory baseline is a median of three starts too (one start's figure swings by a few MiB).
      for (let round = 0; round < (count === 0 ? 2 : ROUNDS); round++) {
        await start('after a clean quit')
        if (count === 0) continue
        leaveCrashJournal(seeded.dataDir, seeded.ids.slice(0, Math.ceil(count / 100)))
        await start('crash, 1% written', { memory: false })
        leaveCrashJournal(seeded.dataDir, seeded.ids.slice(0, Math.ceil(count / 4)))
        await start('crash, a quarter written', { memory: false })
        leaveCrashJournal(seeded.dataDir, seeded.ids)
        await start('crash, all written', { memory: false })
        rmSync(join(seeded.dataDir, 'accounts', 'index'), { force: true })
        rmSync(join(seeded.dataDir, 'accounts', 'journal'), { force: true })
        await start('neither', { memory: false })
      }
      await counter.stop()
      if (count === 0) continue
      const row = (start: string, what: string, extra: Record<string, string | number>): Record<string, string | number> => {
        const kind = samples.get(what) ?? []
        const ratios = kind.map((s) => s.ms / s.blank).sort((a, b) => a - b)
        return {
          start,
          'ms to ready': middle(kind.map((s) => s.ms)).toFixed(0),
          'its blanks': middle(kind.map((s) => s.blank)).toFixed(0),
          'vs blank': `${pairRatio(kind).toFixed(2)}×`,
          'pairs (min–max)': `${(ratios[0] ?? Number.NaN).toFixed(2)}–${(ratios.at(-1) ?? Number.NaN).toFixed(2)}×`,
          ...extra,
          'main thread CPU ms': middle(kind.map((s) => s.cpu)).toFixed(0),
          // The blank server's, to ready in its page: what any Node server costs the same way.
          "its blanks' CPU ms": middle(kind.map((s) => s.blankCpu)).toFixed(0),
          'ms to its address': middle(kind.map((s) => s.address)).toFixed(0),
          "its blanks'": middle(kind.map((s) => s.blankAddress)).toFixed(0),
        }
      }
      rows.push(row(`Latchkey browser shell (bundled), ${String(count)} accounts`, 'after a clean quit', { 'keychain calls before the page': beforePage }))
      rows.push(row('  the same after a crash, 1% written since the index', 'crash, 1% written', { 'keychain calls before the page': '-' }))
      rows.push(row('  the same after a crash late in a long session, a quarter written since the index', 'crash, a quarter written', { 'keychain calls before the page': '-' }))
      rows.push(row('  the same after a crash, all written since the index (a burst within five minutes)', 'crash, all written', { 'keychain calls before the page': '-' }))
      rows.push(row('  the same, no index at all (first start)', 'neither', { 'keychain calls before the page': '-' }))
      const limit = count === 500 ? 2 : 2.5
      ratioTarget(`start-up to ready, ${count.toLocaleString('en-US')} accounts, vs a blank page`, pairRatio(samples.get('after a clean quit') ?? []), limit)
      ratioTarget(`… the same after a crash, 1% of the accounts written since the start-up index`, pairRatio(samples.get('crash, 1% written') ?? []), limit)
      ratioTarget(`… the same after a crash late in a long session (a quarter written since the index written during it)`, pairRatio(samples.get('crash, a quarter written') ?? []), limit)
      ratioTarget(`… the same after a crash, all of them written since it (every account renewed within five minutes)`, pairRatio(samples.get('crash, all written') ?? []), limit)
      ratioTarget(`… the same without any index (as at a first start)`, pairRatio(samples.get('neither') ?? []), limit)
    }
    console.log(`\nProcess start → first frame painted with data-app-state="ready" in Chromium, watched from inside the page: medians of ${String(ROUNDS)} starts of each kind, each against a blank page from a trivial Node server started just before it (${String(blanks.length)} blank starts: median ${middle(blanks).toFixed(0)} ms, ${Math.min(...blanks).toFixed(0)}–${Math.max(...blanks).toFixed(0)})`)
    console.table(rows)
    const samples = (accounts: number): number[] =>
      memory
        .filter((m) => m.accounts === accounts && (accounts === 0 || m.start === 'after a clean quit'))
        .map((m) => Number(m['main process RSS MiB (idle)']))
        .sort((a, b) => a - b)
    const idle = (accounts: number): number => samples(accounts)[Math.floor(samples(accounts).length / 2)] ?? Number.NaN
    const range = (accounts: number): string => `${String(samples(accounts)[0])}–${String(samples(accounts).at(-1))} MiB`
    console.log('\nMain-process resident memory, idle after the page loaded and the vault opened')
    console.table(memory)
    console.log(`10,000 accounts vs 0 (medians; 10,000: the starts after a clean quit): ${(idle(10_000) / idle(0)).toFixed(2)}× (0 accounts: ${range(0)}; 10,000: ${range(10_000)})`)
    ratioTarget('main-process RSS idle, 10,000 accounts vs 0', idle(10_000) / idle(0), 1.5)
  } finally {
    await browser.close()
  }
}

function rendererFigures(): void {
  const dir = resolve(ROOT, 'out/renderer')
  const html = readFileSync(join(dir, 'index.html'), 'utf8')
  // The page holds the app's script and styles; the browser shell writes the bridge into its head.
  const inline = (tag: string): number => [...html.matchAll(new RegExp(`<${tag}\\b[^>]*>([\\s\\S]*?)</${tag}>`, 'g'))].reduce((n, m) => n + Buffer.byteLength(m[1] ?? ''), 0)
  const size = (bytes: Buffer): { bytes: number; gzipped: number } => ({ bytes: bytes.length, gzipped: gzipSync(bytes, { level: 9 }).length })
  const files = [...html.matchAll(/(?:src|href)="\.?\/?([^"#?:]+\.(?:js|css))"/g)].map((m) => m[1] as string)
  const rows = [
    { part: 'index.html (app script and styles inline)', ...size(Buffer.from(html)) },
    { part: 'the bridge, written into the page by the browser shell', ...size(readFileSync(join(dir, 'web-bridge.js'))) },
    ...files.map((file) => ({ part: `file: ${file}`, ...size(readFileSync(join(dir, file))) })),
  ]
  console.log('\nRenderer: what the first paint needs (the page, and any file it asks for)')
  console.table(rows)
  console.log(`inline in index.html: ${(inline('script') / 1024).toFixed(1)} KiB of script, ${(inline('style') / 1024).toFixed(1)} KiB of styles; ${String(files.length)} file(s) asked for`)
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
