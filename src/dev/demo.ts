/**
 * `npm run demo`: local backends with demo users, offered as presets on "Add account", so a
 * newcomer signs in within a minute without setting anything up: an OpenID Connect server, and a
 * PocketBase and a BosBase emulator (which sign in through that OpenID Connect server for OAuth2),
 * and a Teable emulator, a Synmetrix emulator and an Authing emulator.
 */
import { join } from 'node:path'
import type { ProviderKind } from '../shared/contract.ts'
import { startOidcServer, type OidcServer } from './oidc-server.ts'
import { DEMO_POCKETBASE_OIDC_CLIENT, DEMO_POCKETBASE_SUPERUSERS, DEMO_POCKETBASE_USERS } from './pocketbase/demo-users.ts'
import { startPocketBaseEmulator, type OutboxMessage, type PocketBaseEmulator, type PocketBaseMode } from './pocketbase/server.ts'
import { DEMO_TEABLE_USERS } from './teable/demo-users.ts'
import { startTeableEmulator, type TeableEmulator } from './teable/server.ts'
import { DEMO_SYNMETRIX_MFA_SECRET, DEMO_SYNMETRIX_USERS } from './synmetrix/demo-users.ts'
import { startHbpEmulator, type HbpEmulator } from './synmetrix/server.ts'
import { DEMO_AUTHING_USERS, DEMO_TOTP_SECRET, DEMO_UDFS } from './authing/demo-users.ts'
import { startAuthingEmulator, type AuthingEmulator } from './authing/server.ts'
import { DEMO_SUPABASE_USERS } from './supabase/demo-users.ts'
import { startSupabaseEmulator, type SupabaseEmulator } from './supabase/server.ts'

export interface Demo {
  presets: { kind: ProviderKind; name: string; config: Record<string, string> }[]
  describe(): string[]
  /** Every token the demo servers handed out (the end-to-end suite checks none leaked). */
  issuedTokens(): string[]
  stop(): Promise<void>
}

/** Fixed ports keep demo accounts pointing at the same servers across runs; any port if one is taken. */
export const DEMO_PORTS = { oidc: 47410, pocketbase: 47411, bosbase: 47412, teable: 47413, synmetrix: 47414, authing: 47415, supabase: 47417 } as const
/** The loopback port registered (exactly) as the demo Authing app's callback for browser sign-in. */
export const DEMO_AUTHING_CALLBACK_PORT = 47416

export interface DemoOptions {
  ports?: Partial<Record<keyof typeof DEMO_PORTS, number>>
  /** Where the emulators' emails go (codes and links to paste into Latchkey); not printed when absent. */
  printMail?: (line: string) => void
  /** Keep each server's state (keys, records, grants, tokens) in this folder, so a restart loses no session. */
  stateDir?: string
}

/** Starts a demo server on its usual port, or on any free one when that one cannot be had (taken, say). */
export function onUsualPort<T>(usual: number, start: (port: number) => Promise<T>): Promise<T> {
  return start(usual).catch(() => start(0))
}

