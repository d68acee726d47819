/**
 * A real PocketBase for the provider tests' second target: the released binary on 127.0.0.1 in a
 * fresh data folder, its first superuser made by a JS migration (so no password is on a command
 * line), everything else configured through its own admin API with the official SDK: the `users`
 * collection's methods (password, OTP, MFA with a rule, OAuth2 against an OpenID Connect server),
 * its auth rule and token lifetime, SMTP to a local catcher, and the superuser IP allow-list. A
 * recording proxy in front gives the emulator's request log and issued-token list.
 *
 * What a real server cannot do is said plainly: it has no BosBase mode, and its clock cannot move.
 */
import { spawn } from 'node:child_process'
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import PocketBase, { ClientResponseError } from 'pocketbase'
import { demoPocketBaseSuperusers, demoPocketBaseUsers } from '../demo-users.ts'
import type { AuthCollectionName, EmulatorUser, OutboxMessage, PocketBaseEmulatorOptions, PocketBaseMode } from '../types.ts'
import { freshBosBaseDatabase } from './bosbase-database.ts'
import { flavorOf } from '../flavor.ts'
import type { Flavor } from '../flavor.ts'
import { startMailCatcher } from './mail-catcher.ts'
import { startRecordingProxy } from './recording-proxy.ts'
import { freePort } from '../../free-port.ts'
import { untilAnswers } from '../../until-answers.ts'

/** A real server's binary, and which of the two it is. */
export interface RealServerBinary {
  path: string
  mode: PocketBaseMode
}

export interface RealPocketBase {
  url: string
  mode: PocketBaseMode
  outbox: { messages(): OutboxMessage[]; last(to: string, kind: OutboxMessage['kind']): OutboxMessage | undefined; clear(): void }
  /** A change made elsewhere (the admin API): sets the password, which rotates the record's tokenKey. */
  setPassword(collection: AuthCollectionName, email: string, password: string): Promise<void>
  user(collection: AuthCollectionName, email: string): Promise<Readonly<Record<string, unknown>> | undefined>
  issuedTokens(): string[]
  requests(): { method: string; path: string; status: number }[]
  stop(): Promise<void>
}

