/**
 * The two servers every Supabase provider test runs against: the emulator (always) and a real
 * Supabase Auth server built from its Go source (when it can run here). Where a test passes on one
 * and fails on the other, the emulator is wrong. Without the real server the tier says why in one
 * line; with CI=true a missing toolchain fails the run instead.
 */
import { afterAll, beforeAll, expect } from 'vitest'
import { startSupabaseEmulator } from '../../../dev/supabase/server.ts'
import { realServerUnavailable, startRealAuthServer } from '../../../dev/supabase-real/server.ts'
import type { RealAuthOptions } from '../../../dev/supabase-real/server.ts'
import { systemClock } from '../../core/ports.ts'
import type { BackendConfig, FormSignIn, Provider, ProviderContext } from '../../core/provider.ts'
import type { SignedIn } from '../../core/sessions/session.ts'
import { recordingLogger } from '../../core/testing/recording-logger.ts'
import { createSupabaseProvider } from './provider.ts'
import { expectDone, expectForm } from '../testing/sign-in-steps.ts'
import { SEND_INTERVAL_SECONDS } from './testing/server-rules.ts'

export { expectDone, expectForm, failure } from '../testing/sign-in-steps.ts'

/** What a test may ask of either server (the emulator takes the same options as the real one's GOTRUE_* settings). */
export type TargetOptions = RealAuthOptions

export interface Server {
  url: string
  anonKey: string
  serviceRoleKey: string
  mails(): { to: string; subject: string; text: string }[]
  texts(): { phone: string; otp: string }[]
  stop(): Promise<void>
}

export interface Target {
  name: 'emulator' | 'real Supabase Auth'
  start(options: TargetOptions): Promise<Server>
}

const EMULATOR: Target = {
  name: 'emulator',
  start: (options) => startSupabaseEmulator({ users: [], ...options }),
}

const REAL: Target = { name: 'real Supabase Auth', start: (options) => startRealAuthServer(options) }

function targets(): Target[] {
  const unavailable = realServerUnavailable()
  if (unavailable === null) return [EMULATOR, REAL]
  // CI requires the tier: a missing toolchain fails the run. A build that failed (the module proxy
  // refusing the module) is reported in one line, with the exact failure, by prepare.ts and here.
  if (process.env.CI === 'true' && !unavailable.startsWith('its build failed')) throw new Error(`The real Supabase Auth tier cannot run: ${unavailable}. CI requires it.`)
  console.warn(`Supabase provider tests: real Supabase Auth tier skipped (${unavailable}); running against the emulator only.`)
  return [EMULATOR]
}

export const TARGETS = targets()