export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const ports = { ...DEMO_PORTS, ...options.ports }
  const extraClients = [DEMO_POCKETBASE_OIDC_CLIENT]
  const stateFile = (name: string): { stateFile?: string } => (options.stateDir === undefined ? {} : { stateFile: join(options.stateDir, `${name}.json`) })
  const oidcOptions = { extraClients, ...stateFile('oidc') }
  const oidc = await onUsualPort(ports.oidc, (port) => startOidcServer({ port, ...oidcOptions }))
  const emulator = (mode: PocketBaseMode, usual: number): Promise<PocketBaseEmulator> =>
    onUsualPort(usual, (port) =>
      startPocketBaseEmulator({
        port,
        mode,
        ...stateFile(mode),
        ...(options.printMail ? { onMail: mailPrinter(mode, options.printMail) } : {}),
        upstream: { issuer: oidc.issuer, clientId: DEMO_POCKETBASE_OIDC_CLIENT.client_id, clientSecret: DEMO_POCKETBASE_OIDC_CLIENT.client_secret, displayName: 'Demo OpenID Connect' },
      }),
    )
  const pocketbase = await emulator('pocketbase', ports.pocketbase)
  const bosbase = await emulator('bosbase', ports.bosbase)
  const teable = await startTeable(ports.teable, options.printMail, stateFile('teable'))
  const synmetrix = await onUsualPort(ports.synmetrix, (port) =>
    startHbpEmulator({ port, ...stateFile('synmetrix'), ...(options.printMail ? { onMail: synmetrixMailPrinter(options.printMail) } : {}) }),
  )
  const authing = await startAuthing(ports.authing, options.printMail, stateFile('authing'))
  const print = options.printMail
  const supabase = await onUsualPort(ports.supabase, (port) =>
    startSupabaseEmulator({
      port,
      ...stateFile('supabase'),
      ...(print ? { onMail: (mail) => print(`[demo Supabase email to ${mail.to}] ${mail.text.replaceAll('\n', ' ')}`), onSms: (sms) => print(`[demo Supabase text to +${sms.phone}] code ${sms.otp}`) } : {}),
    }),
  )
  return {
    presets: [
      { kind: 'oidc', name: 'Demo OpenID Connect server', config: { issuer: oidc.issuer, clientId: oidc.clientId } },
      { kind: 'pocketbase', name: 'Demo PocketBase', config: { url: pocketbase.url, collection: 'users' } },
      { kind: 'pocketbase', name: 'Demo PocketBase superusers', config: { url: pocketbase.url, collection: '_superusers' } },
      { kind: 'pocketbase', name: 'Demo BosBase', config: { url: bosbase.url, collection: 'users' } },
      { kind: 'teable', name: 'Demo Teable', config: { url: teable.url } },
      { kind: 'synmetrix', name: 'Demo Synmetrix', config: { url: synmetrix.url, claimsNamespace: 'hasura' } },
      {
        kind: 'authing',
        name: 'Demo Authing',
        config: { appHost: authing.url, userPoolId: authing.userPoolId, appId: authing.appId, redirectPort: String(DEMO_AUTHING_CALLBACK_PORT) },
      },
      { kind: 'supabase', name: 'Demo Supabase', config: { url: supabase.url, apiKey: supabase.anonKey } },
    ],
    describe: () => [...describeOidc(oidc), ...describePocketBase(pocketbase, bosbase), ...describeTeable(teable), ...describeSynmetrix(synmetrix), ...describeAuthing(authing), ...describeSupabase(supabase)],
    issuedTokens: () => [...oidc.issuedTokens(), ...pocketbase.issuedTokens(), ...bosbase.issuedTokens(), ...teable.issuedSecrets(), ...synmetrix.issuedSecrets(), ...authing.issuedTokens(), ...supabase.issuedTokens()],
    stop: async () => {
      await Promise.all([pocketbase.stop(), bosbase.stop(), teable.stop(), synmetrix.stop(), authing.stop(), supabase.stop()])
      await oidc.stop()
    },
  }
}

/** One line per email: who it is for, what it is, and the code or token to paste into Latchkey. */
function mailPrinter(mode: PocketBaseMode, print: (line: string) => void): (message: OutboxMessage) => void {
  const server = mode === 'bosbase' ? 'BosBase' : 'PocketBase'
  return (message) => {
    const secret = message.otp ? `code ${message.otp}` : message.token ? `token ${message.token}` : ''
    print(`[demo ${server} email to ${message.to}] ${message.subject}${secret ? `: ${secret}` : ''}`)
  }
}

function describeOidc(oidc: OidcServer): string[] {
  return [
    `Demo OpenID Connect server at ${oidc.issuer} (client id ${oidc.clientId}).`,
    `  Sign in as: ${oidc.users.map((u) => `${u.id} / ${u.password}`).join(', ')}`,
    '  In Latchkey: Add account → OpenID Connect → "Demo OpenID Connect server" → Sign in with browser.',
  ]
}

function describePocketBase(pocketbase: PocketBaseEmulator, bosbase: PocketBaseEmulator): string[] {
  const people = DEMO_POCKETBASE_USERS.map((u) => `${u.email} / ${u.password}${u.mfa ? ' (asks for a second step)' : ''}`)
  const [root] = DEMO_POCKETBASE_SUPERUSERS
  return [
    `Demo PocketBase at ${pocketbase.url}, demo BosBase at ${bosbase.url}.`,
    `  Sign in as: ${people.join(', ')}; superuser ${root ? `${root.email} / ${root.password}` : '(none)'} (collection _superusers).`,
    '  Emailed codes and links are printed here instead of being sent.',
    '  In Latchkey: Add account → PocketBase / BosBase → "Demo PocketBase" → Continue.',
  ]
}

