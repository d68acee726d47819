/**
 * The whole refresh path at 100, 1,000 and 10,000 accounts: Latchkey's scheduler → the PocketBase
 * provider → the emulator (in its own process) → the account file (sealed, written atomically) →
 * one event → a subscribed stub that serialises it as a transport does. Against the bare PocketBase
 * SDK making the same HTTP call (a fresh client per refresh, as Latchkey uses one per operation), in
 * the same run, alternating with the app so that both are measured equally warm. CPU is this
 * process's user+system time per refresh (the thread pool's file work included).
 *
 * A third side, "primitives", calls what a refresh must do in this design one after the other,
 * with none of the app's machinery (scheduler, session keeper, registry, write queue, vault, event,
 * summary): the account file read, the sealed session opened, the SDK's renewal, the token's
 * expiry read, the new session sealed and written in place, an event-sized payload serialised.
 * What the app costs above it is its machinery; what it costs above the SDK is the design's floor.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import PocketBase from 'pocketbase'
import { accountFiles } from '../src/main/adapters/account-files.ts'
import { accountFileJson, accountFileParts, sealedIn } from '../src/main/core/accounts/account-file.ts'
import { decodeSecrets, encodeSecrets } from '../src/main/core/app/account-secrets.ts'
import { isoOrNull } from '../src/main/core/iso-time.ts'
import { systemClock, type Logger } from '../src/main/core/ports.ts'
import { open, parseVaultKey, seal } from '../src/main/core/secrets/sealed.ts'
import { factsOf } from '../src/main/core/sessions/session.ts'
import type { AccountRecord } from '../src/main/core/settings/schema.ts'
import { sessionFromToken } from '../src/main/providers/pocketbase/client.ts'
import { createPocketBaseProvider } from '../src/main/providers/pocketbase/index.ts'
import { BENCH_USER, startPocketBaseProcess } from './support/pocketbase-process.ts'
import { startRecordingProxy, type RecordedCall } from './support/recording-proxy.ts'
import { composeSeeded } from './support/compose-seeded.ts'
import { seedDataDir, type Seeded, type SeedAccount } from './support/seed.ts'

const quiet: Logger = { info() {}, warn() {}, error() {} }
const REFRESHES = 480
/** Each side runs in ROUNDS alternating blocks after the same warm-up, so neither is measured colder. */
const ROUNDS = 8
const WARM_UP = 100

interface Figures {
  cpuMs: number
  wallMs: number
}

async function block(count: number, run: (i: number) => Promise<unknown>, offset: number): Promise<Figures> {
  const cpu = process.cpuUsage()
  const t0 = performance.now()
  for (let i = 0; i < count; i++) await run(offset + i)
  const wall = performance.now() - t0
  const used = process.cpuUsage(cpu)
  return { cpuMs: (used.user + used.system) / 1000 / count, wallMs: wall / count }
}

/** Each side, warmed up alike, then measured in alternating blocks: the median block of each. */
async function measureSides(sides: ((i: number) => Promise<unknown>)[], warmUp: number): Promise<Figures[]> {
  for (let i = 0; i < warmUp; i++) for (const side of sides) await side(i)
  const per = REFRESHES / ROUNDS
  const blocks: Figures[][] = sides.map(() => [])
  for (let round = 0; round < ROUNDS; round++) {
    for (const [n, side] of sides.entries()) blocks[n]?.push(await block(per, side, warmUp + round * per))
  }
  return blocks.map(median)
}

function median(figures: Figures[]): Figures {
  const at = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0
  return { cpuMs: at(figures.map((f) => f.cpuMs)), wallMs: at(figures.map((f) => f.wallMs)) }
}

export async function signedInTemplate(url: string): Promise<SeedAccount> {
  const provider = createPocketBaseProvider()
  const config = provider.parseConfig({ url })
  const start = await provider.beginSignIn(config, { clock: systemClock, logger: quiet })
  if (start.kind !== 'form') throw new Error('expected the password form')
  const done = await start.submit('password', { identity: BENCH_USER.email, password: BENCH_USER.password })
  if (done.kind !== 'done') throw new Error('expected a session')
  return { provider: 'pocketbase', config, identity: done.signedIn.identity, profile: done.signedIn.profile, session: done.signedIn.session }
}