/** What `find` gives once it gives something (a mail or text the server sent), asked every 50 ms for up to 3 s. */
export async function arrived<T>(find: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 3000
  for (;;) {
    const found = find()
    if (found !== undefined) return found
    if (Date.now() > deadline) throw new Error(`no ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** The mails the server sent to `to`, oldest first. */
export const mailsTo = (server: Server, to: string) => server.mails().filter((mail) => mail.to === to.toLowerCase())

/** The texts the server sent to `phone` (written with or without +), oldest first. */
export const textsTo = (server: Server, phone: string) => server.texts().filter((sms) => sms.phone === phone.replace(/\D/g, ''))

/** The six-digit code in a mail either server sends. */
export const mailedCode = (text: string): string | undefined => /Code: (\d{6})/.exec(text)?.[1]

/** For a describe block: the target's server, started before its tests and stopped after them. */
export function useTargetServer(target: Target, options: TargetOptions = {}): () => Server {
  let server: Server | undefined
  beforeAll(async () => {
    server = await target.start(options)
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
  })
  return () => {
    if (server === undefined) throw new Error(`The ${target.name} did not start.`)
    return server
  }
}

export interface Harness {
  server: Server
  provider: Provider
  config: BackendConfig
  ctx: ProviderContext
  logger: ReturnType<typeof recordingLogger>
  /** Passwords, codes and tokens the tests used: none may reach the log. */
  secrets: Set<string>
  host: string
  /** A confirmed person with a unique email address (and a phone number when asked). */
  person(options?: { phone?: boolean; confirmed?: boolean; name?: string }): Promise<Person>
  admin(method: 'POST' | 'PUT', path: string, body: unknown): Promise<Record<string, unknown>>
  /** The code and link of the newest email to `to` (waits briefly for it). */
  mail(to: string, after?: number): Promise<{ code: string; link: string | null; subject: string }>
  sms(phone: string, after?: number): Promise<string>
}

export interface Person {
  id: string
  email: string
  phone: string
  password: string
}

let counter = 0

/** `options` may be a function, for settings known only once another server runs (an identity provider's URL). */
export function useTarget(target: Target, options: TargetOptions | (() => TargetOptions) = {}): Harness {
  const harness = {} as Harness
  beforeAll(async () => {
    const server = await target.start({ maxFrequencySeconds: SEND_INTERVAL_SECONDS, manualLinking: true, ...(typeof options === 'function' ? options() : options) })
    const provider = createSupabaseProvider({ signInTimeoutMs: 20_000 })
    const logger = recordingLogger()
    const secrets = new Set<string>()
    const admin = async (method: 'POST' | 'PUT', path: string, body: unknown): Promise<Record<string, unknown>> => {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', apikey: server.anonKey, authorization: `Bearer ${server.serviceRoleKey}` },
        body: JSON.stringify(body),
      })
      const answer = (await response.json()) as Record<string, unknown>
      if (!response.ok) throw new Error(`admin ${path}: ${String(response.status)} ${JSON.stringify(answer)}`)
      return answer
    }
    Object.assign(harness, {
      server,
      provider,
      config: provider.parseConfig({ url: server.url, apiKey: server.anonKey }),
      ctx: { clock: systemClock, logger },
      logger,
      secrets,
      host: new URL(server.url).host,
      admin,
      person: async (wanted: { phone?: boolean; confirmed?: boolean; name?: string } = {}) => {
        counter += 1
        const tag = `${String(process.pid)}-${String(counter)}-${Math.random().toString(36).slice(2, 8)}`
        const person: Person = {
          id: '',
          email: `p${tag}@example.test`,
          phone: wanted.phone === true ? `1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}` : '',
          password: `pw-${tag}`,
        }
        secrets.add(person.password)
        const created = await admin('POST', '/admin/users', {
          email: person.email,
          password: person.password,
          email_confirm: wanted.confirmed !== false,
          ...(person.phone === '' ? {} : { phone: person.phone, phone_confirm: true }),
          user_metadata: wanted.name === undefined ? {} : { full_name: wanted.name },
        })
        person.id = String(created.id)
        return person
      },
      mail: async (to: string, after = 0) => {
        const found = await arrived(() => mailsTo(server, to).slice(after).at(-1), `email to ${to}`)
        const code = mailedCode(found.text) ?? ''
        const link = /Link: (\S+)/.exec(found.text)?.[1] ?? null
        if (code !== '') secrets.add(code)
        return { code, link, subject: found.subject }
      },
      sms: async (phone: string, after = 0) => {
        const found = await arrived(() => textsTo(server, phone).slice(after).at(-1), `text to ${phone}`)
        secrets.add(found.otp)
        return found.otp
      },
    })
  }, 60_000)
  afterAll(async () => {
    expect(leaked(harness)).toEqual([])
    await harness.server.stop()
  })
  return harness
}

/** Secrets of the run found in the log or in `texts`. */
export function leaked(harness: Harness, ...texts: string[]): string[] {
  const haystack = [...harness.logger.lines, ...texts].join('\n')
  return [...harness.secrets].filter((secret) => secret.length >= 6 && haystack.includes(secret))
}

export function remember(harness: Harness, signedIn: SignedIn): SignedIn {
  harness.secrets.add(signedIn.session.accessToken)
  if (signedIn.session.refreshToken !== null) harness.secrets.add(signedIn.session.refreshToken)
  return signedIn
}

export async function firstForm(harness: Harness): Promise<FormSignIn> {
  return expectForm(await harness.provider.beginSignIn(harness.config, harness.ctx), 'sign-in')
}

export async function signInWithPassword(harness: Harness, person: { email: string; password: string }): Promise<SignedIn> {
  const form = await firstForm(harness)
  return remember(harness, expectDone(await form.submit('password', { identity: person.email, password: person.password })))
}
