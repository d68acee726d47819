/**
 * A real Supabase Auth server for the provider tests and the end-to-end suite: the pinned build
 * (binary.ts) on a throwaway PostgreSQL cluster (postgres.ts), migrated with its own `migrate`
 * command, configured through GOTRUE_* variables (never on its command line): 127.0.0.1, short JWT
 * lifetime, small refresh-token reuse interval, mail to the SMTP catcher, SMS through the Send-SMS
 * hook, anonymous sign-ins, TOTP MFA, the Keycloak provider when an OpenID Connect server mounted at
 * Keycloak's paths is given. Loopback redirects need no allow-list entry on this server version.
 */
import { spawn, spawnSync } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { randomBytes } from 'node:crypto'
import { SignJWT } from 'jose'
import { cacheDir, cachedBinary, goAvailable } from './binary.ts'
import type { AuthBinary } from './binary.ts'
import { startCatchers } from './catchers.ts'
import type { CaughtMail, CaughtSms, Catchers } from './catchers.ts'
import { freePort } from '../free-port.ts'
import { postgresAvailable, startCluster } from '../postgres-cluster.ts'
import type { Cluster } from '../postgres-cluster.ts'
import { untilAnswers } from '../until-answers.ts'

export interface RealAuthOptions {
  jwtExpSeconds?: number
  reuseIntervalSeconds?: number
  autoconfirm?: boolean
  anonymousSignIns?: boolean
  requireCurrentPassword?: boolean
  requireReauthentication?: boolean
  secureEmailChange?: boolean
  manualLinking?: boolean
  maxFrequencySeconds?: number
  passwordMinLength?: number
  /** GOTRUE_EXTERNAL_EMAIL_ENABLED / GOTRUE_EXTERNAL_PHONE_ENABLED (default on) and GOTRUE_DISABLE_SIGNUP (default off). */
  email?: boolean
  phone?: boolean
  disableSignup?: boolean
  /** GOTRUE_RATE_LIMIT_EMAIL_SENT: the project's emails per hour (default: more than any test sends). */
  emailsPerHour?: number
  /** GOTRUE_MFA_PHONE_ENROLL_ENABLED / _VERIFY_ENABLED (default off: phone factors are opt-in). */
  mfaPhone?: boolean
  /** Keycloak-shaped OpenID Connect server: `url` = http://127.0.0.1:<port>/realms/<realm>, a confidential client. */
  keycloak?: { url: string; clientId: string; secret: string }
}

export interface RealAuthServer {
  url: string
  anonKey: string
  serviceRoleKey: string
  mails(): CaughtMail[]
  texts(): CaughtSms[]
  stop(): Promise<void>
}

/** Why the real server cannot run here, or null when it can. */
export function realServerUnavailable(root = process.cwd()): string | null {
  if (!postgresAvailable()) return 'PostgreSQL 15 (Debian postgresql-15) is not installed'
  if (cachedBinary(root) !== null) return null
  if (!goAvailable()) return 'Go is not installed, so Supabase Auth cannot be built'
  const failed = join(cacheDir(root), 'build-failed.txt')
  if (existsSync(failed)) return `its build failed: ${readFileSync(failed, 'utf8').trim()}`
  return 'Supabase Auth has not been built yet (bash scripts/run.sh test builds it)'
}

async function apiKey(secret: string, role: 'anon' | 'service_role'): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  return new SignJWT({ role, iss: 'supabase' }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt(now).setExpirationTime(now + 86400).sign(new TextEncoder().encode(secret))
}

