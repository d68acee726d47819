/**
 * The real OpenID Connect servers the interoperability suite (interop.test.ts) runs the same provider
 * tests against: oidc-provider always, and each other server where it can run here (built or
 * downloaded into .cache/ by its prepare script, which scripts/run.sh test runs first). A server
 * that cannot run is skipped with one line saying why, except under CI=true, where a missing
 * toolchain fails the run; a build or download that failed (the registry refused it) is reported
 * and skipped there too. Where a test passes on one server and fails on another, the spec and the
 * server's own source say who is right.
 *
 * A target is started once per test file (beforeAll) and stopped in afterAll.
 */
import { afterAll, beforeAll, expect } from 'vitest'
import { AppError } from '../../core/errors.ts'
import { completeBrowserLogin } from '../../../dev/browser-login.ts'
import { hydraUnavailable } from '../../../dev/hydra/binary.ts'
import { startHydra } from '../../../dev/hydra/server.ts'
import { keycloakUnavailable, startKeycloak } from '../../../dev/keycloak/server.ts'
import type { KeycloakOptions, KeycloakServer } from '../../../dev/keycloak/server.ts'
import { startOidcServer } from '../../../dev/oidc-server.ts'
import { zitadelUnavailable } from '../../../dev/zitadel/binary.ts'
import { startZitadel } from '../../../dev/zitadel/server.ts'
import type { DemoUser } from '../../../dev/oidc/demo-users.ts'
import { RecordingLogger } from '../../../dev/oidc/recording-logger.ts'
import { systemClock } from '../../core/ports.ts'
import type { BackendConfig, BrowserSignIn, Provider, ProviderContext, SignInPurpose } from '../../core/provider.ts'
import type { Session, SignedIn } from '../../core/sessions/session.ts'
import { failure } from '../test-failure.ts'
import { createOidcProvider } from './provider.ts'

/** A person the server knows, and what Latchkey should learn about them. */
export interface InteropUser {
  login: string
  password: string
  /** The `sub` the server gives them. */
  subject: string
  name: string
  email: string
}

export interface InteropServer {
  issuer: string
  /** A public client (token endpoint auth `none`) that may use any loopback port (RFC 8252 §7.3). */
  clientId: string
  alice: InteropUser
  bob: InteropUser
  /** What an administrator does to end every session of the person on the server. */
  revokeAllFor(user: InteropUser): Promise<void>
  /** Whether the server would still accept this refresh token (its own introspection or store). */
  refreshTokenIsActive(token: string): Promise<boolean>
  /** Registers another public client allowed only these scopes (space-separated), where the server-specific tests need one. */
  createPublicClient?(scope: string): Promise<string>
  stop(): Promise<void>
}

export interface InteropStartOptions {
  /** Access-token lifetime (default: the server's own). */
  accessTokenTtlSeconds?: number
  /** Refresh-token lifetime (default: the server's own); not every target takes it. */
  refreshTokenTtlSeconds?: number
}

/** What the server does where the specs leave it a choice; the shared tests follow these. */
export interface InteropTraits {
  /** Whether presenting a rotated-out refresh token also ends the one that replaced it (reuse detection). */
  reuseEndsNewerToken: boolean
  /** Whether the end-session endpoint accepts `client_id` alone (no `id_token_hint`), answering 200 or a redirect. */
  endSessionByClientId: boolean
  /** Whether the person meets a consent page, where they may decline (ZITADEL asks for no consent). */
  consentPage: boolean
  /** The HTTP status userinfo answers for a revoked access token (RFC 6750 §3.1: 401). */
  revokedTokenStatus: number
}

export interface InteropTarget {
  name: string
  /** Why the server cannot run here, or null when it can. `toolchain`: the reason is a missing tool (CI must not skip). */
  unavailable(): { reason: string; toolchain: boolean } | null
  start(options?: InteropStartOptions): Promise<InteropServer>
  traits: InteropTraits
}

const OIDC_PROVIDER: InteropTarget = {
  name: 'oidc-provider',
  unavailable: () => null,
  traits: { reuseEndsNewerToken: true, endSessionByClientId: true, consentPage: true, revokedTokenStatus: 401 },
  start: async (options = {}) => {
    return withDemoUsers(await startOidcServer(options.accessTokenTtlSeconds === undefined ? {} : { accessTokenTtlSeconds: options.accessTokenTtlSeconds }))
  },
}

/** ORY Hydra v2.3.0 built from the Go module proxy, with the login and consent pages of src/dev/hydra/login-app.ts. */
export const HYDRA_NAME = 'ORY Hydra'

