/**
 * Shared set-up for the PocketBase provider tests: the PocketBase / BosBase emulator on 127.0.0.1,
 * the provider under test with a recording logger, sign-in helpers that drive the real forms, and
 * a check that no token, password or code the tests used ever reached the log.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, expect } from 'vitest'
import { startPocketBaseEmulator } from '../../../dev/pocketbase/server.ts'
import type { EmulatorUser, PocketBaseEmulator, PocketBaseEmulatorOptions } from '../../../dev/pocketbase/server.ts'
import { systemClock } from '../../core/ports.ts'
import type { Clock } from '../../core/ports.ts'
import type { BackendConfig, FormSignIn, Provider, ProviderContext, SignInStart } from '../../core/provider.ts'
import type { SignedIn } from '../../core/sessions/session.ts'
import { recordingLogger } from '../../core/testing/recording-logger.ts'
import { createPocketBaseProvider } from './provider.ts'
import type { PocketBaseProviderOptions } from './provider.ts'

/** A person on the test server: an emulator user whose id the tests know. */
export type TestUser = EmulatorUser & { id: string }

export const ALICE: TestUser = { id: 'alice0000000001', email: 'alice@example.test', password: 'wonderland-1', name: 'Alice Liddell', verified: true }
export const BOB: TestUser = { id: 'bob000000000001', email: 'bob@example.test', password: 'canwefixit-1', name: 'Bob Builder', verified: false }
/** The collection's MFA rule matches Carol: one method is not enough. */
export const CAROL: TestUser = { id: 'carol0000000001', email: 'carol@example.test', password: 'carol-secret-1', name: 'Carol', verified: true, mfa: true }
export const ROOT: TestUser = { id: 'root00000000001', email: 'root@example.test', password: 'root-password-1', verified: true }

export interface Harness {
  emulator: PocketBaseEmulator
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
  stop(): Promise<void>
}

export async function startHarness(
  options: PocketBaseEmulatorOptions = {},
  settings: { provider?: PocketBaseProviderOptions; clock?: Clock } = {},
): Promise<Harness> {
  let offset = 0
  const users = options.users ?? [ALICE, BOB, CAROL]
  const superusers = options.superusers ?? [ROOT]
  const emulator = await startPocketBaseEmulator({ users, superusers, now: () => Date.now() + offset, ...options })
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
      offset += ms
    },
    stop: () => emulator.stop(),
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

export function expectForm(start: SignInStart | SignedIn | FormSignIn, id?: string): FormSignIn {
  if (!('kind' in start) || start.kind !== 'form') throw new Error(`expected a form, got ${'kind' in start ? start.kind : 'a session'}`)
  if (id !== undefined) expect(start.form.id).toBe(id)
  return start
}

export function expectDone(start: SignInStart | SignedIn | FormSignIn): SignedIn {
  if (!('kind' in start)) return start
  if (start.kind !== 'done') throw new Error(`expected a completed sign-in, got ${start.kind}${start.kind === 'form' ? ` (${start.form.id})` : ''}`)
  return start.signedIn
}

export async function firstForm(harness: Harness, config: BackendConfig = harness.config): Promise<FormSignIn> {
  return expectForm(await harness.provider.beginSignIn(config, harness.ctx))
}

export async function signInWithPassword(harness: Harness, user: TestUser, config: BackendConfig = harness.config): Promise<SignedIn> {
  const form = await firstForm(harness, config)
  return expectDone(await form.submit('password', { identity: user.email, password: user.password }))
}

/** The newest one-time code the emulator mailed to `email`. */
export function mailedCode(harness: Harness, email: string): string {
  const code = harness.emulator.outbox.last(email, 'otp')?.otp
  if (code === undefined) throw new Error(`no code was mailed to ${email}`)
  harness.secrets.add(code)
  return code
}

/** The token of the newest `kind` email to `email`. */
export function mailedToken(harness: Harness, email: string, kind: 'password-reset' | 'verification' | 'email-change'): string {
  const token = harness.emulator.outbox.last(email, kind)?.token
  if (token === undefined) throw new Error(`no ${kind} email was sent to ${email}`)
  return token
}

export { failure } from '../test-failure.ts'

/**
 * A reverse proxy in front of the emulator that rewrites its auth-methods answer: the methods a
 * form offers were on when it was built, and an administrator turns one off before it is used.
 */
export async function startRewritingProxy(
  target: string,
  rewrite: (authMethods: Record<string, { enabled: boolean }>) => void,
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
        const methods = JSON.parse(body.toString('utf8')) as Record<string, { enabled: boolean }>
        rewrite(methods)
        body = Buffer.from(JSON.stringify(methods))
      }
      response.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' })
      response.end(body)
    })()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