export async function startRealPocketBase(binary: RealServerBinary, options: PocketBaseEmulatorOptions = {}): Promise<RealPocketBase> {
  const { mode } = binary
  if (options.mode !== undefined && options.mode !== mode) throw new Error(`A real ${mode} server cannot play ${options.mode}.`)
  if (options.now !== undefined) throw new Error('A real PocketBase keeps its own clock.')
  const dir = await mkdtemp(join(tmpdir(), 'latchkey-pocketbase-'))
  const superusers = options.superusers ?? demoPocketBaseSuperusers(mode)
  const port = await freePort()
  const launch = mode === 'bosbase' ? await bosbaseLaunch() : await pocketbaseLaunch(dir, superusers)
  // Not in development mode, whatever the binary's folder: both servers take a binary under the temp
  // folder for one built by `go run`, and turn off limits (the 10 codes still valid) there.
  const server = spawn(binary.path, ['serve', `--http=127.0.0.1:${String(port)}`, `--dir=${join(dir, 'pb_data')}`, '--dev=false', ...launch.args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, ...launch.env },
  })
  // What it printed, kept in memory: the last lines for an early exit's error, and BosBase's installer link.
  let output = ''
  let installer: string | undefined
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-4000)
    installer ??= INSTALLER_LINK.exec(output)?.[1]
  }
  server.stdout.on('data', keep)
  server.stderr.on('data', keep)
  const lastOutput = (): string => output.slice(-2000)
  const catcher = await startMailCatcher()
  const direct = `http://127.0.0.1:${String(port)}`
  const proxy = await startRecordingProxy(new URL(direct))
  const stop = async (): Promise<void> => {
    if (server.exitCode === null && server.signalCode === null) {
      await new Promise<void>((resolve) => {
        server.once('exit', () => resolve())
        server.kill('SIGTERM')
      })
    }
    await Promise.all([proxy.stop(), catcher.stop()])
    await rm(dir, { recursive: true, force: true })
  }
  try {
    await waitForHealth(direct, () => server.exitCode, lastOutput)
    const [root] = superusers
    if (root === undefined) throw new Error('A real PocketBase needs a superuser to be configured.')
    if (mode === 'bosbase') await createSuperusersAsInstaller(direct, () => installer, superusers)
    const admin = new PocketBase(direct)
    await admin.collection('_superusers').authWithPassword(root.email, root.password)
    await configure(admin, flavorOf(mode), options, catcher.port, proxy.url)
    for (const user of options.users ?? demoPocketBaseUsers(mode)) await createUser(admin, user)
    // Last: an allow-list without 127.0.0.1 locks this admin client out too.
    if ((options.superuserIPs ?? []).length > 0) await admin.settings.update({ superuserIPs: options.superuserIPs })
    const findUser = async (collection: AuthCollectionName, email: string): Promise<Record<string, unknown> | undefined> => {
      const auth = new PocketBase(direct)
      await auth.collection('_superusers').authWithPassword(root.email, root.password)
      return auth
        .collection(collection)
        .getFirstListItem(auth.filter('email = {:email}', { email }))
        .then((record) => ({ ...record }))
        .catch(() => undefined)
    }
    return {
      url: proxy.url,
      mode,
      outbox: catcher.outbox,
      setPassword: async (collection, email, password) => {
        const record = await findUser(collection, email)
        if (record === undefined) throw new Error(`No ${collection} record has the email ${email}.`)
        await admin.collection(collection).update(String(record.id), { password, passwordConfirm: password })
      },
      user: findUser,
      issuedTokens: () => proxy.issuedTokens(),
      requests: () => proxy.requests(),
      stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}

const INSTALLER_LINK = /\/_\/#\/pbinstal\/([\w.-]+)/

/**
 * PocketBase: the superusers come from a JS migration in the default migrations folder (beside the
 * data folder), so no password is on a command line.
 */
async function pocketbaseLaunch(dir: string, superusers: readonly EmulatorUser[]): Promise<{ args: string[]; env: Record<string, string> }> {
  const migrations = join(dir, 'pb_migrations')
  await mkdir(migrations, { mode: 0o700 })
  const migration = join(migrations, '1_superusers.js')
  await writeFile(migration, superuserMigration(superusers), { mode: 0o600 })
  await chmod(migration, 0o600)
  return { args: [`--migrationsDir=${migrations}`, '--hooksWatch=false'], env: {} }
}

/**
 * BosBase: a fresh PostgreSQL database. Its own `serve` runs without the JS migrations plugin (the
 * example program BosBase ships registers it after it has started serving), so the superusers are
 * made the way its admin page's installer makes the first one: with the short-lived installer token
 * it prints at start while it has no superuser.
 */
async function bosbaseLaunch(): Promise<{ args: string[]; env: Record<string, string> }> {
  return { args: [], env: { SASSPB_POSTGRES_URL: await freshBosBaseDatabase() } }
}

async function createSuperusersAsInstaller(url: string, installer: () => string | undefined, superusers: readonly EmulatorUser[]): Promise<void> {
  const deadline = Date.now() + 10_000
  while (installer() === undefined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
  const token = installer()
  if (token === undefined) throw new Error('BosBase printed no installer link within 10 s of answering.')
  const client = new PocketBase(url)
  client.authStore.save(token)
  for (const user of superusers) {
    await client.collection('_superusers').create({ ...(user.id === undefined ? {} : { id: user.id }), email: user.email, password: user.password, passwordConfirm: user.password })
  }
}

function superuserMigration(superusers: readonly EmulatorUser[]): string {
  const records = superusers.map((user) => ({ id: user.id, email: user.email, password: user.password }))
  return `migrate((app) => {
  const collection = app.findCollectionByNameOrId("_superusers")
  for (const user of ${JSON.stringify(records)}) {
    const record = new Record(collection)
    if (user.id) record.set("id", user.id)
    record.set("email", user.email)
    record.set("password", user.password)
    app.save(record)
  }
})
`
}

async function configure(admin: PocketBase, flavor: Flavor, options: PocketBaseEmulatorOptions, smtpPort: number, appURL: string): Promise<void> {
  await admin.settings.update({
    meta: { appName: 'Latchkey test', appURL, senderName: 'Latchkey test', senderAddress: 'noreply@example.test' },
    smtp: { enabled: true, host: '127.0.0.1', port: smtpPort, tls: false, authMethod: 'PLAIN', username: '', password: '' },
    rateLimits: { enabled: (options.rateLimits ?? []).length > 0, rules: options.rateLimits ?? [] },
  })
  const methods = options.methods ?? {}
  const upstream = options.upstream
  const providers = upstream === undefined ? [] : [await oidcProvider(upstream)]
  await afterStaleTableCache(() => admin.collections.update('users', {
    authRule: options.authRule ?? '',
    ...Object.fromEntries((options.superusersOnlyRules ?? []).map((rule) => [`${rule}Rule`, null])),
    authToken: { duration: options.tokenDurationSeconds ?? 604800 },
    passwordAuth: { enabled: methods.password ?? true, identityFields: ['email'] },
    otp: { enabled: methods.otp ?? true, duration: options.otpDurationSeconds ?? 180, length: options.otpLength ?? 8 },
    mfa: { enabled: methods.mfa ?? true, duration: options.mfaDurationSeconds ?? flavor.mfaDurationSeconds, rule: mfaRule(options.users ?? demoPocketBaseUsers(flavor.mode)) },
    oauth2: { enabled: (methods.oauth2 ?? true) && upstream !== undefined, providers, mappedFields: { name: 'name' } },
  }))
  const mfaSuperusers = (options.superusers ?? demoPocketBaseSuperusers(flavor.mode)).filter((user) => user.mfa === true)
  await admin.collections.update('_superusers', {
    authToken: { duration: options.superuserTokenDurationSeconds ?? 86400 },
    otp: { enabled: mfaSuperusers.length > 0, duration: options.otpDurationSeconds ?? 180, length: options.otpLength ?? 8 },
    // Its MFA rule is a system rule (it cannot be changed): with MFA on, every superuser gets the second step.
    mfa: { enabled: mfaSuperusers.length > 0, duration: options.mfaDurationSeconds ?? flavor.mfaDurationSeconds },
  })
}

/**
 * The collection's MFA rule, matching the people marked `mfa` by their email. Not a field of their
 * own: a new column changes the table's shape under BosBase's cached PostgreSQL statements, and its
 * next reads of that table fail ("cached plan must not change result type") until it restarts.
 */
function mfaRule(users: readonly EmulatorUser[]): string {
  const emails = users.filter((user) => user.mfa === true).map((user) => `email = ${JSON.stringify(user.email)}`)
  return emails.length === 0 ? "id = ''" : emails.join(' || ')
}

/**
 * BosBase remembers for 2 s that a table does not exist (core/db_table.go, hasTable), so a change to
 * a collection in the first seconds of a new install tries to create its table again and fails with
 * "relation … already exists (SQLSTATE 42P07)". Tried again until that memory has lapsed.
 */
async function afterStaleTableCache<T>(change: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 5000
  for (;;) {
    try {
      return await change()
    } catch (error) {
      const stale = error instanceof ClientResponseError && /already exists \(SQLSTATE 42P07\)/.test(String(error.response.message))
      if (!stale || Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }
}

async function oidcProvider(upstream: NonNullable<PocketBaseEmulatorOptions['upstream']>): Promise<Record<string, unknown>> {
  const response = await fetch(new URL('.well-known/openid-configuration', upstream.issuer.endsWith('/') ? upstream.issuer : `${upstream.issuer}/`))
  const metadata = (await response.json()) as { authorization_endpoint: string; token_endpoint: string; userinfo_endpoint: string }
  return {
    name: 'oidc',
    displayName: upstream.displayName ?? 'OIDC',
    clientId: upstream.clientId,
    clientSecret: upstream.clientSecret,
    authURL: metadata.authorization_endpoint,
    tokenURL: metadata.token_endpoint,
    userInfoURL: metadata.userinfo_endpoint,
    pkce: true,
  }
}

async function createUser(admin: PocketBase, user: EmulatorUser): Promise<void> {
  await admin.collection('users').create({
    ...(user.id === undefined ? {} : { id: user.id }),
    email: user.email,
    password: user.password,
    passwordConfirm: user.password,
    name: user.name ?? '',
    verified: user.verified ?? false,
  })
}

function waitForHealth(url: string, exitCode: () => number | null, lastOutput: () => string): Promise<void> {
  return untilAnswers(`${url}/api/health`, {
    within: 20_000,
    failed: () => (exitCode() === null ? null : new Error(`PocketBase exited (code ${String(exitCode())}): ${lastOutput()}`)),
    late: () => new Error(`PocketBase did not answer at ${url} within 20 s: ${lastOutput()}`),
  })
}