const HYDRA: InteropTarget = {
  name: HYDRA_NAME,
  unavailable: () => hydraUnavailable(),
  traits: { reuseEndsNewerToken: true, endSessionByClientId: true, consentPage: true, revokedTokenStatus: 401 },
  start: async (options = {}) => withDemoUsers(await startHydra(options)),
}

/**
 * Keycloak 26.5.6 from Maven Central with a realm imported at start (src/dev/keycloak/realm.ts).
 * The shared suite runs it with "Revoke Refresh Token" on, as a realm for public clients should be
 * (RFC 9700 §4.14): each refresh token works once. keycloak.test.ts also meets a realm left at
 * Keycloak's default, where a rotated-out refresh token keeps working.
 */
export const KEYCLOAK_NAME = 'Keycloak'

export function keycloakTarget(
  settings: Pick<KeycloakOptions, 'revokeRefreshToken' | 'withoutOfflineRole'> = { revokeRefreshToken: true },
  /** Hands the started server to a test that needs Keycloak's admin API. */
  started: (server: KeycloakServer) => void = () => undefined,
): InteropTarget {
  return {
    name: KEYCLOAK_NAME,
    unavailable: () => keycloakUnavailable(),
    traits: { reuseEndsNewerToken: true, endSessionByClientId: true, consentPage: true, revokedTokenStatus: 401 },
    start: async (options = {}) => {
      const server = await startKeycloak({
        ...settings,
        ...(options.accessTokenTtlSeconds === undefined ? {} : { accessTokenTtlSeconds: options.accessTokenTtlSeconds }),
        ...(options.refreshTokenTtlSeconds === undefined ? {} : { sessionIdleSeconds: options.refreshTokenTtlSeconds }),
      })
      started(server)
      return {
        issuer: server.issuer,
        clientId: server.clientId,
        alice: demoUser(server.users, 'alice', server.subjects),
        bob: demoUser(server.users, 'bob', server.subjects),
        revokeAllFor: async (person) => {
          await server.revokeAllFor(person.login)
        },
        refreshTokenIsActive: (token) => server.refreshTokenIsActive(token),
        stop: () => server.stop(),
      }
    },
  }
}

/** A server the tests started whose people are the demo users, each with their login name as `sub`. */
interface DemoUserServer {
  issuer: string
  clientId: string
  users: readonly DemoUser[]
  revokeAllFor(subject: string): Promise<unknown>
  refreshTokenIsActive(token: string): Promise<boolean>
  createPublicClient?: (scope: string) => Promise<string>
  stop(): Promise<void>
}

function withDemoUsers(server: DemoUserServer): InteropServer {
  const { createPublicClient } = server
  return {
    issuer: server.issuer,
    clientId: server.clientId,
    alice: demoUser(server.users, 'alice'),
    bob: demoUser(server.users, 'bob'),
    revokeAllFor: async (person) => {
      await server.revokeAllFor(person.subject)
    },
    refreshTokenIsActive: (token) => server.refreshTokenIsActive(token),
    ...(createPublicClient === undefined ? {} : { createPublicClient }),
    stop: () => server.stop(),
  }
}

/** A demo person as the server knows them; `subjects` maps login names to the `sub` where the server makes its own. */
function demoUser(users: readonly DemoUser[], id: string, subjects: Record<string, string> = {}): InteropUser {
  const found = users.find((candidate) => candidate.id === id)
  if (found === undefined) throw new Error(`no demo user ${id}`)
  return { login: found.id, password: found.password, subject: subjects[id] ?? found.id, name: found.name, email: found.email }
}

/**
 * The OpenID Provider of github.com/zitadel/oidc v3.52.0 (the library ZITADEL is built on): its
 * example provider with its in-memory storage and login page, served by src/dev/zitadel/main.go.
 * It asks for no consent (nor does ZITADEL), and a rotated-out refresh token is refused without
 * ending the one that replaced it (its example storage keeps no token family).
 */
export const ZITADEL_NAME = 'zitadel/oidc'

const ZITADEL: InteropTarget = {
  name: ZITADEL_NAME,
  unavailable: () => zitadelUnavailable(),
  traits: { reuseEndsNewerToken: false, endSessionByClientId: true, consentPage: false, revokedTokenStatus: 403 },
  start: async () => withDemoUsers(await startZitadel()),
}

/** Every target; those that cannot run here are filtered out by INTEROP_TARGETS. */
const ALL_TARGETS: readonly InteropTarget[] = [OIDC_PROVIDER, HYDRA, keycloakTarget(), ZITADEL]

/** Why each target that cannot run here is skipped. */
const SKIPPED: string[] = []

