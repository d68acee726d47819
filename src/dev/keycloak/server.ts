/**
 * A real Keycloak for the OpenID Connect provider tests: the pinned distribution (dist.ts) started
 * in development mode on 127.0.0.1 and a free port, in a throwaway home folder (its database,
 * transaction log and realm file; the program itself is linked from the cache) that is removed
 * when it stops. The database starts as a copy of the one the first start made (prepare.ts), so
 * Keycloak does not build its schema again. The realm (realm.ts) is imported at start from a file
 * of mode 0600; the tests administer it through a client of the realm, so there is no
 * administrator password at all. Java compiles with its quick compiler only, which halves the CPU
 * a start takes.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../free-port.ts'
import { DEFAULT_DEMO_USERS } from '../oidc/demo-users.ts'
import type { DemoUser } from '../oidc/demo-users.ts'
import { cacheDir, findJava, KEYCLOAK_VERSION, missingJava, preparedDist } from './dist.ts'
import type { Java } from './dist.ts'
import { CLIENT_ID, INSPECTOR_ID, REALM, realmRepresentation } from './realm.ts'
import { untilAnswers } from '../until-answers.ts'

export interface KeycloakOptions {
  /** Default 300 (Keycloak's own default). */
  accessTokenTtlSeconds?: number
  /** Idle session (and refresh token) lifetime; default Keycloak's own. */
  sessionIdleSeconds?: number
  /** Keycloak's "Revoke Refresh Token" realm setting (default off, as in a new realm). */
  revokeRefreshToken?: boolean
  users?: DemoUser[]
  /** People who lack Keycloak's `offline_access` role (everyone else has the realm's default roles). */
  withoutOfflineRole?: string[]
}

export interface KeycloakServer {
  /** http://127.0.0.1:<port>/realms/latchkey */
  issuer: string
  /** A public client with PKCE S256 required and consent asked. */
  clientId: string
  users: DemoUser[]
  /** The `sub` Keycloak gave each person (a UUID), by login name. */
  subjects: Record<string, string>
  /** Whether the server would still accept this refresh token (token introspection). */
  refreshTokenIsActive(token: string): Promise<boolean>
  /** Ends every session of the person, as an administrator does; returns how many there were. */
  revokeAllFor(username: string): Promise<number>
  /** A call to the admin REST API under /admin/realms/latchkey. */
  admin(method: string, path: string, body?: unknown): Promise<unknown>
  stop(): Promise<void>
}

/** Why Keycloak cannot run here, or null when it can. `toolchain`: Java is missing (CI must not skip). */
export function keycloakUnavailable(root = process.cwd()): { reason: string; toolchain: boolean } | null {
  const java = missingJava()
  if (java !== null) return { reason: java, toolchain: true }
  if (preparedDist(root) !== null) return null
  const failed = join(cacheDir(root), 'build-failed.txt')
  if (existsSync(failed)) return { reason: `its download or first start failed: ${readFileSync(failed, 'utf8').trim()}`, toolchain: false }
  return { reason: `Keycloak ${KEYCLOAK_VERSION} has not been downloaded yet (bash scripts/run.sh test downloads it)`, toolchain: true }
}

/**
 * A home folder whose program parts are the cached ones and whose data is its own: a copy of the
 * prepared database when there is one, and the realm to import (none for the first start).
 */
export function homeFor(dist: string, realm: Record<string, unknown> | null): string {
  const home = mkdtempSync(join(tmpdir(), 'latchkey-keycloak-'))
  mkdirSync(join(home, 'bin'))
  // kc.sh takes its home from where it lies.
  copyFileSync(join(dist, 'bin', 'kc.sh'), join(home, 'bin', 'kc.sh'))
  for (const part of ['lib', 'themes', 'providers', 'conf']) symlinkSync(join(dist, part), join(home, part))
  mkdirSync(join(home, 'data', 'import'), { recursive: true })
  const seed = seedDatabase()
  if (existsSync(seed)) cpSync(seed, join(home, 'data', 'h2'), { recursive: true })
  if (realm !== null) writeFileSync(join(home, 'data', 'import', `${String(realm.realm)}.json`), JSON.stringify(realm), { mode: 0o600 })
  return home
}