const NO_FIGURES: Figures = { cpuMs: Number.NaN, wallMs: Number.NaN }

/**
 * The "primitives" side (see the top of this file) on its own seeded folder: the records are kept
 * in memory as the app's registry keeps them, and the vault key as the vault does.
 */
function primitivesRefresh(url: string, seeded: Seeded): (id: string) => Promise<void> {
  const files = accountFiles(join(seeded.dataDir, 'accounts'))
  const key = parseVaultKey((JSON.parse(seeded.keyItem) as { key: string }).key)
  if (!key) throw new Error('bad key')
  const records = new Map<string, AccountRecord>()
  for (const id of seeded.ids) {
    const parts = accountFileParts(files.read?.(id) ?? '')
    if (typeof parts !== 'string') records.set(id, parts.account as AccountRecord)
  }
  return async (id) => {
    const text = files.read?.(id) ?? ''
    const sealed = sealedIn(id, text)
    const secrets = decodeSecrets(sealed ? (open(key, id, sealed) ?? undefined) : undefined)
    const record = records.get(id)
    if (!secrets?.session || !record) throw new Error(`no session for ${id}`)
    const pb = new PocketBase(url)
    pb.autoCancellation(false)
    pb.authStore.save(secrets.session.accessToken)
    const answer = await pb.collection('users').authRefresh()
    const session = sessionFromToken(answer.token, Date.now())
    const account: AccountRecord = { ...record, expiresAt: isoOrNull(session.expiresAt), lastRefreshAt: new Date().toISOString(), sessionFacts: factsOf(session) }
    records.set(id, account)
    await files.write(id, accountFileJson(account, seal(key, id, encodeSecrets({ session, config: secrets.config }))), { durable: false })
    JSON.stringify({ id, label: account.label, provider: account.provider, expiresAt: account.expiresAt, user: account.identity, status: 'signed-in' })
  }
}

/** The baseline: the PocketBase SDK renewing the token, a fresh client per refresh as Latchkey makes one per operation. */
async function bareSdkRefresh(url: string, template: SeedAccount): Promise<void> {
  const pb = new PocketBase(url)
  pb.autoCancellation(false)
  pb.authStore.save(template.session.accessToken)
  await pb.collection('users').authRefresh()
}

/**
 * Whether the app's refresh and the bare SDK's make exactly the same HTTP calls (no more, no
 * fewer): a few of each through a recording proxy, compared call by call. Throws when they differ,
 * since the ratio would then compare different work.
 */
async function sameHttpCalls(url: string, template: SeedAccount): Promise<string> {
  const proxy = await startRecordingProxy(url)
  const through = { ...template, config: { ...template.config, url: proxy.url } }
  const seeded = seedDataDir(3, through)
  const { latchkey } = composeSeeded(seeded, quiet)
  try {
    await latchkey.loadSecrets()
    const app = await recorded(proxy.calls, async () => {
      for (const id of seeded.ids) await latchkey.refresh(id)
    })
    const sdk = await recorded(proxy.calls, async () => {
      for (let i = 0; i < seeded.ids.length; i++) await bareSdkRefresh(proxy.url, through)
    })
    const shown = (calls: RecordedCall[]): string => JSON.stringify(calls, null, 1)
    if (shown(app) !== shown(sdk) || app.length !== seeded.ids.length) {
      throw new Error(`The app and the bare SDK do not make the same HTTP calls for ${String(seeded.ids.length)} refreshes.\napp: ${shown(app)}\nSDK: ${shown(sdk)}`)
    }
    const perRefresh = app.slice(0, app.length / seeded.ids.length).map((call) => `${call.method} ${call.path}`)
    return `Same HTTP calls checked through a recording proxy: each refresh, the app's and the bare SDK's alike, is ${perRefresh.join(', ')} (method, path, body and headers compared)`
  } finally {
    await latchkey.shutdown()
    await proxy.stop()
    rmSync(seeded.dataDir, { recursive: true, force: true })
  }
}

/** The calls `work` makes, taken off the proxy's record. */
async function recorded(calls: RecordedCall[], work: () => Promise<void>): Promise<RecordedCall[]> {
  calls.length = 0
  await work()
  return calls.splice(0)
}