function environment(options: RealAuthOptions, port: number, cluster: Cluster, catchers: Catchers, binary: AuthBinary, secret: string): NodeJS.ProcessEnv {
  const url = `http://127.0.0.1:${String(port)}`
  const template = (kind: string): string => `${catchers.httpUrl}/templates/${kind}`
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GOTRUE_DB_DRIVER: 'postgres',
    DATABASE_URL: authDatabase(cluster),
    GOTRUE_DB_MIGRATIONS_PATH: binary.migrations,
    GOTRUE_API_HOST: '127.0.0.1',
    PORT: String(port),
    API_EXTERNAL_URL: url,
    GOTRUE_SITE_URL: url,
    GOTRUE_URI_ALLOW_LIST: 'http://127.0.0.1:*/**',
    GOTRUE_LOG_LEVEL: 'warn',
    GOTRUE_JWT_SECRET: secret,
    GOTRUE_JWT_EXP: String(options.jwtExpSeconds ?? 3600),
    GOTRUE_JWT_AUD: 'authenticated',
    // As a Supabase project has it: a new user's role, in the user object and its tokens' role claim.
    GOTRUE_JWT_DEFAULT_GROUP_NAME: 'authenticated',
    GOTRUE_JWT_ADMIN_ROLES: 'service_role',
    GOTRUE_SECURITY_REFRESH_TOKEN_ROTATION_ENABLED: 'true',
    GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL: String(options.reuseIntervalSeconds ?? 0),
    GOTRUE_SECURITY_UPDATE_PASSWORD_REQUIRE_CURRENT_PASSWORD: String(options.requireCurrentPassword ?? false),
    GOTRUE_SECURITY_UPDATE_PASSWORD_REQUIRE_REAUTHENTICATION: String(options.requireReauthentication ?? false),
    GOTRUE_SECURITY_MANUAL_LINKING_ENABLED: String(options.manualLinking ?? false),
    GOTRUE_PASSWORD_MIN_LENGTH: String(options.passwordMinLength ?? 6),
    GOTRUE_MAILER_AUTOCONFIRM: String(options.autoconfirm ?? false),
    GOTRUE_MAILER_SECURE_EMAIL_CHANGE_ENABLED: String(options.secureEmailChange ?? true),
    GOTRUE_MAILER_OTP_EXP: '3600',
    GOTRUE_MAILER_TEMPLATES_CONFIRMATION: template('confirmation'),
    GOTRUE_MAILER_TEMPLATES_MAGIC_LINK: template('magic_link'),
    GOTRUE_MAILER_TEMPLATES_RECOVERY: template('recovery'),
    GOTRUE_MAILER_TEMPLATES_EMAIL_CHANGE: template('email_change'),
    GOTRUE_MAILER_TEMPLATES_INVITE: template('invite'),
    GOTRUE_SMTP_HOST: '127.0.0.1',
    GOTRUE_SMTP_PORT: String(catchers.smtpPort),
    GOTRUE_SMTP_ADMIN_EMAIL: 'auth@example.test',
    GOTRUE_SMTP_SENDER_NAME: 'Supabase Auth',
    GOTRUE_SMTP_MAX_FREQUENCY: `${String(options.maxFrequencySeconds ?? 60)}s`,
    GOTRUE_RATE_LIMIT_EMAIL_SENT: String(options.emailsPerHour ?? 100000),
    GOTRUE_RATE_LIMIT_SMS_SENT: '100000',
    GOTRUE_RATE_LIMIT_TOKEN_REFRESH: '100000',
    GOTRUE_RATE_LIMIT_VERIFY: '100000',
    GOTRUE_RATE_LIMIT_OTP: '100000',
    GOTRUE_RATE_LIMIT_ANONYMOUS_USERS: '100000',
    GOTRUE_EXTERNAL_EMAIL_ENABLED: String(options.email ?? true),
    GOTRUE_EXTERNAL_PHONE_ENABLED: String(options.phone ?? true),
    GOTRUE_DISABLE_SIGNUP: String(options.disableSignup ?? false),
    GOTRUE_SMS_OTP_EXP: '3600',
    GOTRUE_SMS_MAX_FREQUENCY: `${String(options.maxFrequencySeconds ?? 60)}s`,
    GOTRUE_HOOK_SEND_SMS_ENABLED: 'true',
    GOTRUE_HOOK_SEND_SMS_URI: `${catchers.httpUrl}/sms`,
    GOTRUE_HOOK_SEND_SMS_SECRETS: `v1,whsec_${randomBytes(32).toString('base64')}`,
    GOTRUE_EXTERNAL_ANONYMOUS_USERS_ENABLED: String(options.anonymousSignIns ?? true),
    GOTRUE_MFA_TOTP_ENROLL_ENABLED: 'true',
    GOTRUE_MFA_TOTP_VERIFY_ENABLED: 'true',
    GOTRUE_MFA_PHONE_ENROLL_ENABLED: String(options.mfaPhone ?? false),
    GOTRUE_MFA_PHONE_VERIFY_ENABLED: String(options.mfaPhone ?? false),
    GOTRUE_MFA_PHONE_MAX_FREQUENCY: `${String(options.maxFrequencySeconds ?? 60)}s`,
    GOTRUE_MFA_MAX_ENROLLED_FACTORS: '10',
  }
  if (options.keycloak !== undefined) {
    Object.assign(env, {
      GOTRUE_EXTERNAL_KEYCLOAK_ENABLED: 'true',
      GOTRUE_EXTERNAL_KEYCLOAK_CLIENT_ID: options.keycloak.clientId,
      GOTRUE_EXTERNAL_KEYCLOAK_SECRET: options.keycloak.secret,
      GOTRUE_EXTERNAL_KEYCLOAK_URL: options.keycloak.url,
      GOTRUE_EXTERNAL_KEYCLOAK_REDIRECT_URI: `${url}/callback`,
    })
  }
  return env
}

