/**
 * The Supabase Auth server of an end-to-end test: the real server built from its Go source when it
 * can run here (the emulator otherwise, said once), behind a proxy that records every token and code
 * it hands out for the leak check, with its Keycloak provider pointed at a Keycloak-shaped
 * oidc-provider of its own. A test that needs a step the real server cannot be made to take in a
 * test (a session older than a day asking for reauthentication) asks for the emulator by name.
 */
import { startOidcServer } from '../../src/dev/oidc-server.ts'
import type { DemoUser } from '../../src/dev/oidc/demo-users.ts'
import { startSupabaseEmulator } from '../../src/dev/supabase/server.ts'
import { startRecordingProxy } from '../../src/dev/supabase-real/recording-proxy.ts'
import { realServerUnavailable, startRealAuthServer } from '../../src/dev/supabase-real/server.ts'
import type { RealAuthOptions } from '../../src/dev/supabase-real/server.ts'
import type { Secret } from './leaks.ts'

export type SupabaseTarget = 'real' | 'emulator'

export interface SupabaseServer {
  target: SupabaseTarget
  /** The address Latchkey is given (the recording proxy). */
  url: string
  anonKey: string
  /** Only for the test that pastes it by mistake: Latchkey must refuse it. */
  serviceRoleKey: string
  mails(): { to: string; subject: string; text: string }[]
  texts(): { phone: string; otp: string }[]
  /** A confirmed person with a unique address. */
  person(name?: string): Promise<{ id: string; email: string; password: string }>
  /** The code and link of the newest email to `to`, the link pointed at the proxy. */
  mail(to: string): Promise<{ code: string; link: string }>
  /** A second session of the same person, signed in outside Latchkey (another device). */
  signInElsewhere(email: string, password: string): Promise<{ refreshToken: string }>
  /** Whether a session's refresh token still renews (renews it, so use it once). */
  renews(refreshToken: string): Promise<boolean>
  /** The people of the Keycloak realm the server's Keycloak provider signs in at. */
  keycloakUsers: DemoUser[]
  secrets(): Secret[]
  stop(): Promise<void>
}

const KEYCLOAK_CLIENT = {
  client_id: 'supabase-auth',
  client_secret: 'supabase-auth-keycloak-secret-for-e2e',
  client_name: 'Supabase Auth',
  redirect_uris: ['http://127.0.0.1/callback'],
  token_endpoint_auth_method: 'client_secret_basic',
} as const

let said = false

/** Secrets of the Supabase servers of the running test, for the leak check after it. */
export const supabaseSecrets: (() => Secret[])[] = []

export async function startSupabase(options: RealAuthOptions & { target?: SupabaseTarget; reauthenticationAfterSeconds?: number }): Promise<SupabaseServer> {
  const unavailable = realServerUnavailable()
  // SUPABASE_E2E_TARGET=emulator runs the suite on the emulator even where the real server runs.
  const forced = process.env.SUPABASE_E2E_TARGET === 'emulator' ? 'emulator' : undefined
  const target: SupabaseTarget = options.target ?? forced ?? (unavailable === null ? 'real' : 'emulator')
  if (target === 'emulator' && options.target === undefined && forced === undefined && !said) {
    said = true
    console.warn(`Supabase end-to-end tests use the emulator: ${unavailable ?? ''}`)
  }
  const idp = await startOidcServer({ keycloakRealm: 'latchkey', extraClients: [KEYCLOAK_CLIENT] })
  const keycloak = { url: idp.issuer, clientId: KEYCLOAK_CLIENT.client_id, secret: KEYCLOAK_CLIENT.client_secret }
  const settings = { maxFrequencySeconds: 1, manualLinking: true, keycloak, ...options }
  const server = target === 'real' ? await startRealAuthServer(settings) : await startSupabaseEmulator({ users: [], ...settings })
  const proxy = await startRecordingProxy(server.url)
  const typed: string[] = []
  const json = { 'content-type': 'application/json', apikey: server.anonKey }
  let counter = 0
  const api = async (path: string, body: unknown, bearer = server.anonKey): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(`${proxy.url}${path}`, { method: 'POST', headers: { ...json, authorization: `Bearer ${bearer}` }, body: JSON.stringify(body) })
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }
  return {
    target,
    url: proxy.url,
    anonKey: server.anonKey,
    serviceRoleKey: server.serviceRoleKey,
    mails: () => server.mails(),
    texts: () => server.texts(),
    person: async (name) => {
      counter += 1
      const tag = `${String(process.pid)}${String(counter)}${Math.random().toString(36).slice(2, 7)}`
      const person = { id: '', email: `e2e-${tag}@example.test`, password: `e2e-pw-${tag}` }
      typed.push(person.password)
      const created = await api('/admin/users', { email: person.email, password: person.password, email_confirm: true, user_metadata: name === undefined ? {} : { full_name: name } }, server.serviceRoleKey)
      person.id = String(created.body.id)
      return person
    },
    mail: async (to) => {
      const deadline = Date.now() + 5000
      for (;;) {
        const found = server.mails().filter((mail) => mail.to === to.toLowerCase()).at(-1)
        if (found !== undefined) {
          const code = /Code: (\d{6})/.exec(found.text)?.[1] ?? ''
          const raw = /Link: (\S+)/.exec(found.text)?.[1] ?? ''
          const link = raw === '' ? '' : `${proxy.url}${new URL(raw).pathname}${new URL(raw).search}`
          return { code, link }
        }
        if (Date.now() > deadline) throw new Error(`no email to ${to}`)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    },
    signInElsewhere: async (email, password) => {
      const answer = await api('/token?grant_type=password', { email, password })
      return { refreshToken: String(answer.body.refresh_token) }
    },
    renews: async (refreshToken) => (await api('/token?grant_type=refresh_token', { refresh_token: refreshToken })).status === 200,
    keycloakUsers: idp.users,
    secrets: () => [
      ...idp.issuedTokens().map((value) => ({ name: `Keycloak token ${value.slice(0, 6)}…`, value })),
      ...proxy.secrets().map((value) => ({ name: `Supabase token ${value.slice(0, 6)}…`, value })),
      ...server.mails().flatMap((mail) => {
        const code = /Code: (\d{6})/.exec(mail.text)?.[1]
        const hash = /token=([\w-]+)/.exec(mail.text)?.[1]
        return [...(code === undefined ? [] : [{ name: `code mailed to ${mail.to}`, value: code }]), ...(hash === undefined ? [] : [{ name: `link token mailed to ${mail.to}`, value: hash }])]
      }),
      ...server.texts().map((sms) => ({ name: `code texted to +${sms.phone}`, value: sms.otp })),
      ...typed.map((value) => ({ name: 'a Supabase test password', value })),
      { name: 'the Supabase service_role key', value: server.serviceRoleKey },
    ],
    stop: async () => {
      await proxy.stop()
      await server.stop()
      await idp.stop()
    },
  }
}
