/**
 * The whole refresh path at 100, 1,000 and 10,000 accounts: Latchkey's scheduler → the PocketBase
 * provider → the emulator (in its own process) → the account file (sealed, written atomically) →
 * one event → a subscribed stub that serialises it as a transport does, and the refresh's line in
 * the app's log file (as the shells make the log). Against the bare PocketBase SDK making the same
 * HTTP call (a fresh client per refresh, as Latchkey uses one per operation), in the same run,
 * alternating with the app so that both are measured equally warm. CPU is this process's
 * user+system time per refresh (the thread pool's file work included).
 *
 * The machine a bench runs on is shared: another process on the same cores, or the emulator
 * woken on the client's core, inflates the CPU time of whatever runs meanwhile, for a few
 * milliseconds or for seconds. So the sides take turns in short blocks (BLOCK refreshes), many
 * rounds of them, each round in another order, and each side's figure is the median of its blocks:
 * a burst of contention lands on a block or two of every side instead of on one side's long block.
 * The quietest tenth of each side's blocks is shown too: what a refresh costs with nothing else
 * running, where a fixed cost of contention does not pad both sides and shrink their ratio.
 *
 * A third side, "primitives", calls what a refresh must do in this design one after the other,
 * with none of the app's machinery (scheduler, session keeper, registry, write queue, vault, event,
 * summary): the account file read, the sealed session opened, the SDK's renewal, the token's
 * expiry read, the new session sealed and written in place, an event-sized payload serialised.
 * What the app costs above it is its machinery; what it costs above the SDK is the design's floor.
 */
