/**
 * Startup benchmark: how many keychain calls happen before the account list is ready (must be
 * none: secrets are read after the first paint), how many when the secrets are read (must be one
 * batch), against reading the same secrets one call per account, measured in the same run on a
 * real gnome-keyring. Also the renderer's initial JavaScript size, gzipped.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { gzipSync } from 'node:zlib'
import { openConfSettings } from '../src/main/adapters/conf-settings.ts'
import { accountFiles } from '../src/main/adapters/account-files.ts'
import { keychainWorkerStore } from '../src/main/adapters/keychain-worker/client.ts'
import { forkedKeychainWorker } from '../src/main/adapters/keychain-worker/node-worker.ts'
import { composeLatchkey } from '../src/main/compose.ts'
import type { Logger, SecretStore } from '../src/main/core/ports.ts'
import { startKeyringSession } from '../src/dev/keyring-session.ts'

const ACCOUNTS = 50
const quiet: Logger = { info() {}, warn() {}, error() {} }

function counting(store: SecretStore): SecretStore & { calls: number } {
  const counted = {
    calls: 0,
    get: (k: string) => (counted.calls++, store.get(k)),
    loadAll: () => (counted.calls++, store.loadAll()),
    set: (k: string, v: string) => (counted.calls++, store.set(k, v)),
    delete: (k: string) => (counted.calls++, store.delete(k)),
  }
  return counted
}

async function keychainFigures(): Promise<void> {
  const session = await startKeyringSession()
  Object.assign(process.env, session.env)
  try {
    const service = `Latchkey Bench ${process.pid}`
    const worker = keychainWorkerStore(forkedKeychainWorker(resolve(import.meta.dirname, '../src/main/adapters/keychain-worker/worker.ts')), service)
    const loaded = { store: worker }
    const dataDir = mkdtempSync(join(tmpdir(), 'lk-bench-'))
    const settings = openConfSettings({ cwd: dataDir, configName: 'settings' })
    const now = Date.now()
    const accounts = Array.from({ length: ACCOUNTS }, (_, i) => ({
      id: `acct-${i}`,
      label: `Account ${i}`,
      provider: 'oidc' as const,
      config: { issuer: 'https://id.example.test', clientId: 'bench' },
      identity: { subject: `user-${i}`, name: null, email: null },
      profile: {},
      createdAt: new Date(now).toISOString(),
      lastRefreshAt: null,
      expiresAt: null,
      attention: null,
      signedOut: false,
    }))
    settings.store.write({ accounts, activeAccountId: 'acct-0' })
    const secret = (i: number) =>
      JSON.stringify({ v: 1, config: {}, session: { accessToken: `at-${i}-${'x'.repeat(800)}`, refreshToken: `rt-${i}`, idToken: null, tokenType: 'bearer', scopes: ['openid'], expiresAt: now + 3_600_000, issuedAt: now } })
    for (let i = 0; i < ACCOUNTS; i++) await loaded.store.set(`acct-${i}`, secret(i))
    const legacy = new Map(Array.from({ length: ACCOUNTS }, (_, i) => [`acct-${i}`, secret(i)]))

    // Warm the D-Bus connection so no row pays for opening it.
    const keytar = (await import('keytar')).default
    await keytar.getPassword(service, 'warm-up')

    // The first start moves the per-account items into the vault; the figures are for the start after it.
    const first = composeLatchkey({
      shell: 'browser',
      version: 'bench',
      settings,
      accountFiles: accountFiles(join(dataDir, 'accounts')),
      secrets: { store: loaded.store },
      browser: { open: () => Promise.resolve() },
      clipboard: null,
      logger: quiet,
    })
    await first.latchkey.loadSecrets()
    await first.latchkey.shutdown()

    const store = counting(loaded.store)
    const t0 = performance.now()
    const { latchkey } = composeLatchkey({
      shell: 'browser',
      version: 'bench',
      settings,
      accountFiles: accountFiles(join(dataDir, 'accounts')),
      secrets: { store },
      browser: { open: () => Promise.resolve() },
      clipboard: null,
      logger: quiet,
    })
    const listed = latchkey.accounts()
    const listReadyMs = performance.now() - t0
    const callsBeforeList = store.calls
    const t1 = performance.now()
    await latchkey.loadSecrets()
    const batchMs = performance.now() - t1
    const batchCalls = store.calls - callsBeforeList
    latchkey.dispose()

    // Baselines, same run, same keyring: one read per account; each variant timed 5 times (median).
    const serialMs = await median(async () => {
      for (let i = 0; i < ACCOUNTS; i++) await keytar.getPassword(service, `acct-${i}`)
    })
    const parallelMs = await median(() => Promise.all(Array.from({ length: ACCOUNTS }, (_, i) => keytar.getPassword(service, `acct-${i}`))))
    for (const [key, value] of legacy) await loaded.store.set(key, value)
    const batchWarmMs = await median(() => loaded.store.loadAll())
    for (const key of legacy.keys()) await loaded.store.delete(key)

    console.log(`\nStartup with ${ACCOUNTS} accounts on a real gnome-keyring`)
    console.table([
      { step: 'account list ready', 'keychain calls': callsBeforeList, ms: listReadyMs.toFixed(2), accounts: listed.length },
      { step: 'secrets loaded at startup (the vault key)', 'keychain calls': batchCalls, ms: batchMs.toFixed(2) },
      { step: 'one batch again (median of 5)', 'keychain calls': 1, ms: batchWarmMs.toFixed(2), 'vs batch': '1.00×' },
      { step: 'baseline: one read per account, serial', 'keychain calls': ACCOUNTS, ms: serialMs.toFixed(2), 'vs batch': `${(serialMs / batchWarmMs).toFixed(2)}×` },
      { step: 'baseline: one read per account, parallel', 'keychain calls': ACCOUNTS, ms: parallelMs.toFixed(2), 'vs batch': `${(parallelMs / batchWarmMs).toFixed(2)}×` },
    ])
    worker.stop()
  } finally {
    await session.stop()
  }
}

async function median(work: () => Promise<unknown>, runs = 5): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    await work()
    times.push(performance.now() - t)
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)] ?? 0
}

function rendererFigures(): void {
  const dir = resolve(import.meta.dirname, '../out/renderer')
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
  console.log(`initial JS: ${(gz / 1024).toFixed(1)} KiB gzipped (${(raw / 1024).toFixed(1)} KiB raw, ratio ${(gz / raw).toFixed(2)}); ${all.length} JS file(s) built`)
}

export async function benchStartup(): Promise<void> {
  await keychainFigures()
  rendererFigures()
}

if (import.meta.main) await benchStartup()