function waitHealthy(url: string, child: ChildProcess): Promise<void> {
  return untilAnswers(`${url}/health`, {
    within: 20_000,
    failed: () => (child.exitCode === null ? null : new Error(`Supabase Auth exited with code ${String(child.exitCode)}`)),
    late: () => new Error('Supabase Auth did not answer /health within 20 seconds'),
  })
}

/**
 * The roles and schema Supabase Auth's migrations expect (its hack/init_postgres.sql: supabase_admin,
 * and supabase_auth_admin owning schema auth).
 */
const AUTH_SCHEMA_SQL = `
CREATE USER supabase_admin LOGIN CREATEROLE CREATEDB REPLICATION BYPASSRLS;
CREATE USER supabase_auth_admin NOINHERIT CREATEROLE LOGIN NOREPLICATION PASSWORD 'root';
CREATE SCHEMA IF NOT EXISTS auth AUTHORIZATION supabase_auth_admin;
GRANT CREATE ON DATABASE postgres TO supabase_auth_admin;
ALTER USER supabase_auth_admin SET search_path = 'auth';
`

function authDatabase(cluster: Cluster): string {
  return `postgres://supabase_auth_admin:root@127.0.0.1:${String(cluster.port)}/postgres`
}

/** Shared between servers of one test process: one cluster, migrated once. */
let shared: Promise<{ cluster: Cluster; binary: AuthBinary }> | null = null

function prepared(): Promise<{ cluster: Cluster; binary: AuthBinary }> {
  shared ??= (async () => {
    const binary = cachedBinary()
    if (binary === null) throw new Error(realServerUnavailable() ?? 'Supabase Auth is not built')
    const cluster = await startCluster(resolve('.cache', 'supabase-auth'), AUTH_SCHEMA_SQL)
    process.once('exit', () => cluster.stop())
    const migrate = spawnSync(binary.binary, ['migrate'], {
      env: { PATH: process.env.PATH, GOTRUE_DB_DRIVER: 'postgres', DATABASE_URL: authDatabase(cluster), GOTRUE_DB_MIGRATIONS_PATH: binary.migrations, API_EXTERNAL_URL: 'http://127.0.0.1', GOTRUE_SITE_URL: 'http://127.0.0.1', GOTRUE_JWT_SECRET: 'migrate-only-secret-0123456789abcdef' },
      encoding: 'utf8',
    })
    if (migrate.status !== 0) throw new Error(`auth migrate failed: ${migrate.stderr.trim()}`)
    return { cluster, binary }
  })()
  return shared
}

export async function startRealAuthServer(options: RealAuthOptions = {}): Promise<RealAuthServer> {
  const { cluster, binary } = await prepared()
  const catchers = await startCatchers()
  const port = await freePort()
  const secret = randomBytes(32).toString('hex')
  // Its log stays in memory (the last lines, for an early exit's error); nothing is written anywhere.
  const child = spawn(binary.binary, ['serve'], { env: environment(options, port, cluster, catchers, binary, secret), stdio: ['ignore', 'ignore', 'pipe'] })
  const tail: string[] = []
  child.stderr.on('data', (chunk: Buffer) => {
    tail.push(...chunk.toString('utf8').split('\n').filter((line) => line.includes('"level":"fatal"') || line.includes('"level":"error"')))
    tail.splice(0, Math.max(0, tail.length - 5))
  })
  const url = `http://127.0.0.1:${String(port)}`
  const kill = (): void => {
    if (child.exitCode === null) child.kill('SIGTERM')
  }
  process.once('exit', kill)
  try {
    await waitHealthy(url, child)
  } catch (error) {
    kill()
    await catchers.stop()
    throw new Error(`${(error as Error).message}${tail.length === 0 ? '' : `: ${tail.join(' ')}`}`, { cause: error })
  }
  return {
    url,
    anonKey: await apiKey(secret, 'anon'),
    serviceRoleKey: await apiKey(secret, 'service_role'),
    mails: () => [...catchers.mails],
    texts: () => [...catchers.texts],
    stop: async () => {
      process.off('exit', kill)
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
      kill()
      await exited
      await catchers.stop()
    },
  }
}
