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
import PocketBase from 'pocketbase'
import { DEMO_POCKETBASE_SUPERUSERS, DEMO_POCKETBASE_USERS } from '../demo-users.ts'
import type { AuthCollectionName, EmulatorUser, OutboxMessage, PocketBaseEmulatorOptions } from '../types.ts'
import { startMailCatcher } from './mail-catcher.ts'
import { startRecordingProxy } from './recording-proxy.ts'
import { freePort } from '../../free-port.ts'
import { untilAnswers } from '../../until-answers.ts'

export interface RealPocketBase {
  url: string
  mode: 'pocketbase'
  outbox: { messages(): OutboxMessage[]; last(to: string, kind: OutboxMessage['kind']): OutboxMessage | undefined; clear(): void }
  /** A change made elsewhere (the admin API): sets the password, which rotates the record's tokenKey. */
  setPassword(collection: AuthCollectionName, email: string, password: string): Promise<void>
  user(collection: AuthCollectionName, email: string): Promise<Readonly<Record<string, unknown>> | undefined>
  issuedTokens(): string[]
  requests(): { method: string; path: string; status: number }[]
  stop(): Promise<void>
}

export async function startRealPocketBase(binary: string, options: PocketBaseEmulatorOptions = {}): Promise<RealPocketBase> {
  if (options.mode === 'bosbase') throw new Error('A real PocketBase cannot play BosBase.')
  if (options.now !== undefined) throw new Error('A real PocketBase keeps its own clock.')
  const dir = await mkdtemp(join(tmpdir(), 'latchkey-pocketbase-'))
  const migrations = join(dir, 'pb_migrations')
  await mkdir(migrations, { mode: 0o700 })
  const superusers = options.superusers ?? DEMO_POCKETBASE_SUPERUSERS
  const migration = join(migrations, '1_superusers.js')
  await writeFile(migration, superuserMigration(superusers), { mode: 0o600 })
  await chmod(migration, 0o600)
  const port = await freePort()
  const server = spawn(binary, ['serve', `--http=127.0.0.1:${String(port)}`, `--dir=${join(dir, 'pb_data')}`, `--migrationsDir=${migrations}`, '--hooksWatch=false'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir },
  })
  let stderr = ''
  server.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-2000)))
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
    await waitForHealth(direct, () => server.exitCode, () => stderr)
    const admin = new PocketBase(direct)
    const [root] = superusers
    if (root === undefined) throw new Error('A real PocketBase needs a superuser to be configured.')
    await admin.collection('_superusers').authWithPassword(root.email, root.password)
    await configure(admin, options, catcher.port, proxy.url)
    for (const user of options.users ?? DEMO_POCKETBASE_USERS) await createUser(admin, user)
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
      mode: 'pocketbase',
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

async function configure(admin: PocketBase, options: PocketBaseEmulatorOptions, smtpPort: number, appURL: string): Promise<void> {
  await admin.settings.update({
    meta: { appName: 'Latchkey test', appURL, senderName: 'Latchkey test', senderAddress: 'noreply@example.test' },
    smtp: { enabled: true, host: '127.0.0.1', port: smtpPort, tls: false, authMethod: 'PLAIN', username: '', password: '' },
    rateLimits: { enabled: (options.rateLimits ?? []).length > 0, rules: options.rateLimits ?? [] },
  })
  const methods = options.methods ?? {}
  const users = await admin.collections.getOne('users')
  const fields = [...(users.fields as { name: string }[])]
  if (!fields.some((field) => field.name === 'mfa')) fields.push({ name: 'mfa', type: 'bool' } as { name: string })
  const upstream = options.upstream
  const providers = upstream === undefined ? [] : [await oidcProvider(upstream)]
  await admin.collections.update('users', {
    fields,
    authRule: options.authRule ?? '',
    ...Object.fromEntries((options.superusersOnlyRules ?? []).map((rule) => [`${rule}Rule`, null])),
    authToken: { duration: options.tokenDurationSeconds ?? 604800 },
    passwordAuth: { enabled: methods.password ?? true, identityFields: ['email'] },
    otp: { enabled: methods.otp ?? true, duration: options.otpDurationSeconds ?? 180, length: options.otpLength ?? 8 },
    mfa: { enabled: methods.mfa ?? true, duration: options.mfaDurationSeconds ?? 600, rule: 'mfa = true' },
    oauth2: { enabled: (methods.oauth2 ?? true) && upstream !== undefined, providers, mappedFields: { name: 'name' } },
  })
  const mfaSuperusers = (options.superusers ?? DEMO_POCKETBASE_SUPERUSERS).filter((user) => user.mfa === true)
  await admin.collections.update('_superusers', {
    authToken: { duration: options.superuserTokenDurationSeconds ?? 86400 },
    otp: { enabled: mfaSuperusers.length > 0, duration: options.otpDurationSeconds ?? 180, length: options.otpLength ?? 8 },
    // Its MFA rule is a system rule (it cannot be changed): with MFA on, every superuser gets the second step.
    mfa: { enabled: mfaSuperusers.length > 0, duration: options.mfaDurationSeconds ?? 600 },
  })
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
    mfa: user.mfa ?? false,
  })
}

function waitForHealth(url: string, exitCode: () => number | null, stderr: () => string): Promise<void> {
  return untilAnswers(`${url}/api/health`, {
    within: 20_000,
    failed: () => (exitCode() === null ? null : new Error(`PocketBase exited (code ${String(exitCode())}): ${stderr()}`)),
    late: () => new Error(`PocketBase did not answer at ${url} within 20 s: ${stderr()}`),
  })
}
