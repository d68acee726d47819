/**
 * Shared set-up for the Authing provider tests: the Authing emulator on 127.0.0.1, the provider
 * under test with a recording logger, helpers that drive the real forms, and a check that no
 * token, password or code of the run ever reached the log.
 */
import { afterAll, beforeAll, expect } from 'vitest'
import { startAuthingEmulator } from '../../../dev/authing/server.ts'
import type { AuthingEmulator, AuthingEmulatorOptions, EmulatorUser } from '../../../dev/authing/server.ts'
import { systemClock } from '../../core/ports.ts'
import type { Clock } from '../../core/ports.ts'
import type { BackendConfig, FormSignIn, Provider, ProviderContext } from '../../core/provider.ts'
import type { SignedIn } from '../../core/sessions/session.ts'
import { recordingLogger } from '../../core/testing/recording-logger.ts'
import { createAuthingProvider } from './provider.ts'
import type { AuthingProviderOptions } from './provider.ts'
import { freePort } from '../../../dev/free-port.ts'
import { expectDone, expectForm } from '../testing/sign-in-steps.ts'

export const TOTP_SECRET = 'KVKFKRCPNZQUYMLXOVYDSQKJKZDTSRLD'
export const ADA: EmulatorUser & { id: string; email: string; password: string } = {
  id: 'u-ada', email: 'ada@example.test', username: 'ada', phone: '13800000001', password: 'lovelace-1815', name: 'Ada Lovelace', nickname: 'Ada',
}
export const GRACE: EmulatorUser & { id: string; email: string; password: string } = {
  id: 'u-grace', email: 'grace@example.test', password: 'cobol-1959', totpSecret: TOTP_SECRET, totpRecoveryCode: 'b1f3c0de-6e1a-4c7e-9d2a-5f0e8a7c3b21',
}
export const LINUS: EmulatorUser & { id: string; email: string; password: string } = { id: 'u-linus', email: 'linus@example.test', username: 'linus', password: 'penguin-1991' }

export interface Harness {
  emulator: AuthingEmulator
  provider: Provider
  logger: ReturnType<typeof recordingLogger>
  ctx: ProviderContext
  config: BackendConfig
  secrets: Set<string>
  /** Moves the emulator's clock (not the provider's): token expiry, code lifetimes. */
  advanceServerTime(ms: number): void
  /** Moves the provider's clock (the resend countdown). */
  advanceClientTime(ms: number): void
  /** The emulator's time now (for authenticator codes). */
  serverNow(): number
}

export function useHarness(options: AuthingEmulatorOptions = {}, settings: { browser?: boolean; provider?: AuthingProviderOptions } = {}): Harness {
  const harness = {} as Harness
  beforeAll(async () => {
    // Browser sign-in: a port registered (exactly) as the app's callback, free when the test starts.
    const port = settings.browser === true ? await freePort() : null
    let serverOffset = 0
    let clientOffset = 0
    const users = options.users ?? [ADA, GRACE, LINUS]
    const emulator = await startAuthingEmulator({
      users,
      udfs: [
        { key: 'school', label: 'School', dataType: 'STRING' },
        { key: 'age', label: 'Age', dataType: 'NUMBER' },
        { key: 'newsletter', label: 'Newsletter', dataType: 'BOOLEAN' },
      ],
      methods: { verifyCodeMethods: ['phone-code', 'email-code'] },
      now: () => Date.now() + serverOffset,
      ...(port === null ? {} : { redirectUris: [`http://127.0.0.1:${String(port)}/callback`] }),
      ...options,
    })
    const provider = createAuthingProvider(settings.provider)
    const logger = recordingLogger()
    const clock: Clock = { ...systemClock, now: () => Date.now() + clientOffset }
    Object.assign(harness, {
      emulator,
      provider,
      logger,
      ctx: { clock, logger },
      config: provider.parseConfig({
        appHost: emulator.url,
        userPoolId: emulator.userPoolId,
        appId: emulator.appId,
        ...(port === null ? {} : { redirectPort: String(port) }),
      }),
      secrets: new Set(users.map((user) => user.password ?? '').filter((password) => password !== '')),
      advanceServerTime: (ms: number) => {
        serverOffset += ms
      },
      advanceClientTime: (ms: number) => {
        clientOffset += ms
      },
      serverNow: () => Date.now() + serverOffset,
    } satisfies Harness)
  })
  afterAll(async () => {
    expect(leakedSecrets(harness)).toEqual([])
    await harness.emulator.stop()
  })
  return harness
}

/** Every secret of the run that shows up in the log or in `texts`. */
export function leakedSecrets(harness: Harness, ...texts: string[]): string[] {
  const secrets = new Set(harness.secrets)
  for (const token of harness.emulator.issuedTokens()) secrets.add(token)
  for (const message of harness.emulator.outbox.messages()) secrets.add(message.code)
  const haystack = [...harness.logger.lines, ...texts].join('\n')
  // Four-digit codes are too short to look for in free text.
  return [...secrets].filter((secret) => secret.length >= 6 && haystack.includes(secret))
}

export { expectDone, expectForm, failure } from '../testing/sign-in-steps.ts'

export async function firstForm(harness: Harness, config: BackendConfig = harness.config): Promise<FormSignIn> {
  return expectForm(await harness.provider.beginSignIn(config, harness.ctx), 'sign-in')
}

export async function signIn(harness: Harness, account: string, password: string): Promise<SignedIn> {
  const form = await firstForm(harness)
  return expectDone(await form.submit('password', { account, password }))
}

/** The newest code the emulator sent to `to`. */
export function sentCode(harness: Harness, to: string): string {
  const code = harness.emulator.outbox.last(to)?.code
  if (code === undefined) throw new Error(`no code was sent to ${to}`)
  return code
}

/** Any code but the right one. */
export function wrongCode(code: string): string {
  return code === '0000' ? '1111' : '0000'
}