/** The app on a folder of `size` accounts and the bare SDK, measured alternately after `warmUp` refreshes each. */
async function measureAt(url: string, template: SeedAccount, size: number, warmUp: number): Promise<{ app: Figures; sdk: Figures; floor: Figures; perRefresh: { events: number; bytes: number; writes: number; flushed: number } }> {
  const seeded = seedDataDir(size, template)
  let writes = 0
  let flushed = 0
  const { latchkey } = composeSeeded(seeded, quiet, {
    onWrite: (durable) => {
      writes++
      if (durable) flushed++
    },
  })
  let events = 0
  let bytes = 0
  latchkey.subscribe((_event, payload) => {
    events++
    bytes += JSON.stringify(payload).length
  })
  await latchkey.loadSecrets()
  events = 0
  bytes = 0
  writes = 0
  flushed = 0
  const pick = (i: number): string => seeded.ids[(i * 7919) % seeded.ids.length] ?? ''
  const straight = seedDataDir(size, template)
  const primitives = primitivesRefresh(url, straight)
  let refreshes = 0
  const [app = NO_FIGURES, sdk = NO_FIGURES, floor = NO_FIGURES] = await measureSides(
    [
      (i) => {
        refreshes++
        return latchkey.refresh(pick(i))
      },
      () => bareSdkRefresh(url, template),
      (i) => primitives(straight.ids[(i * 7919) % straight.ids.length] ?? ''),
    ],
    warmUp,
  )
  const measured = { app, sdk, floor }
  await latchkey.shutdown()
  rmSync(seeded.dataDir, { recursive: true, force: true })
  rmSync(straight.dataDir, { recursive: true, force: true })
  return { ...measured, perRefresh: { events: events / refreshes, bytes: bytes / refreshes, writes: writes / refreshes, flushed: flushed / refreshes } }
}

export async function benchRefreshPath(sizes = [100, 1000, 10_000]): Promise<void> {
  const server = await startPocketBaseProcess()
  try {
    const template = await signedInTemplate(server.url)
    const sameCalls = await sameHttpCalls(server.url, template)
    const rows: Record<string, string | number>[] = []
    let base: Figures | null = null
    // The first size must not pay for compiling the path: warm both sides up on a throwaway folder first.
    await measureAt(server.url, template, 100, WARM_UP * 5)
    for (const size of sizes) {
      const { app, sdk, floor, perRefresh } = await measureAt(server.url, template, size, WARM_UP)
      base ??= app
      rows.push({
        accounts: size,
        'app CPU ms/refresh': app.cpuMs.toFixed(3),
        'vs 100 accounts': `${(app.cpuMs / base.cpuMs).toFixed(2)}×`,
        'bare SDK CPU ms': sdk.cpuMs.toFixed(3),
        'CPU app/SDK': `${(app.cpuMs / sdk.cpuMs).toFixed(2)}×`,
        'app wall ms': app.wallMs.toFixed(2),
        'SDK wall ms': sdk.wallMs.toFixed(2),
        'wall app/SDK': `${(app.wallMs / sdk.wallMs).toFixed(2)}×`,
        'primitives CPU ms': floor.cpuMs.toFixed(3),
        'primitives/SDK': `${(floor.cpuMs / sdk.cpuMs).toFixed(2)}×`,
        'events/refresh': perRefresh.events.toFixed(2),
        'event bytes/refresh': Math.round(perRefresh.bytes),
        'file writes/refresh': perRefresh.writes.toFixed(2),
        'flushed/refresh': perRefresh.flushed.toFixed(2),
      })
    }
    console.log(`\nWhole refresh path, ${String(REFRESHES)} refreshes per size (scheduler → PocketBase provider → emulator → account file → event → stub)`)
    console.table(rows)
    console.log(sameCalls)
    console.log(`Medians of ${String(ROUNDS)} blocks per side, app, bare SDK and primitives alternating after ${String(WARM_UP)} warm-up refreshes each. A PocketBase renewal leaves the old token valid, so its one account-file write per refresh is atomic but not flushed.`)
  } finally {
    await server.stop()
  }
}

if (import.meta.main) await benchRefreshPath()