/** The Teable emulator, allowing Latchkey's http loopback for browser sign-in (a real server must be told to). */
function startTeable(usual: number, printMail: ((line: string) => void) | undefined, kept: { stateFile?: string }): Promise<TeableEmulator> {
  return onUsualPort(usual, (port) =>
    startTeableEmulator({
      port,
      ...kept,
      mobileRedirectSchemes: ['teable', 'http'],
      ...(printMail ? { onMail: (mail) => printMail(`[demo Teable email to ${mail.to}] ${mail.subject}: ${mail.kind === 'reset-password' ? mail.text : `code ${mail.code}`}`) } : {}),
    }),
  )
}

function describeTeable(teable: TeableEmulator): string[] {
  return [
    `Demo Teable at ${teable.url}.`,
    `  Sign in as: ${DEMO_TEABLE_USERS.map((u) => `${u.email} / ${u.password ?? '(no password)'}`).join(', ')}; or create an account (the code is printed here).`,
    '  In Latchkey: Add account → Teable → "Demo Teable" → Continue.',
  ]
}

/** The demo Synmetrix server's emails: the link or ticket to paste into Latchkey. */
function synmetrixMailPrinter(print: (line: string) => void): (message: { to: string; subject: string; link?: string; token?: string }) => void {
  return (message) => {
    const what = message.link ?? (message.token === undefined ? '' : `ticket ${message.token}`)
    print(`[demo Synmetrix email to ${message.to}] ${message.subject}${what ? `: ${what}` : ''}`)
  }
}

function describeSynmetrix(synmetrix: HbpEmulator): string[] {
  const people = DEMO_SYNMETRIX_USERS.map((u) => `${u.email} / ${u.password ?? '(no password)'}${u.otpSecret ? ' (asks for an authenticator code)' : ''}`)
  return [
    `Demo Synmetrix (hasura-backend-plus) at ${synmetrix.url}.`,
    `  Sign in as: ${people.join(', ')}.`,
    `  Authenticator secret for the second one: ${DEMO_SYNMETRIX_MFA_SECRET} (add it to an authenticator app).`,
    '  In Latchkey: Add account → Synmetrix → "Demo Synmetrix" → Continue.',
  ]
}

/** The Authing emulator with its demo users; texted and emailed codes are printed. */
function startAuthing(usual: number, printMail: ((line: string) => void) | undefined, kept: { stateFile?: string }): Promise<AuthingEmulator> {
  return onUsualPort(usual, (port) =>
    startAuthingEmulator({
      port,
      ...kept,
      users: [...DEMO_AUTHING_USERS],
      udfs: [...DEMO_UDFS],
      methods: { verifyCodeMethods: ['phone-code', 'email-code'] },
      redirectUris: [`http://127.0.0.1:${String(DEMO_AUTHING_CALLBACK_PORT)}/callback`],
      ...(printMail ? { onMessage: (message) => printMail(`[demo Authing ${message.channel === 'sms' ? 'text message' : 'email'} to ${message.to}] code ${message.code}`) } : {}),
    }),
  )
}

function describeAuthing(authing: AuthingEmulator): string[] {
  const people = DEMO_AUTHING_USERS.map((u) => `${u.email ?? u.username ?? ''} / ${u.password ?? '(no password)'}${u.totpSecret ? ' (asks for an authenticator code)' : ''}`)
  return [
    `Demo Authing app at ${authing.url} (user pool ${authing.userPoolId}, app ${authing.appId}).`,
    `  Sign in as: ${people.join(', ')}; Ada's phone ${DEMO_AUTHING_USERS[0]?.phone ?? ''} takes text-message codes (printed here).`,
    `  Authenticator secret for the second one: ${DEMO_TOTP_SECRET} (add it to an authenticator app).`,
    `  Browser sign-in returns to http://127.0.0.1:${String(DEMO_AUTHING_CALLBACK_PORT)}/callback, the callback registered for the demo app.`,
    '  In Latchkey: Add account → Authing → "Demo Authing" → Continue.',
  ]
}

function describeSupabase(supabase: SupabaseEmulator): string[] {
  const people = DEMO_SUPABASE_USERS.map((u) => `${u.email ?? u.phone ?? ''} / ${u.password}${u.totpSecret ? ' (asks for an authenticator code)' : ''}`)
  return [
    `Demo Supabase Auth at ${supabase.url} (anon key in the preset).`,
    `  Sign in as: ${people.join(', ')}.`,
    `  The authenticator secret of the account that asks for a code: ${DEMO_TOTP_SECRET} (add it to an authenticator app).`,
    '  Emailed codes and links, and text messages, are printed here instead of being sent.',
    '  In Latchkey: Add account → Supabase → "Demo Supabase" → Continue.',
  ]
}