/** The database of the first start (master realm and schema), copied into each test's home. */
export function seedDatabase(root = process.cwd()): string {
  return join(cacheDir(root), 'seed-h2')
}

export function keycloakEnvironment(java: Java): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    JAVA_HOME: java.home,
    // A server that lives for one test file: the quick compiler alone, not the optimising one.
    // Java 24+ refuses Quarkus's thread-local reset without this, and a failed start then hangs.
    JAVA_OPTS_APPEND: '-XX:TieredStopAtLevel=1 --add-opens=java.base/java.lang=ALL-UNNAMED',
    KC_LOG_LEVEL: 'warn',
  }
}

/** Runs `kc.sh start-dev` in `home`; resolves once the realm answers discovery. */
export async function runKeycloak(home: string, env: NodeJS.ProcessEnv, port: number, realm: string): Promise<{ child: ChildProcess; stop(): Promise<void> }> {
  const args = ['start-dev', '--http-host=127.0.0.1', `--http-port=${String(port)}`, '--import-realm']
  // In its own process group, so that Java goes too when kc.sh is stopped. Its log stays in memory
  // (the last lines, for a failed start's error); nothing is written anywhere.
  const child = spawn(join(home, 'bin', 'kc.sh'), args, { cwd: home, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  const tail: string[] = []
  const start = { failed: false }
  const keep = (chunk: Buffer): void => {
    const lines = chunk.toString('utf8').split('\n')
    tail.push(...lines.filter((line) => line.trim() !== '' && !line.startsWith('WARNING:') && !/^\s+(at |\.\.\.)/.test(line)))
    tail.splice(0, Math.max(0, tail.length - 8))
    // A failed start can leave Java running (a port taken, a bad realm): no need to wait for it.
    if (lines.some((line) => line.includes('Failed to start server'))) start.failed = true
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const running = (): boolean => child.exitCode === null && child.signalCode === null
  const kill = (signal: NodeJS.Signals = 'SIGTERM'): void => {
    if (running() && child.pid !== undefined) process.kill(-child.pid, signal)
  }
  const onExit = (): void => kill('SIGKILL')
  process.once('exit', onExit)
  const stop = async (): Promise<void> => {
    process.off('exit', onExit)
    if (!running()) return
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    kill()
    const forced = setTimeout(() => kill('SIGKILL'), 15_000)
    await exited
    clearTimeout(forced)
  }
  const discovery = `http://127.0.0.1:${String(port)}/realms/${realm}/.well-known/openid-configuration`
  try {
    // Started in 10 to 15 s here; longer the first time (it prepares itself) and on a busy machine.
    await untilAnswers(discovery, {
      within: 180_000,
      interval: 250,
      // Whatever else holds the port may never answer.
      tryTimeout: 2_000,
      failed: () => (running() && !start.failed ? null : new Error(`Keycloak did not start (exit ${String(child.exitCode ?? child.signalCode)}): ${tail.join(' | ')}`)),
      late: () => new Error(`Keycloak did not answer ${discovery} within 3 minutes: ${tail.join(' | ')}`),
    })
  } catch (error) {
    await stop()
    throw error
  }
  return { child, stop }
}

/** A port free when picked may be taken before Keycloak binds it (tests run side by side): then again on another. */
async function startOnFreePort(dist: string, java: Java, realm: Record<string, unknown>, attempts = 3): Promise<{ home: string; port: number; running: Awaited<ReturnType<typeof runKeycloak>> }> {
  for (let attempt = 1; ; attempt += 1) {
    const home = homeFor(dist, realm)
    const port = await freePort()
    try {
      return { home, port, running: await runKeycloak(home, keycloakEnvironment(java), port, REALM) }
    } catch (error) {
      rmSync(home, { recursive: true, force: true })
      if (attempt >= attempts || !/Port already bound|Address already in use/i.test((error as Error).message)) throw error
    }
  }
}

export async function startKeycloak(options: KeycloakOptions = {}): Promise<KeycloakServer> {
  const dist = preparedDist()
  const java = findJava()
  if (dist === null || java === null) throw new Error(keycloakUnavailable()?.reason ?? 'Keycloak cannot run here')
  const users = options.users ?? [...DEFAULT_DEMO_USERS]
  const inspectorSecret = randomBytes(24).toString('base64url')
  const realm = realmRepresentation({
    users,
    inspectorSecret,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 300,
    revokeRefreshToken: options.revokeRefreshToken ?? false,
    withoutOfflineRole: options.withoutOfflineRole ?? [],
    ...(options.sessionIdleSeconds === undefined ? {} : { sessionIdleSeconds: options.sessionIdleSeconds }),
  })
  const { home, port, running } = await startOnFreePort(dist, java, realm)
  const base = `http://127.0.0.1:${String(port)}`
  const issuer = `${base}/realms/${REALM}`
  const inspectorAuth = `Basic ${Buffer.from(`${INSPECTOR_ID}:${inspectorSecret}`).toString('base64')}`

  const adminToken = async (): Promise<string> => {
    const response = await fetch(`${issuer}/protocol/openid-connect/token`, {
      method: 'POST',
      headers: { authorization: inspectorAuth },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    })
    if (!response.ok) throw new Error(`the test administrator could not sign in to Keycloak: HTTP ${String(response.status)}`)
    return ((await response.json()) as { access_token: string }).access_token
  }
  const callAdmin = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${base}/admin/realms/${REALM}${path}`, {
      method,
      headers: { authorization: `Bearer ${await adminToken()}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await response.text()
    if (!response.ok) throw new Error(`Keycloak admin ${method} ${path}: HTTP ${String(response.status)} ${text.slice(0, 200)}`)
    return text === '' ? null : (JSON.parse(text) as unknown)
  }
  const userId = async (username: string): Promise<string> => {
    const found = (await callAdmin('GET', `/users?exact=true&username=${encodeURIComponent(username)}`)) as { id: string }[]
    if (found[0] === undefined) throw new Error(`no Keycloak user ${username}`)
    return found[0].id
  }

  const subjects: Record<string, string> = {}
  for (const user of users) subjects[user.id] = await userId(user.id)
  return {
    issuer,
    clientId: CLIENT_ID,
    users,
    subjects,
    refreshTokenIsActive: async (token) => {
      const response = await fetch(`${issuer}/protocol/openid-connect/token/introspect`, {
        method: 'POST',
        headers: { authorization: inspectorAuth },
        body: new URLSearchParams({ token, token_type_hint: 'refresh_token' }),
      })
      if (!response.ok) throw new Error(`Keycloak introspection: HTTP ${String(response.status)}`)
      return ((await response.json()) as { active?: unknown }).active === true
    },
    revokeAllFor: async (username) => {
      const id = await userId(username)
      const sessions = (await callAdmin('GET', `/users/${id}/sessions`)) as unknown[]
      const offline = (await callAdmin('GET', `/users/${id}/offline-sessions/${await clientUuid(callAdmin)}`)) as unknown[]
      await callAdmin('POST', `/users/${id}/logout`)
      // An administrator's "sign out" leaves offline sessions; taking back the consent ends them too.
      await callAdmin('DELETE', `/users/${id}/consents/${CLIENT_ID}`).catch(() => null)
      return sessions.length + offline.length
    },
    admin: callAdmin,
    stop: async () => {
      await running.stop()
      rmSync(home, { recursive: true, force: true })
    },
  }
}

async function clientUuid(callAdmin: (method: string, path: string) => Promise<unknown>): Promise<string> {
  const found = (await callAdmin('GET', `/clients?clientId=${CLIENT_ID}`)) as { id: string }[]
  return found[0]?.id ?? ''
}