function runnable(): InteropTarget[] {
  return ALL_TARGETS.filter((target) => {
    const why = target.unavailable()
    if (why === null) return true
    if (process.env.CI === 'true' && why.toolchain) throw new Error(`The ${target.name} interoperability tier cannot run: ${why.reason}. CI requires it.`)
    SKIPPED.push(`OpenID Connect interoperability tests: ${target.name} skipped (${why.reason}).`)
    return false
  })
}

export const INTEROP_TARGETS: readonly InteropTarget[] = runnable()

/** Says, one line each, which targets are skipped and why (the shared suite calls it, so each is said once a run). */
export function reportSkippedTargets(): void {
  for (const line of SKIPPED) console.warn(line)
}

/** The target of this name when it can run here (for a server's own tests), else undefined. */
export function interopTarget(name: string): InteropTarget | undefined {
  return INTEROP_TARGETS.find((target) => target.name === name)
}

export interface InteropHarness {
  target: InteropTarget
  server: InteropServer
  provider: Provider
  config: BackendConfig
  logger: RecordingLogger
  ctx: ProviderContext
  /** Every password and token the tests used; none may reach the log or an error message. */
  secrets: Set<string>
}

/** Starts the target once for the enclosing describe, and checks the log for secrets when it stops. */
export function useInteropTarget(target: InteropTarget, options: InteropStartOptions = {}): InteropHarness {
  const harness = { target } as InteropHarness
  let started = false
  beforeAll(async () => {
    const server = await target.start(options)
    const provider = createOidcProvider({ signInTimeoutMs: 30_000 })
    const logger = new RecordingLogger()
    Object.assign(harness, {
      server,
      provider,
      config: provider.parseConfig({ issuer: server.issuer, clientId: server.clientId }),
      logger,
      ctx: { clock: systemClock, logger },
      secrets: new Set([server.alice.password, server.bob.password]),
    })
    started = true
  }, 200_000)
  afterAll(async () => {
    if (!started) return
    expect(interopLeaks(harness)).toEqual([])
    await harness.server.stop()
  }, 30_000)
  return harness
}

export function rememberSession(harness: InteropHarness, session: Session): Session {
  for (const secret of [session.accessToken, session.refreshToken, session.idToken]) {
    if (secret !== null) harness.secrets.add(secret)
  }
  return session
}

/** The secrets among the log and `texts` (error messages); tests expect an empty list. */
export function interopLeaks(harness: InteropHarness, ...texts: string[]): string[] {
  const haystack = [harness.logger.text(), ...texts].join('\n')
  return [...harness.secrets].filter((secret) => secret.length >= 6 && haystack.includes(secret))
}

/** A browser sign-in with the harness's (or the given) settings, whose result is a session. */
export async function beginInterop(harness: InteropHarness, config: BackendConfig = harness.config, purpose: SignInPurpose = 'first'): Promise<BrowserSignIn<SignedIn>> {
  const start = await harness.provider.beginSignIn(config, harness.ctx, { purpose })
  if (start.kind !== 'browser') throw new Error('expected a browser sign-in')
  const result = start.result.then((outcome) => {
    if ('kind' in outcome) throw new Error('expected a session, not another step')
    rememberSession(harness, outcome.session)
    return outcome
  })
  result.catch(() => undefined)
  return { ...start, result }
}

/** A sign-in with these settings that `user` (alice unless said) completes in the browser: the URL it opened, and its result. */
export async function attemptSignIn(harness: InteropHarness, config: BackendConfig, user: InteropUser = harness.server.alice): Promise<{ url: URL; result: Promise<SignedIn> }> {
  const start = await beginInterop(harness, config)
  await completeBrowserLogin(start.url, user)
  return { url: new URL(start.url), result: start.result }
}

/** `user`'s sign-in through the server's pages, with these settings (the harness's unless said). */
export async function signInAs(harness: InteropHarness, user: InteropUser, config: BackendConfig = harness.config): Promise<SignedIn> {
  return (await attemptSignIn(harness, config, user)).result
}

/** The HTTP status the server's userinfo endpoint answers for this access token (200 while it works). */
export async function userinfoStatus(harness: InteropHarness, accessToken: string): Promise<number> {
  const discovery = (await (await fetch(`${harness.server.issuer}/.well-known/openid-configuration`)).json()) as { userinfo_endpoint: string }
  const response = await fetch(discovery.userinfo_endpoint, { headers: { authorization: `Bearer ${accessToken}` } })
  await response.text()
  return response.status
}

/** The AppError `promise` fails with; its message must hold no secret. */
export async function interopFailure(harness: InteropHarness, promise: Promise<unknown>): Promise<AppError> {
  const error = await failure(promise)
  expect(interopLeaks(harness, error.message)).toEqual([])
  return error
}