import { closeSync, mkdtempSync, openSync, rmSync, write, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { promisify } from 'node:util'
import { crc32 } from 'node:zlib'
import { capacityFor, slotBytes, slotOffset } from '../src/main/adapters/account-file-format.ts'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import PocketBase from 'pocketbase'
import { accountFiles } from '../src/main/adapters/account-files.ts'
import { jsonLogger } from '../src/main/adapters/json-logger.ts'
import { accountFileJson, accountFileParts, sealedIn } from '../src/main/core/accounts/account-file.ts'
import { decodeSecrets, encodeSecrets } from '../src/main/core/app/account-secrets.ts'
import { isoOrNull } from '../src/main/core/iso-time.ts'
import { systemClock } from '../src/main/core/ports.ts'
import { open, parseVaultKey, seal } from '../src/main/core/secrets/sealed.ts'
import { factsOf } from '../src/main/core/sessions/session.ts'
import type { AccountRecord } from '../src/main/core/settings/schema.ts'
import { sessionFromToken } from '../src/main/providers/pocketbase/client.ts'
import { createPocketBaseProvider } from '../src/main/providers/pocketbase/index.ts'
import { httpFetch } from '../src/main/providers/http-fetch.ts'
import { BENCH_USER, startPocketBaseProcess } from './support/pocketbase-process.ts'
import { startRecordingProxy, type RecordedCall } from './support/recording-proxy.ts'
import { inProcessAnswersInChild } from './support/answers-in-process.ts'
import { composeSeeded } from './support/compose-seeded.ts'
import { seedDataDir, type Seeded, type SeedAccount } from './support/seed.ts'
import { watchOthersLoad } from './support/machine-load.ts'
import { quiet } from './support/quiet-logger.ts'
import { ratioTarget } from './support/targets.ts'

/** Refreshes per block: short, so that the sides take turns many times a second (see the top of this file). */
const BLOCK = 20
/** Blocks per side per size: BLOCK × ROUNDS refreshes each. */
const ROUNDS = 50
const REFRESHES = BLOCK * ROUNDS
const WARM_UP = 300
/** Primitives refreshes timed step by step, after the blocks. */
const STEP_REFRESHES = 400

interface Figures {
  cpuMs: number
  wallMs: number
}

/** One side's blocks: the median, the quietest tenth (10th percentile) of CPU, and every block in round order. */
interface Measured extends Figures {
  quietCpuMs: number
  blocks: Figures[]
}

async function block(count: number, run: (i: number) => Promise<unknown>, offset: number): Promise<Figures> {
  const cpu = process.cpuUsage()
  const t0 = performance.now()
  for (let i = 0; i < count; i++) await run(offset + i)
  const wall = performance.now() - t0
  const used = process.cpuUsage(cpu)
  return { cpuMs: (used.user + used.system) / 1000 / count, wallMs: wall / count }
}

/**
 * Each side, warmed up alike, then measured in ROUNDS rounds of one block each, the order turning
 * by one side every round (so no side always follows the same one).
 */
async function measureSides(sides: ((i: number) => Promise<unknown>)[], warmUp: number): Promise<Measured[]> {
  for (let i = 0; i < warmUp; i++) for (const side of sides) await side(i)
  const blocks: Figures[][] = sides.map(() => [])
  for (let round = 0; round < ROUNDS; round++) {
    for (let turn = 0; turn < sides.length; turn++) {
      const n = (round + turn) % sides.length
      const side = sides[n]
      if (side) blocks[n]?.push(await block(BLOCK, side, warmUp + round * BLOCK))
    }
  }
  return blocks.map((each) => ({
    cpuMs: quantile(each.map((f) => f.cpuMs), 0.5),
    wallMs: quantile(each.map((f) => f.wallMs), 0.5),
    quietCpuMs: quantile(each.map((f) => f.cpuMs), 0.1),
    blocks: each,
  }))
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? Number.NaN
}

/** The app/SDK ratio of the blocks of each round, as its interquartile range: how much rounds disagree. */
function roundSpread(app: Measured, sdk: Measured): string {
  const ratios = app.blocks.map((f, i) => f.cpuMs / (sdk.blocks[i]?.cpuMs ?? Number.NaN))
  return `${quantile(ratios, 0.25).toFixed(2)}–${quantile(ratios, 0.75).toFixed(2)}×`
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

const NO_FIGURES: Measured = { cpuMs: Number.NaN, wallMs: Number.NaN, quietCpuMs: Number.NaN, blocks: [] }

/** What each step of a primitives refresh took, ms per refresh, by step (see `primitivesRefresh`). */
type StepTimes = Map<string, number[]>

/**
 * The "primitives" side (see the top of this file) on its own seeded folder: the records are kept
 * in memory as the app's registry keeps them, and the vault key as the vault does. With `steps`,
 * each step's time is recorded (wall time of the synchronous steps; this process's CPU time for
 * the SDK's renewal, which waits for the server).
 */
export function primitivesRefresh(url: string, seeded: Seeded, steps?: StepTimes): (id: string) => Promise<void> {
  const files = accountFiles(join(seeded.dataDir, 'accounts'))
  const key = parseVaultKey((JSON.parse(seeded.keyItem) as { key: string }).key)
  if (!key) throw new Error('bad key')
  const records = new Map<string, AccountRecord>()
  for (const id of seeded.ids) {
    const parts = accountFileParts(files.read?.(id) ?? '')
    if (typeof parts !== 'string') records.set(id, parts.account as AccountRecord)
  }
  let t = 0
  const cpuNow = (): number => {
    const used = process.cpuUsage()
    return (used.user + used.system) / 1000
  }
  const step = steps
    ? (name: string, since: number, now = performance.now()): number => {
        let times = steps.get(name)
        if (!times) steps.set(name, (times = []))
        times.push(now - since)
        return performance.now()
      }
    : (): number => 0
  return async (id) => {
    if (steps) t = performance.now()
    const text = files.read?.(id) ?? ''
    if (steps) t = step('account file read', t)
    const sealed = sealedIn(id, text)
    const secrets = decodeSecrets(sealed ? (open(key, id, sealed) ?? undefined) : undefined)
    const record = records.get(id)
    if (!secrets?.session || !record) throw new Error(`no session for ${id}`)
    if (steps) t = step('sealed session found and opened', t)
    const cpu = steps ? cpuNow() : 0
    const answer = await sdkClient(url, secrets.session.accessToken).collection('users').authRefresh()
    if (steps) t = step("the SDK's renewal (CPU)", cpu, cpuNow())
    const session = sessionFromToken(answer.token, Date.now())
    if (steps) t = step('expiry read from the token', t)
    const account: AccountRecord = { ...record, expiresAt: isoOrNull(session.expiresAt), lastRefreshAt: new Date().toISOString(), sessionFacts: factsOf(session) }
    records.set(id, account)
    if (steps) t = step('record updated', t)
    const newSealed = seal(key, id, encodeSecrets({ session, config: secrets.config }))
    if (steps) t = step('new session sealed', t)
    const fileText = accountFileJson(account, newSealed)
    if (steps) t = step('file text made', t)
    await files.write(id, fileText, { durable: false })
    if (steps) t = step('written in place', t)
    JSON.stringify({ id, label: account.label, provider: account.provider, expiresAt: account.expiresAt, user: account.identity, status: 'signed-in' })
    if (steps) step('event-sized payload serialised', t)
  }
}

/**
 * A PocketBase SDK client holding `token`, whose requests go through the fetch the app's backends
 * use (the SDK's own `fetch` option): the baseline and the primitives then make their HTTP calls
 * with the same client as the app. Two HTTP clients taking turns in one process skew each other:
 * an SDK renewal took 236–256 µs of CPU through the app's fetch and 292–305 through Node's, each
 * alone in a process, but 338 against 294 taking turns in one.
 */
function sdkClient(url: string, token: string): PocketBase {
  const pb = new PocketBase(url)
  pb.autoCancellation(false)
  pb.authStore.save(token)
  pb.beforeSend = (target, options) => {
    options.fetch = httpFetch
    return { url: target, options }
  }
  return pb
}

/** The baseline: the PocketBase SDK renewing the token, a fresh client per refresh as Latchkey makes one per operation. */
async function bareSdkRefresh(url: string, template: SeedAccount): Promise<void> {
  await sdkClient(url, template.session.accessToken).collection('users').authRefresh()
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
async function measureAt(url: string, template: SeedAccount, size: number, warmUp: number, ownPids: () => number[]): Promise<{ app: Measured; sdk: Measured; floor: Measured; othersLoad: number | null; perRefresh: { events: number; bytes: number; writes: number; flushed: number }; steps: StepTimes }> {
  const seeded = seedDataDir(size, template)
  let writes = 0
  let flushed = 0
  // The app's log as the shells make it: a line per refresh.
  const logger = jsonLogger({ file: join(seeded.dataDir, 'logs', 'latchkey.log'), gather: true })
  const { latchkey } = composeSeeded(seeded, logger, {
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
  const othersLoad = watchOthersLoad(ownPids)
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
  const measured = { app, sdk, floor, othersLoad: othersLoad() }
  // The primitives once more, each step timed (apart from the measured blocks: the timers cost a little).
  const steps: StepTimes = new Map()
  const timed = primitivesRefresh(url, straight, steps)
  for (let i = 0; i < STEP_REFRESHES; i++) await timed(straight.ids[(i * 7919) % straight.ids.length] ?? '')
  await latchkey.shutdown()
  logger.flush()
  rmSync(seeded.dataDir, { recursive: true, force: true })
  rmSync(straight.dataDir, { recursive: true, force: true })
  return { ...measured, steps, perRefresh: { events: events / refreshes, bytes: bytes / refreshes, writes: writes / refreshes, flushed: flushed / refreshes } }
}

/**
 * A refresh's one write, a slot of an account file overwritten in place, made as the account files
 * make it (synchronously, the event loop waiting for the system call) and through the thread pool
 * (fs.write: the loop is free meanwhile, but the hand-over to a pool thread and back costs CPU):
 * CPU time per write, and how long the loop is held (the synchronous call's wall time; the
 * pool's round trip for the other).
 */
async function writeChoices(text: string): Promise<Record<string, string>[]> {
  const dir = mkdtempSync(join(tmpdir(), 'lk-bench-write-'))
  const fd = openSync(join(dir, 'account.json'), 'w+', 0o600)
  const bytes = Buffer.from(text, 'utf8')
  const capacity = capacityFor(bytes.length)
  const poolWrite = promisify(write)
  const writes = 20_000
  const choices: [string, (i: number) => unknown][] = [
    ['synchronous (as the account files write)', (i) => writeSync(fd, slotBytes(i, bytes, crc32), 0, undefined, slotOffset(i & 1, capacity))],
    ['through the thread pool (fs.write)', (i) => poolWrite(fd, slotBytes(i, bytes, crc32), 0, undefined, slotOffset(i & 1, capacity))],
  ]
  const rows: Record<string, string>[] = []
  try {
    for (const [name, one] of choices) {
      for (let i = 0; i < 2_000; i++) await one(i)
      const each: number[] = []
      const cpu = process.cpuUsage()
      for (let i = 0; i < writes; i++) {
        const t0 = performance.now()
        await one(i)
        each.push(performance.now() - t0)
      }
      const used = process.cpuUsage(cpu)
      rows.push({
        write: name,
        'CPU µs/write': (((used.user + used.system) / writes)).toFixed(1),
        'wall µs median': (quantile(each, 0.5) * 1000).toFixed(1),
        'wall µs p99': (quantile(each, 0.99) * 1000).toFixed(1),
      })
    }
  } finally {
    closeSync(fd)
    rmSync(dir, { recursive: true, force: true })
  }
  return rows
}

/**
 * A refresh's log line (the app's `refresh.ok`), written at once as each comes (open, append,
 * close) or gathered and written together (see json-logger.ts): CPU time per line, the writes
 * included.
 */
function logChoices(): Record<string, string>[] {
  const dir = mkdtempSync(join(tmpdir(), 'lk-bench-log-'))
  const lines = 20_000
  const rows: Record<string, string>[] = []
  try {
    for (const [name, gather] of [['written at once', false], ['gathered (as the app logs)', true]] as const) {
      const logger = jsonLogger({ file: join(dir, `${String(gather)}.log`), gather })
      for (let i = 0; i < 2_000; i++) logger.info('refresh.ok', { accountId: `acct-${String(i % 10_000).padStart(5, '0')}` })
      logger.flush()
      const cpu = process.cpuUsage()
      for (let i = 0; i < lines; i++) logger.info('refresh.ok', { accountId: `acct-${String(i % 10_000).padStart(5, '0')}` })
      logger.flush()
      const used = process.cpuUsage(cpu)
      rows.push({ 'log line': name, 'CPU µs/line': ((used.user + used.system) / lines).toFixed(1) })
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return rows
}

/** Where the bare SDK sends its request while fetch answers in this process: never reached. */
const NOWHERE = 'http://127.0.0.1:9'

/** Bytes touched between refreshes to leave the caches cold (more than this machine's last-level cache holds for one core). */
const COLD_BYTES = 8 * 1024 * 1024

/**
 * The app and the bare SDK at `size` accounts with the server's answer made in this process (fetch
 * answers at once with a new token each time: no socket, no waiting), caches warm and then made
 * cold before each refresh (COLD_BYTES touched, its time left out). Not the target's measure: it
 * splits the app's cost above the SDK into the work itself (warm) and what that work costs when, as
 * after every wait for a server, the caches have lost what it uses (cold). fetch is restored after.
 * The app's backends use their own fetch (providers/http-fetch.ts), so this runs in a child process
 * in which that is the global one (support/answers-in-process.ts), and checks the app's refresh is
 * answered here.
 */
export async function inProcessAnswers(template: SeedAccount, size: number): Promise<Record<string, string | number>[]> {
  const realFetch = globalThis.fetch
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')
  const head = part({ alg: 'HS256', typ: 'JWT' })
  let serial = 0
  const record = { collectionId: 'bench', collectionName: 'users', id: template.identity.subject, email: template.identity.email ?? '', name: template.identity.name ?? '', verified: true }
  const answer = (): Response => {
    const token = `${head}.${part({ id: record.id, exp: Math.floor(Date.now() / 1000) + 3600, refreshable: true, type: 'auth', n: serial++ })}.c2lnbmF0dXJl`
    return new Response(JSON.stringify({ token, record }), { status: 200, headers: { 'content-type': 'application/json' } })
  }
  const seeded = seedDataDir(size, template)
  const logger = jsonLogger({ file: join(seeded.dataDir, 'logs', 'latchkey.log'), gather: true })
  const { latchkey } = composeSeeded(seeded, logger)
  latchkey.subscribe((_event, payload) => JSON.stringify(payload))
  const memory = new Uint8Array(COLD_BYTES)
  let coldCpu = 0
  const chill = (): void => {
    const cpu = process.cpuUsage()
    for (let i = 0; i < memory.length; i += 64) memory[i] = (memory[i] ?? 0) + 1
    const used = process.cpuUsage(cpu)
    coldCpu += used.user + used.system
  }
  let answered = 0
  globalThis.fetch = () => {
    answered += 1
    return Promise.resolve(answer())
  }
  const rows: Record<string, string | number>[] = []
  try {
    await latchkey.loadSecrets()
    const pick = (i: number): string => seeded.ids[(i * 7919) % seeded.ids.length] ?? ''
    await latchkey.refresh(pick(0))
    if (answered !== 1) throw new Error("The app's refresh did not come to the answers made in this process: run inProcessAnswersInChild.")
    for (const cold of [false, true]) {
      const sides = [(i: number) => latchkey.refresh(pick(i)), () => bareSdkRefresh(NOWHERE, template)].map((side) => async (i: number) => {
        if (cold) chill()
        return side(i)
      })
      coldCpu = 0
      const blocks: Figures[][] = [[], []]
      for (let i = 0; i < WARM_UP; i++) for (const side of sides) await side(i)
      for (let round = 0; round < ROUNDS; round++) {
        for (let turn = 0; turn < 2; turn++) {
          const n = (round + turn) % 2
          coldCpu = 0
          const figures = await block(BLOCK, sides[n] ?? (() => Promise.resolve()), round * BLOCK)
          blocks[n]?.push({ cpuMs: figures.cpuMs - coldCpu / 1000 / BLOCK, wallMs: figures.wallMs })
        }
      }
      const [app = Number.NaN, sdk = Number.NaN] = blocks.map((each) => quantile(each.map((f) => f.cpuMs), 0.5))
      rows.push({
        caches: cold ? `cold (${String(COLD_BYTES / 1024 / 1024)} MiB touched before each)` : 'warm',
        'app CPU µs/refresh': Math.round(app * 1000),
        'bare SDK CPU µs': Math.round(sdk * 1000),
        'app − SDK µs': Math.round((app - sdk) * 1000),
        'app/SDK': `${(app / sdk).toFixed(2)}×`,
      })
    }
  } finally {
    globalThis.fetch = realFetch
    await latchkey.shutdown()
    logger.flush()
    rmSync(seeded.dataDir, { recursive: true, force: true })
  }
  return rows
}

export async function benchRefreshPath(sizes = [100, 1000, 10_000]): Promise<void> {
  const server = await startPocketBaseProcess()
  try {
    const template = await signedInTemplate(server.url)
    const ownPids = (): number[] => [process.pid, ...(server.child.pid === undefined ? [] : [server.child.pid])]
    const sameCalls = await sameHttpCalls(server.url, template)
    const rows: Record<string, string | number>[] = []
    const counted: Record<string, string | number>[] = []
    let base: Figures | null = null
    let lastApp: Figures | null = null
    const appVsSdk: number[] = []
    const stepRows = new Map<string, Record<string, string | number>>()
    // The first size must not pay for compiling the path: warm both sides up on a throwaway folder first.
    await measureAt(server.url, template, 100, WARM_UP * 10, ownPids)
    for (const size of sizes) {
      const { app, sdk, floor, othersLoad, perRefresh, steps } = await measureAt(server.url, template, size, WARM_UP, ownPids)
      for (const [name, times] of steps) {
        const row = stepRows.get(name) ?? { step: name }
        row[`${String(size)} accounts µs`] = Math.round(quantile(times, 0.5) * 1000)
        stepRows.set(name, row)
      }
      const stepsTotal = [...steps.values()].reduce((sum, times) => sum + quantile(times, 0.5), 0)
      const total = stepRows.get('(sum of the steps)') ?? { step: '(sum of the steps)' }
      total[`${String(size)} accounts µs`] = Math.round(stepsTotal * 1000)
      stepRows.delete('(sum of the steps)')
      stepRows.set('(sum of the steps)', total)
      base ??= app
      lastApp = app
      appVsSdk.push(app.cpuMs / sdk.cpuMs)
      counted.push({
        accounts: size,
        'app wall ms': app.wallMs.toFixed(2),
        'SDK wall ms': sdk.wallMs.toFixed(2),
        'wall app/SDK': `${(app.wallMs / sdk.wallMs).toFixed(2)}×`,
        'events/refresh': perRefresh.events.toFixed(2),
        'event bytes/refresh': Math.round(perRefresh.bytes),
        'file writes/refresh': perRefresh.writes.toFixed(2),
        'flushed/refresh': perRefresh.flushed.toFixed(2),
      })
      rows.push({
        accounts: size,
        'app CPU ms/refresh': app.cpuMs.toFixed(3),
        'vs 100 accounts': `${(app.cpuMs / base.cpuMs).toFixed(2)}×`,
        'bare SDK CPU ms': sdk.cpuMs.toFixed(3),
        'CPU app/SDK': `${(app.cpuMs / sdk.cpuMs).toFixed(2)}×`,
        'app/SDK by round (IQR)': roundSpread(app, sdk),
        'quietest tenth app/SDK': `${(app.quietCpuMs / sdk.quietCpuMs).toFixed(2)}×`,
        'primitives CPU ms': floor.cpuMs.toFixed(3),
        'primitives/SDK': `${(floor.cpuMs / sdk.cpuMs).toFixed(2)}×`,
        'quietest tenth primitives/SDK': `${(floor.quietCpuMs / sdk.quietCpuMs).toFixed(2)}×`,
        'machinery µs (app − primitives)': Math.round((app.cpuMs - floor.cpuMs) * 1000),
        'design steps µs (primitives − SDK)': Math.round((floor.cpuMs - sdk.cpuMs) * 1000),
        "others' load (cores)": othersLoad === null ? '–' : othersLoad.toFixed(2),
      })
    }
    ratioTarget(`refresh CPU per refresh, ${(sizes.at(-1) ?? 0).toLocaleString('en-US')} accounts vs ${(sizes[0] ?? 0).toLocaleString('en-US')} (whole app path)`, (lastApp?.cpuMs ?? Number.NaN) / (base?.cpuMs ?? Number.NaN), 1.3)
    ratioTarget(`refresh CPU, app path vs the bare SDK (the highest of ${sizes.map((size) => size.toLocaleString('en-US')).join(' / ')} accounts)`, Math.max(...appVsSdk), 2)
    console.log(`\nWhole refresh path, ${String(REFRESHES)} refreshes per side and size (scheduler → PocketBase provider → emulator → account file → event → stub)`)
    console.table(rows)
    console.table(counted)
    console.log(`The primitives step by step (median of ${String(STEP_REFRESHES)} refreshes after the blocks; wall time of each synchronous step, CPU time of the SDK's renewal)`)
    console.table([...stepRows.values()])
    const sample = seedDataDir(1, template)
    const sampleText = accountFiles(join(sample.dataDir, 'accounts')).read?.(sample.ids[0] ?? '') ?? ''
    rmSync(sample.dataDir, { recursive: true, force: true })
    console.log(`A refresh's in-place write (one ${String(Buffer.byteLength(sampleText))}-byte slot), synchronous or through the thread pool, ${String(20_000)} writes each`)
    console.table(await writeChoices(sampleText))
    console.log(`A refresh's log line, ${String(20_000)} lines each`)
    console.table(logChoices())
    console.log(sameCalls)
    console.log(`The same at ${String(sizes.at(-1) ?? 0)} accounts with the server's answer made in this process (no socket, no wait): the app's work above the SDK with caches warm, and with them cold before each refresh as after a wait for a server (not the target's measure; medians of ${String(ROUNDS)} alternating blocks of ${String(BLOCK)})`)
    console.table(inProcessAnswersInChild(template, sizes.at(-1) ?? 10_000))
    console.log(`Medians of ${String(ROUNDS)} blocks of ${String(BLOCK)} refreshes per side, app, bare SDK and primitives taking turns (the order turning every round) after ${String(WARM_UP)} warm-up refreshes each; "by round" is the interquartile range of the app/SDK ratio of each round's blocks, "quietest tenth" the ratio of each side's 10th-percentile block; "others' load" the cores other processes kept busy meanwhile (contention adds to both sides' CPU alike and so shrinks the ratios: compare runs at like loads). A PocketBase renewal leaves the old token valid, so its one account-file write per refresh is atomic but not flushed.`)
  } finally {
    await server.stop()
  }
}

if (import.meta.main) await benchRefreshPath()
