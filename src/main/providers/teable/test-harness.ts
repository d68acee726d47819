/**
 * Shared set-up for the Teable provider tests: the Teable emulator on 127.0.0.1 with a movable
 * clock, the provider under test with a recording logger, helpers that drive the real forms, and a
 * check that no password, cookie, token or code ever reached the log.
 */
import { afterAll, beforeAll, expect } from 'vitest'
import { startTeableEmulator } from '../../../dev/teable/server.ts'
import type { TeableEmulator, TeableEmulatorOptions, TeableEmulatorUser } from '../../../dev/teable/server.ts'
import { AppError } from '../../core/errors.ts'
import { systemClock } from '../../core/ports.ts'
import type { Clock } from '../../core/ports.ts'
import type { BackendConfig, FormSignIn, Provider, ProviderContext, SignInStart } from '../../core/provider.ts'
import type { SignedIn } from '../../core/sessions/session.ts'
import { recordingLogger } from '../../core/testing/recording-logger.ts'
import { teableCall } from './client.ts'
import { readTeableSettings } from './config.ts'
import { createTeableProvider } from './provider.ts'

export const ALICE = { email: 'alice@example.test', password: 'wonderland-1', name: 'Alice Liddell' } as const satisfies TeableEmulatorUser
export const BOB = { email: 'bob@example.test', password: 'canwefixit-2', name: 'Bob Builder' } as const satisfies TeableEmulatorUser
/** Signed up with a social account: no password yet. */
export const CAROL = { email: 'carol@example.test', password: null, name: 'Carol' } as const satisfies TeableEmulatorUser

export interface Harness {
  emulator: TeableEmulator
  provider: Provider
  logger: ReturnType<typeof recordingLogger>
  ctx: ProviderContext
  config: BackendConfig
  /** Passwords the tests typed: none may reach the log (the emulator's cookies, tokens and codes are checked too). */
  secrets: Set<string>
  /** Moves the server's clock and the provider's together. */
  advance(ms: number): void
  stop(): Promise<void>
}

export async function startHarness(options: TeableEmulatorOptions = {}): Promise<Harness> {
  let offset = 0
  const now = (): number => Date.now() + offset
  const users = options.users ?? [ALICE, BOB, CAROL]
  const emulator = await startTeableEmulator({ users, now, ...options })
  const provider = createTeableProvider({ signInTimeoutMs: 10_000 })
  const logger = recordingLogger()
  const clock: Clock = { ...systemClock, now }
  return {
    emulator,
    provider,
    logger,
    ctx: { clock, logger },
    config: provider.parseConfig({ url: emulator.url }),
    secrets: new Set(users.flatMap((user) => (user.password === null ? [] : [user.password]))),
    advance: (ms) => {
      offset += ms
    },
    stop: () => emulator.stop(),
  }
}

/** A harness for a describe block, failing if any secret leaked into the log. */
export function useHarness(options: TeableEmulatorOptions = {}): Harness {
  const harness = {} as Harness
  beforeAll(async () => {
    Object.assign(harness, await startHarness(options))
  })
  afterAll(async () => {
    expect(leaked(harness)).toEqual([])
    await harness.stop()
  })
  return harness
}

export function leaked(harness: Harness): string[] {
  const log = harness.logger.lines.join('\n')
  return [...harness.secrets, ...harness.emulator.issuedSecrets()].filter((secret) => secret.length >= 6 && log.includes(secret))
}

export function asForm(step: SignInStart): FormSignIn {
  if (step.kind !== 'form') throw new Error(`Expected a form, got ${step.kind}.`)
  return step
}

export function asDone(step: SignInStart): SignedIn {
  if (step.kind !== 'done') throw new Error(`Expected done, got ${step.kind}.`)
  return step.signedIn
}

export async function signIn(harness: Harness, user: { email: string; password: string }, config = harness.config): Promise<SignedIn> {
  const form = asForm(await harness.provider.beginSignIn(config, harness.ctx))
  return asDone(await form.submit('password', { email: user.email, password: user.password }))
}

/** The AppError a promise rejects with. */
export async function appError(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  )
  if (!(error instanceof AppError)) throw new Error(`Expected an AppError, got ${String(error)}`)
  return error
}

/** Creates a personal access token over HTTP with a session (as the Teable web page would). */
export async function createToken(harness: Harness, cookie: string, body: Record<string, unknown> = {}): Promise<{ id: string; token: string; expiredTime: string }> {
  const result = await teableCall(readTeableSettings(harness.config), {
    method: 'POST',
    path: '/access-token',
    credential: { cookie },
    json: { name: 'cli', scopes: ['space|read', 'user|email_read'], expiredTime: new Date(Date.now() + 30 * 86_400_000).toISOString(), ...body },
  })
  if (!result.ok || result.answer.status !== 201) throw new Error('could not create a token')
  return result.answer.body as { id: string; token: string; expiredTime: string }
}
