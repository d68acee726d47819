/**
 * Shared set-up for the PocketBase provider tests: the PocketBase / BosBase emulator on 127.0.0.1,
 * the provider under test with a recording logger, sign-in helpers that drive the real forms, and
 * a check that no token, password or code the tests used ever reached the log.
 *
 * The same tests run with BosBase as the server (LATCHKEY_PB_MODE=bosbase: the emulator playing it,
 * `bosbase-emulator`), and against real servers (LATCHKEY_PB_TARGET=real: `pocketbase-real`,
 * `pocketbase-real-oldest`, and `bosbase-real` where a BosBase binary is named): then `emulator` is
 * that server behind the same interface. What only one of the two servers does is marked
 * `pocketBaseOnly` or `bosBaseOnly`; what only the emulator can show (a server clock that moves),
 * `emulatorOnly`; what came with a later PocketBase release than the server's, `since`; and what a
 * known fault of the real BosBase breaks, `despiteBosBaseTokenCache`.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { realBosBaseBinary, realPocketBaseBinary } from '../../../dev/pocketbase/real/binary.ts'
import { startRealPocketBase } from '../../../dev/pocketbase/real/server.ts'
import type { RealPocketBase } from '../../../dev/pocketbase/real/server.ts'
import { startPocketBaseEmulator } from '../../../dev/pocketbase/server.ts'
import type { EmulatorUser, OutboxMessage, PocketBaseEmulator, PocketBaseEmulatorOptions } from '../../../dev/pocketbase/server.ts'
import type { PocketBaseMode } from '../../../dev/pocketbase/types.ts'
import { fixedUuidV7 } from '../../../dev/pocketbase/random.ts'
import { systemClock } from '../../core/ports.ts'
import type { Clock } from '../../core/ports.ts'
import type { BackendConfig, FormSignIn, Provider, ProviderContext } from '../../core/provider.ts'
import type { SignedIn } from '../../core/sessions/session.ts'
import { recordingLogger } from '../../core/testing/recording-logger.ts'
import { createPocketBaseProvider } from './provider.ts'
import { expectDone, expectForm } from '../testing/sign-in-steps.ts'

export { expectDone, expectForm } from '../testing/sign-in-steps.ts'
import type { PocketBaseProviderOptions } from './provider.ts'
import { closeServer } from '../../../dev/close-server.ts'
import { untilNextSecond } from '../testing/server-clock.ts'

/** This run's target is a real PocketBase (or BosBase), not the emulator. */
export const REAL_POCKETBASE = process.env.LATCHKEY_PB_TARGET === 'real'
/** The server this run's tests meet unless a test asks for the other: PocketBase, or BosBase (LATCHKEY_PB_MODE=bosbase). */
export const TARGET_MODE: PocketBaseMode = process.env.LATCHKEY_PB_MODE === 'bosbase' ? 'bosbase' : 'pocketbase'

/** A person on the test server: an emulator user whose id the tests know. */
export type TestUser = EmulatorUser & { id: string }

/** A test person's fixed record id, in the form the target's server makes: 15 characters a-z0-9, or BosBase's UUIDv7. */
export function recordId(pocketbaseId: string): string {
  return TARGET_MODE === 'bosbase' ? fixedUuidV7(pocketbaseId) : pocketbaseId
}

export const ALICE: TestUser = { id: recordId('alice0000000001'), email: 'alice@example.test', password: 'wonderland-1', name: 'Alice Liddell', verified: true }
export const BOB: TestUser = { id: recordId('bob000000000001'), email: 'bob@example.test', password: 'canwefixit-1', name: 'Bob Builder', verified: false }
/** The collection's MFA rule matches Carol: one method is not enough. */
export const CAROL: TestUser = { id: recordId('carol0000000001'), email: 'carol@example.test', password: 'carol-secret-1', name: 'Carol', verified: true, mfa: true }
export const ROOT: TestUser = { id: recordId('root00000000001'), email: 'root@example.test', password: 'root-password-1', verified: true }
/**
 * An auth rule that lets in only verified accounts, as each server needs it written: BosBase keeps
 * records in PostgreSQL, where `verified = true` fails as a query and lets no one in (auth-rule.ts).
 */
export const VERIFIED_ONLY = TARGET_MODE === 'bosbase' ? "verified = 'true'" : 'verified = true'

/** Tests of what only the emulator can show (moving the server's clock): skipped on a real server. */
export const emulatorOnly = { describe: describe.skipIf(REAL_POCKETBASE), it: it.skipIf(REAL_POCKETBASE) }
/** Tests of what PocketBase does and BosBase does not (flavor.ts says how they differ): skipped against BosBase. */
export const pocketBaseOnly = { describe: describe.skipIf(TARGET_MODE !== 'pocketbase'), it: it.skipIf(TARGET_MODE !== 'pocketbase') }
/** Tests of what BosBase does and PocketBase does not: skipped against PocketBase. */
export const bosBaseOnly = { describe: describe.skipIf(TARGET_MODE !== 'bosbase'), it: it.skipIf(TARGET_MODE !== 'bosbase') }
/**
 * A fault of the BosBase the real tier was checked against (bosbase/bosbase d8bc341), and the tests
 * it breaks there: skipped on a real BosBase, run on the emulator, which plays BosBase as its code
 * means to work. tier.ts prints the fault (src/dev/pocketbase/real/bosbase-faults.ts) when the real BosBase tier runs.
 */
