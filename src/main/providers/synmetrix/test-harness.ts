/**
 * Shared set-up for the Synmetrix provider tests: the hasura-backend-plus emulator on 127.0.0.1 with
 * Synmetrix's settings, the provider under test with a recording logger, sign-in helpers that drive
 * the real forms, and a check that no token, ticket, password or code ever reached the log.
 */
import { TOTP } from 'otpauth'
import { afterAll, beforeAll, expect } from 'vitest'
import { startHbpEmulator } from '../../../dev/synmetrix/server.ts'
import type { EmulatorUser, HbpEmulator, HbpEmulatorOptions } from '../../../dev/synmetrix/server.ts'
import { systemClock } from '../../core/ports.ts'
import type { BackendConfig, FormSignIn, Provider, ProviderContext } from '../../core/provider.ts'
import type { SignedIn } from '../../core/sessions/session.ts'
import { FakeClock } from '../../core/testing/fake-clock.ts'
import type { FakeProvider } from '../../core/testing/fake-provider.ts'
import { boot, world } from '../../core/testing/harness.ts'
import { recordingLogger } from '../../core/testing/recording-logger.ts'
import { createSynmetrixProvider } from './provider.ts'
import { expectDone, expectForm } from '../testing/sign-in-steps.ts'

export type TestUser = EmulatorUser & { password: string }

export const ALICE: TestUser = { email: 'alice@wonderland.com', password: 'rabbit-hole-1', displayName: 'Alice Liddell', allowedRoles: ['user', 'analyst'] }
export const BOB: TestUser = { email: 'bob@builder.org', password: 'canwefixit-1' }
export const CAROL_SECRET = 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU'
export const CAROL: TestUser = { email: 'carol@example.com', password: 'carol-secret-1', otpSecret: CAROL_SECRET }

export interface Harness {
  emulator: HbpEmulator
  provider: Provider
  logger: ReturnType<typeof recordingLogger>
  ctx: ProviderContext
  config: BackendConfig
  /** Passwords and codes the tests typed: none may reach the log. */
  secrets: Set<string>
  /** Moves the emulator's clock (the provider's is the real one). */
  advanceServerTime(ms: number): void
  serverNow(): number
  stop(): Promise<void>
}

export async function startHarness(options: HbpEmulatorOptions = {}): Promise<Harness> {
  let offset = 0
  const users = options.users ?? [ALICE, BOB, CAROL]
  const emulator = await startHbpEmulator({ users, now: () => Date.now() + offset, ...options })
  const provider = createSynmetrixProvider()
  const logger = recordingLogger()
  return {
    emulator,
    provider,
    logger,
    ctx: { clock: systemClock, logger },
    config: provider.parseConfig({ url: emulator.url }),
    secrets: new Set(users.flatMap((user) => (user.password === undefined ? [] : [user.password]))),
    advanceServerTime: (ms) => {
      offset += ms
    },
    serverNow: () => Date.now() + offset,
    stop: () => emulator.stop(),
  }
}

export function useHarness(options: HbpEmulatorOptions = {}): Harness {
  const harness = {} as Harness
  beforeAll(async () => {
    Object.assign(harness, await startHarness(options))
  })
  afterAll(async () => {
    expect(leakedSecrets(harness)).toEqual([])
    await harness.stop()
  })
  return harness
}

/** Every secret of the run that shows up in the log or in `texts`. */
export function leakedSecrets(harness: Harness, ...texts: string[]): string[] {
  const secrets = new Set([...harness.secrets, ...harness.emulator.issuedSecrets()])
  const haystack = [...harness.logger.lines, ...texts].join('\n')
  return [...secrets].filter((secret) => secret.length >= 6 && haystack.includes(secret))
}

/** The code an authenticator app shows now for `secret` (at the emulator's time). */
export function totpCode(harness: Harness, secret: string): string {
  const code = new TOTP({ secret, digits: 6, period: 30 }).generate({ timestamp: harness.serverNow() })
  harness.secrets.add(code)
  return code
}

export { expectDone, expectForm, failure } from '../testing/sign-in-steps.ts'

export async function firstForm(harness: Harness, config: BackendConfig = harness.config): Promise<FormSignIn> {
  return expectForm(await harness.provider.beginSignIn(config, harness.ctx), 'password')
}

export async function signIn(harness: Harness, user: TestUser, config: BackendConfig = harness.config): Promise<SignedIn> {
  const form = await firstForm(harness, config)
  return expectDone(await form.submit('password', { email: user.email, password: user.password }))
}


/** A whole Latchkey core (fake keychain and settings, a clock at real time) over the real provider and emulator. */
export async function coreWithAccount(harness: Harness, user: TestUser = ALICE, keychain = world().keychain, settings = world().settings) {
  const w = { ...world(), clock: new FakeClock(Date.now()), keychain, settings, provider: harness.provider as unknown as FakeProvider }
  const { latchkey } = boot(w)
  await latchkey.loadSecrets()
  const step = await latchkey.beginSignIn('synmetrix', { url: harness.emulator.url }, user === ALICE ? 'Alice at Synmetrix' : user.email)
  if (step.kind !== 'form') throw new Error('expected the password form')
  const done = await latchkey.continueSignIn(step.attemptId, 'password', { email: user.email, password: user.password })
  if (done.kind !== 'done') throw new Error('expected a signed-in account')
  return { w, latchkey, id: done.account.id }
}
