/**
 * A real ORY Hydra (the cached build, binary.ts) for the OpenID Connect interoperability tests:
 * public and admin APIs on 127.0.0.1 on free ports, its state in SQLite in memory (and its temp
 * files in a temp folder removed at stop), configured through the environment (its system secret
 * too, never on its command line), with the login and consent pages of login-app.ts. One public
 * PKCE client (token endpoint auth `none`, loopback redirect) is created through the admin API.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { closeServer } from '../close-server.ts'
import { freePorts } from '../free-port.ts'
import { listenOnLoopback } from '../listen.ts'
import { DEFAULT_DEMO_USERS, type DemoUser } from '../oidc/demo-users.ts'
import { cachedBinary } from './binary.ts'
import { createLoginApp } from './login-app.ts'
import { launchServer, stopServer, type ServerProcess } from '../server-process.ts'
import { untilAnswers } from '../until-answers.ts'

export interface HydraOptions {
  /** TTL_ACCESS_TOKEN (default Hydra's own, 1 hour). */
  accessTokenTtlSeconds?: number
  /** TTL_REFRESH_TOKEN (default Hydra's own, 720 hours). */
  refreshTokenTtlSeconds?: number
}

export interface HydraServer {
  issuer: string
  adminUrl: string
  clientId: string
  users: readonly DemoUser[]
  /** Another public client, allowed only these scopes (space-separated). */
  createPublicClient(scope: string): Promise<string>
  /** Revokes the person's consent sessions (and so every token they hold) and login sessions, as an administrator does. */
  revokeAllFor(subject: string): Promise<void>
  /** Hydra's introspection of a refresh token. */
  refreshTokenIsActive(token: string): Promise<boolean>
  /** What Hydra wrote (for a failure's explanation). */
  output(): string
  stop(): Promise<void>
}

const START_TIMEOUT_MS = 30_000
/** Latchkey's default scopes, and `offline`, Hydra's own name for offline_access. */
const CLIENT_SCOPE = 'openid offline_access offline profile email'

/** Tries with other ports when Hydra finds one taken after all (another test took it between the pick and the start). */
const PORT_TRIES = 3

export async function startHydra(options: HydraOptions = {}): Promise<HydraServer> {
  const binary = cachedBinary()
  if (binary === null) throw new Error('ORY Hydra is not built (node src/dev/hydra/prepare.ts builds it)')
  const users = DEFAULT_DEMO_USERS
  let adminUrl = ''
  const loginApp = createLoginApp(() => adminUrl, users)
  const loginUrl = await listenOnLoopback(loginApp)
  const temp = mkdtempSync(join(tmpdir(), 'latchkey-hydra-'))
  const secret = randomBytes(32).toString('hex')
  let running: Running | null = null
  try {
    for (let tries = 1; running === null; tries += 1) {
      const ports = await freePorts(['public', 'admin'])
      adminUrl = `http://127.0.0.1:${String(ports.admin)}`
      const issuer = `http://127.0.0.1:${String(ports.public)}`
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        HOME: temp,
        TMPDIR: temp,
        DSN: 'memory',
        SERVE_PUBLIC_HOST: '127.0.0.1',
        SERVE_PUBLIC_PORT: String(ports.public),
        SERVE_ADMIN_HOST: '127.0.0.1',
        SERVE_ADMIN_PORT: String(ports.admin),
        URLS_SELF_ISSUER: issuer,
        URLS_LOGIN: `${loginUrl}/login`,
        URLS_CONSENT: `${loginUrl}/consent`,
        URLS_LOGOUT: `${loginUrl}/logout`,
        SECRETS_SYSTEM: secret,
        LOG_LEVEL: 'warn',
        SQA_OPT_OUT: 'true',
        ...(options.accessTokenTtlSeconds === undefined ? {} : { TTL_ACCESS_TOKEN: `${String(options.accessTokenTtlSeconds)}s` }),
        ...(options.refreshTokenTtlSeconds === undefined ? {} : { TTL_REFRESH_TOKEN: `${String(options.refreshTokenTtlSeconds)}s` }),
      }
      const started = launch(binary, env, temp)
      try {
        await waitUntilReady(adminUrl, started)
        running = { ...started, issuer }
      } catch (error) {
        await stopServer(started)
        if (tries >= PORT_TRIES || !/address already in use/.test(started.output())) throw error
      }
    }
  } catch (error) {
    await closeServer(loginApp)
    rmSync(temp, { recursive: true, force: true })
    throw error
  }
  const hydra = running
  const cleanUp = async (): Promise<void> => {
    await stopServer(hydra)
    await closeServer(loginApp)
    rmSync(temp, { recursive: true, force: true })
  }
  try {
    const clientId = await createPublicClient(adminUrl, CLIENT_SCOPE)
    return {
      issuer: hydra.issuer,
      adminUrl,
      clientId,
      users,
      createPublicClient: (scope) => createPublicClient(adminUrl, scope),
      revokeAllFor: async (subject) => {
        for (const path of [`/admin/oauth2/auth/sessions/consent?subject=${encodeURIComponent(subject)}&all=true`, `/admin/oauth2/auth/sessions/login?subject=${encodeURIComponent(subject)}`]) {
          const response = await fetch(`${adminUrl}${path}`, { method: 'DELETE' })
          await response.text()
          if (response.status !== 204) throw new Error(`Hydra admin DELETE ${path.split('?')[0] ?? ''}: HTTP ${String(response.status)}`)
        }
      },
      refreshTokenIsActive: async (token) => {
        const response = await fetch(`${adminUrl}/admin/oauth2/introspect`, { method: 'POST', body: new URLSearchParams({ token }) })
        const answer = (await response.json()) as { active?: unknown; token_use?: unknown }
        return answer.active === true && answer.token_use === 'refresh_token'
      },
      output: () => hydra.output(),
      stop: cleanUp,
    }
  } catch (error) {
    await cleanUp()
    throw error
  }
}

type Running = ServerProcess & { issuer: string }

/** `hydra serve all --dev`: its settings and secret in the environment, nothing on its command line. */
function launch(binary: string, env: NodeJS.ProcessEnv, cwd: string): ServerProcess {
  return launchServer(binary, ['serve', 'all', '--dev', '--sqa-opt-out'], env, cwd)
}

function waitUntilReady(adminUrl: string, { child, output }: ServerProcess): Promise<void> {
  return untilAnswers(`${adminUrl}/health/ready`, {
    within: START_TIMEOUT_MS,
    failed: () => (child.exitCode === null ? null : new Error(`ORY Hydra exited (${String(child.exitCode)}): ${output().slice(-2000)}`)),
    late: () => new Error(`ORY Hydra was not ready within ${String(START_TIMEOUT_MS / 1000)} s: ${output().slice(-2000)}`),
  })
}

/** The public native client Latchkey uses: PKCE, no secret, a loopback redirect on any port (RFC 8252 §7.3). */
async function createPublicClient(adminUrl: string, scope: string): Promise<string> {
  const response = await fetch(`${adminUrl}/admin/clients`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'Latchkey',
      token_endpoint_auth_method: 'none',
      redirect_uris: ['http://127.0.0.1/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      scope,
    }),
  })
  const answer = (await response.json()) as { client_id?: unknown; error?: unknown }
  if (response.status !== 201 || typeof answer.client_id !== 'string') throw new Error(`Hydra refused the client: HTTP ${String(response.status)} ${JSON.stringify(answer.error ?? null)}`)
  return answer.client_id
}