export const despiteBosBaseTokenCache = { it: it.skipIf(REAL_POCKETBASE && TARGET_MODE === 'bosbase') }

/** How long the target gives the second step of an MFA sign-in by default: PocketBase 10 minutes, BosBase 30. */
export const MFA_MINUTES = TARGET_MODE === 'bosbase' ? 30 : 10

/** The real PocketBase's release, when the tier says it ("0.23.12"); unset for the emulator and the newest release. */
const REAL_VERSION = process.env.LATCHKEY_PB_VERSION

/** `a` is an older release than `b` ("0.23.12" < "0.24.0"). */
function olderThan(a: string, b: string): boolean {
  const [x, y] = [a, b].map((version) => version.split('.').map(Number))
  for (let i = 0; i < 3; i++) if ((x?.[i] ?? 0) !== (y?.[i] ?? 0)) return (x?.[i] ?? 0) < (y?.[i] ?? 0)
  return false
}

/**
 * Tests of what the server does that came with a PocketBase release (`version`): skipped on a real
 * PocketBase older than that (the emulator plays the newest release), and against BosBase unless its
 * fork has it too.
 */
export function since(version: string, bosbase: 'also in BosBase' | 'not in BosBase', fault?: 'despite its token cache'): { it: ReturnType<typeof it.skipIf> } {
  const tooOld = REAL_POCKETBASE && REAL_VERSION !== undefined && olderThan(REAL_VERSION, version)
  const notHere = TARGET_MODE === 'bosbase' && (bosbase === 'not in BosBase' || (REAL_POCKETBASE && fault !== undefined))
  return { it: it.skipIf(tooOld || notHere) }
}

/** The server under test: the emulator or a real PocketBase, with the calls both can answer. */
export type PocketBaseTarget = Omit<PocketBaseEmulator, 'setPassword' | 'user' | 'mode'> &
  Pick<RealPocketBase, 'setPassword' | 'user'> & { mode: PocketBaseEmulator['mode'] }

export interface Harness {
  emulator: PocketBaseTarget
  provider: Provider
  logger: ReturnType<typeof recordingLogger>
  ctx: ProviderContext
  /** The `users` collection of the emulator. */
  config: BackendConfig
  /** Its `_superusers` collection. */
  superusers: BackendConfig
  /** Passwords and codes the tests typed: none may reach the log. */
  secrets: Set<string>
  /** Moves the emulator's clock (not the provider's): expiries, MFA and limiter windows. */
  advanceServerTime(ms: number): void
  /** Lets the server's clock pass a whole second (tokens are cut to seconds): moved, or waited for. */
  letASecondPass(): Promise<void>
  stop(): Promise<void>
}

export async function startHarness(
  options: PocketBaseEmulatorOptions = {},
  settings: { provider?: PocketBaseProviderOptions; clock?: Clock } = {},
): Promise<Harness> {
  let offset = 0
  const users = options.users ?? [ALICE, BOB, CAROL]
  const superusers = options.superusers ?? [ROOT]
  const emulator = await startTarget({ users, superusers, mode: TARGET_MODE, ...options }, () => Date.now() + offset)
  const provider = createPocketBaseProvider(settings.provider)
  const logger = recordingLogger()
  return {
    emulator,
    provider,
    logger,
    ctx: { clock: settings.clock ?? systemClock, logger },
    config: provider.parseConfig({ url: emulator.url }),
    superusers: provider.parseConfig({ url: emulator.url, collection: '_superusers' }),
    secrets: new Set([...users, ...superusers].map((user) => user.password)),
    advanceServerTime: (ms) => {
      if (REAL_POCKETBASE) throw new Error('A real PocketBase keeps its own clock: mark this test emulatorOnly.')
      offset += ms
    },
    letASecondPass: () => {
      // The tokens issued so far have an iat no later than this second; from the next one on, new bytes.
      if (REAL_POCKETBASE) return untilNextSecond(Date.now())
      offset += 5_000
      return Promise.resolve()
    },
    stop: () => emulator.stop(),
  }
}

async function startTarget(options: PocketBaseEmulatorOptions, now: () => number): Promise<PocketBaseTarget> {
  if (REAL_POCKETBASE && options.mode === 'bosbase') {
    const path = realBosBaseBinary()
    if (path === null) throw new Error('No BosBase binary: name one in LATCHKEY_BOSBASE_BIN.')
    return startRealPocketBase({ path, mode: 'bosbase' }, options)
  }
  if (REAL_POCKETBASE) {
    const path = realPocketBaseBinary()
    if (path === null) throw new Error('No PocketBase binary: run scripts/run.sh test, which installs it under .cache/pocketbase.')
    return startRealPocketBase({ path, mode: 'pocketbase' }, options)
  }
  const emulator = await startPocketBaseEmulator({ now, ...options })
  return {
    ...emulator,
    setPassword: (collection, email, password) => {
      emulator.setPassword(collection, email, password)
      return Promise.resolve()
    },
    user: (collection, email) => Promise.resolve(emulator.user(collection, email)),
  }
}

/**
 * For a test file or describe block: a harness started before its tests and stopped after them,
 * failing if any secret of the run leaked into the log.
 */
export function useHarness(...args: Parameters<typeof startHarness>): Harness {
  const harness = {} as Harness
  beforeAll(async () => {
    Object.assign(harness, await startHarness(...args))
  })
  afterAll(async () => {
    expect(leakedSecrets(harness)).toEqual([])
    await harness.stop()
  })
  return harness
}

/** Every secret of the run that shows up in the log or in `texts` (error messages, profiles, forms). */
export function leakedSecrets(harness: Harness, ...texts: string[]): string[] {
  const secrets = new Set(harness.secrets)
  for (const token of harness.emulator.issuedTokens()) secrets.add(token)
  for (const message of harness.emulator.outbox.messages()) {
    if (message.token !== undefined) secrets.add(message.token)
    if (message.otp !== undefined) secrets.add(message.otp)
  }
  const haystack = [...harness.logger.lines, ...texts].join('\n')
  return [...secrets].filter((secret) => secret.length >= 6 && haystack.includes(secret))
}

export async function firstForm(harness: Harness, config: BackendConfig = harness.config): Promise<FormSignIn> {
  return expectForm(await harness.provider.beginSignIn(config, harness.ctx))
}

export async function signInWithPassword(harness: Harness, user: TestUser, config: BackendConfig = harness.config): Promise<SignedIn> {
  const form = await firstForm(harness, config)
  return expectDone(await form.submit('password', { identity: user.email, password: user.password }))
}

/** The newest one-time code mailed to `email` (a real server mails in the background: waited for). */
export async function mailedCode(harness: Harness, email: string): Promise<string> {
  const code = (await newestMail(harness, email, 'otp'))?.otp
  if (code === undefined) throw new Error(`no code was mailed to ${email}`)
  harness.secrets.add(code)
  return code
}

/** The token of the newest `kind` email to `email`. */
export async function mailedToken(harness: Harness, email: string, kind: 'password-reset' | 'verification' | 'email-change'): Promise<string> {
  const token = (await newestMail(harness, email, kind))?.token
  if (token === undefined) throw new Error(`no ${kind} email was sent to ${email}`)
  return token
}

export { failure } from '../test-failure.ts'

const seenMail = new WeakMap<Harness, Set<OutboxMessage>>()

/** The newest such email not handed out before, waiting up to 5 s for one; else the newest there is. */
async function newestMail(harness: Harness, email: string, kind: OutboxMessage['kind']): Promise<OutboxMessage | undefined> {
  const seen = seenMail.get(harness) ?? new Set<OutboxMessage>()
  seenMail.set(harness, seen)
  const deadline = Date.now() + 5000
  let last = harness.emulator.outbox.last(email, kind)
  while ((last === undefined || seen.has(last)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    last = harness.emulator.outbox.last(email, kind)
  }
  if (last !== undefined) seen.add(last)
  return last
}

/**
 * A reverse proxy in front of the emulator that rewrites its auth-methods answer (given the request's
 * address): the methods a form offers were on when it was built, and an administrator turns one off
 * before it is used; or an older server's answer.
 */
export async function startRewritingProxy(
  target: string,
  rewrite: (authMethods: Record<string, unknown>, url: URL) => void,
): Promise<{ url: string; stop(): Promise<void> }> {
  const server = createServer((request, response) => {
    void (async () => {
      const chunks: Buffer[] = []
      for await (const chunk of request) chunks.push(chunk as Buffer)
      const headers = new Headers()
      for (const [name, value] of Object.entries(request.headers)) {
        if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers.set(name, value)
      }
      const upstream = await fetch(new URL(request.url ?? '/', target), {
        method: request.method ?? 'GET',
        headers,
        ...(chunks.length === 0 ? {} : { body: Buffer.concat(chunks) }),
      })
      let body = Buffer.from(await upstream.arrayBuffer())
      if ((request.url ?? '').includes('/auth-methods') && upstream.ok) {
        const methods = JSON.parse(body.toString('utf8')) as Record<string, unknown>
        rewrite(methods, new URL(request.url ?? '/', target))
        body = Buffer.from(JSON.stringify(methods))
      }
      response.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' })
      response.end(body)
    })()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`,
    stop: () => closeServer(server),
  }
}
