/**
 * `latchkey` answering by itself (nothing running) against the headless core answering the same
 * request on the same data folder: the same output, exit code and error, the same audit record,
 * and no core started where the command could answer. A private GNOME Keyring holds the vault key;
 * the accounts are sealed in their files as Latchkey leaves them. No server is reached: every
 * session is valid, and whatever would need a server is left to the core.
 */
import { readFileSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AUDIT_FILE } from '../main/adapters/audit-file.ts'
import { CLI_ENTRY } from '../dev/cli-fixture.ts'
import { lockHolderOf, stopLockHolder } from '../dev/lock-holder.ts'
import { missingKeyringTools, startKeyringSession, type KeyringSession } from '../dev/keyring-session.ts'
import { runProcess } from '../dev/run-process.ts'
import { jwt, seedFolder, testSession, type Seed } from '../dev/seeded-folder.ts'

const ROOT = resolve(import.meta.dirname, '../..')
const CORE_ONLY = join(ROOT, 'src/dev/latchkey-core-only.ts')
const missing = await missingKeyringTools()
if (missing.length > 0 && process.env.CI !== 'true') console.log(`latchkey direct-answer tests skipped: ${missing.join(', ')} not installed`)

const HOUR = 3_600_000
const now = Date.now()
const PAT = 'teable_accDirect1_c2VjcmV0LXBhdA=='

const UNREACHABLE = 'http://127.0.0.1:9'
const SYNMETRIX_TOKEN = jwt({ sub: 'bob', exp: Math.floor((now + HOUR) / 1000), hasura: { 'x-hasura-allowed-roles': ['user', 'analyst', 'viewer'], 'x-hasura-default-role': 'user', 'x-hasura-user-id': 'bob' } })

const ACCOUNTS: Seed[] = [
  {
    id: 'alice',
    provider: 'oidc',
    config: { issuer: `${UNREACHABLE}/realms/main`, clientId: 'latchkey' },
    email: 'alice@example.test',
    cliAccess: true,
    // The ID token's own expiry is sooner than the access token's.
    secrets: { session: testSession(now, { idToken: jwt({ sub: 'alice', exp: Math.floor((now + HOUR / 3) / 1000) }) }) },
  },
  {
    id: 'bob',
    provider: 'synmetrix',
    config: { url: UNREACHABLE, claimsNamespace: 'hasura', role: 'analyst' },
    email: 'bob@example.test',
    cliAccess: true,
    secrets: { session: testSession(now, { accessToken: SYNMETRIX_TOKEN, refreshToken: '6f1c1f5e-7d2a-4c43-9d1e-2d6c1f0b9a11', expiresAt: now + HOUR }) },
  },
  {
    id: 'carol',
    provider: 'teable',
    config: { url: UNREACHABLE, sessionDays: '7' },
    email: 'carol@example.test',
    cliAccess: true,
    secrets: { session: testSession(now, { tokenType: 'cookie', refreshToken: null, expiresAt: now + 7 * 24 * HOUR }), config: { token: PAT } },
  },
  {
    id: 'dan',
    provider: 'teable',
    config: { url: UNREACHABLE, sessionDays: '7' },
    email: 'dan@example.test',
    cliAccess: true,
    secrets: { session: testSession(now, { tokenType: 'cookie', refreshToken: null, expiresAt: now + 7 * 24 * HOUR }) },
  },
  { id: 'erin', provider: 'pocketbase', config: { url: UNREACHABLE, collection: 'users' }, email: 'erin@example.test', secrets: { session: testSession(now, { refreshToken: null }) } },
  {
    id: 'frank',
    provider: 'oidc',
    config: { issuer: `${UNREACHABLE}/realms/main`, clientId: 'latchkey' },
    email: 'frank@example.test',
    cliAccess: true,
    attention: { reason: 'refresh-rejected', message: 'The server refused to renew this session. Sign in again.', since: new Date(now - HOUR).toISOString() },
    secrets: { session: testSession(now) },
  },
  { id: 'gina', provider: 'oidc', config: { issuer: `${UNREACHABLE}/realms/main`, clientId: 'latchkey' }, email: 'gina@example.test', cliAccess: true, signedOut: true, secrets: null },
  { id: 'shared-1', label: 'Shared', provider: 'pocketbase', config: { url: UNREACHABLE, collection: 'members' }, email: 'ops@example.test', cliAccess: true, secrets: { session: testSession(now, { refreshToken: null }) } },
  { id: 'shared-2', label: 'Shared', provider: 'pocketbase', config: { url: UNREACHABLE, collection: '_superusers' }, email: 'root@example.test', cliAccess: true, secrets: { session: testSession(now, { refreshToken: null }) } },
]

/** A token-only Teable account: the core checks it with its server when it starts. */
const TOKEN_ONLY: Seed[] = [
  {
    id: 'tess',
    provider: 'teable',
    config: { url: UNREACHABLE, sessionDays: '7' },
    email: 'tess@example.test',
    cliAccess: true,
    secrets: { session: testSession(now, { accessToken: PAT, tokenType: 'pat', refreshToken: null, expiresAt: null, isStatic: true }), config: { token: PAT } },
  },
]

/** What a person sees of a run (not its process id, which differs from run to run). */
interface Ran {
  code: number | null
  stdout: string
  stderr: string
}

async function run(entry: string, dataDir: string, args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  const { code, stdout, stderr } = await runProcess(process.execPath, [entry, '--data-dir', dataDir, ...args], env)
  return { code, stdout, stderr }
}

/** A JSON-lines file's records; none when it does not exist. */
function jsonLines(path: string): Record<string, unknown>[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return []
  }
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}

const auditLines = (dataDir: string) => jsonLines(join(dataDir, AUDIT_FILE))

/** The `cli.token` lines of the headless core's log (where the command logs when it answers in the core's place). */
const tokenLogLines = (dataDir: string) => jsonLines(join(dataDir, 'logs', 'headless.log')).filter((line) => line.event === 'cli.token')

const without = (name: string) => (line: Record<string, unknown>) => Object.fromEntries(Object.entries(line).filter(([field]) => field !== name))

/** The audit lines and `cli.token` log lines one run added, without their times. */
async function audited(dataDir: string, work: () => Promise<Ran>): Promise<{ ran: Ran; audit: Record<string, unknown>[]; raw: string[]; log: Record<string, unknown>[]; rawLog: string[] }> {
  const before = auditLines(dataDir).length
  const logged = tokenLogLines(dataDir).length
  const ran = await work()
  const added = auditLines(dataDir).slice(before)
  const addedLog = tokenLogLines(dataDir).slice(logged)
  return {
    ran,
    audit: added.map(without('at')),
    raw: added.map((line) => JSON.stringify(Object.keys(line))),
    log: addedLog.map(without('time')),
    rawLog: addedLog.map((line) => JSON.stringify(Object.keys(line))),
  }
}

describe.skipIf(missing.length > 0 && process.env.CI !== 'true')('latchkey answering by itself, against the headless core', { timeout: 180_000 }, () => {
  let keyring: KeyringSession
  let folder: string
  let tokenOnly: string
  let env: NodeJS.ProcessEnv

  beforeAll(async () => {
    keyring = await startKeyringSession()
    env = { ...process.env, ...keyring.env, LATCHKEY_HEADLESS_IDLE_SECONDS: '60' }
    folder = await seedFolder(ACCOUNTS, keyring.env, now)
    tokenOnly = await seedFolder(TOKEN_ONLY, keyring.env, now)
  }, 60_000)
  afterAll(async () => {
    for (const dir of [folder, tokenOnly]) {
      await stopLockHolder(dir)
      rmSync(dir, { recursive: true, force: true })
    }
    await keyring.stop()
  }, 60_000)

  /** The same request both ways, nothing running before each; says whether the command answered by itself. */
  async function bothWays(dataDir: string, args: string[]) {
    await stopLockHolder(dataDir)
    const direct = await audited(dataDir, () => run(CLI_ENTRY, dataDir, args, env))
    const answeredItself = lockHolderOf(dataDir) === null
    await stopLockHolder(dataDir)
    const core = await audited(dataDir, () => run(CORE_ONLY, dataDir, args, env))
    // The core answered that one: it holds the data folder's lock until it leaves.
    expect(lockHolderOf(dataDir), 'the headless core answered').not.toBeNull()
    await stopLockHolder(dataDir)
    return { direct, core, answeredItself }
  }

  const cases: { name: string; args: string[]; code: number; stdout?: RegExp; stderr?: RegExp }[] = [
    { name: 'the active account’s access token', args: ['token'], code: 0, stdout: /^at-\w+\n$/ },
    { name: 'with --json: expiry, backend, provider and account id', args: ['token', '--json'], code: 0, stdout: /"backend":"127\.0\.0\.1:9"/ },
    { name: 'the ID token, with its own expiry', args: ['token', 'alice@example.test', '--id-token', '--json'], code: 0, stdout: /"token":"eyJ/ },
    { name: 'the ID token alone', args: ['token', '--id-token'], code: 0, stdout: /^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/ },
    { name: 'Synmetrix: the role the person chose', args: ['token', 'bob@example.test', '--json'], code: 0, stdout: /"role":"analyst"/ },
    { name: 'Synmetrix: a role the token allows', args: ['token', 'synmetrix:bob@example.test', '--role', 'viewer', '--json'], code: 0, stdout: /"role":"viewer"/ },
    { name: 'Synmetrix: a role the token allows, token only', args: ['token', 'Bob', '--role', 'viewer'], code: 0, stdout: /^eyJ/ },
    { name: 'Synmetrix: a role the token does not allow', args: ['token', 'bob', '--role', 'admin'], code: 7, stderr: /does not allow the role “admin” \(allowed: user, analyst, viewer\)/ },
    { name: 'Synmetrix: no ID token', args: ['token', 'bob', '--id-token'], code: 7, stderr: /Synmetrix has no ID token/ },
    { name: 'Teable: its personal access token, never the cookie', args: ['token', 'carol@example.test', '--json'], code: 0, stdout: new RegExp(`"token":"${PAT.replace(/[+=]/g, '\\$&')}","expiresAt":null`) },
    { name: 'Teable: by backend and email', args: ['token', '127.0.0.1:9:carol@example.test'], code: 0, stdout: new RegExp(`^${PAT.replace(/[+=]/g, '\\$&')}\\n$`) },
    { name: 'Teable without a personal access token', args: ['token', 'dan@example.test'], code: 7, stderr: /holds no personal access token/ },
    { name: 'a backend without roles', args: ['token', '--role', 'admin'], code: 7, stderr: /no roles to choose from/ },
    { name: 'command-line access off: refused with how to allow it', args: ['token', 'erin@example.test'], code: 5, stderr: /Command-line tools may not use “erin@example.test”\. Allow it in Latchkey/ },
    { name: 'an account the server refused', args: ['token', 'frank'], code: 4, stderr: /“Frank” needs attention: The server refused to renew this session/ },
    { name: 'a signed-out account', args: ['token', 'gina@example.test'], code: 4, stderr: /“Gina” needs attention: it is signed out\./ },
    { name: 'no such account, with the closest names', args: ['token', 'alice@example.tst'], code: 3, stderr: /No account matches “alice@example.tst”\. Closest: oidc:alice@example.test, / },
    { name: 'two accounts with the name', args: ['token', 'shared'], code: 3, stderr: /“shared” matches 2 accounts: pocketbase:ops@example.test, pocketbase:root@example.test\./ },
    { name: 'the account list', args: ['accounts'], code: 0, stdout: /\* alice +Alice +oidc:alice@example.test +signed-in/ },
    { name: 'the account list as JSON', args: ['accounts', '--json'], code: 0, stdout: /"status":"needs-attention"/ },
  ]

  for (const c of cases) {
    it(`${c.name}: the same answer and audit record, without starting the core`, async () => {
      const { direct, core, answeredItself } = await bothWays(folder, c.args)
      expect(direct.ran).toEqual(core.ran)
      expect(direct.ran.code).toBe(c.code)
      if (c.stdout) expect(direct.ran.stdout).toMatch(c.stdout)
      if (c.stderr) expect(direct.ran.stderr).toMatch(c.stderr)
      expect(direct.ran.stderr.split('\n').filter(Boolean).length).toBeLessThanOrEqual(1)
      // The same record with the caller as the core keeps it (and its fields in the same order).
      expect(direct.audit).toEqual(core.audit)
      expect(direct.raw).toEqual(core.raw)
      // And the same `cli.token` line in the log, one per audit record.
      expect(direct.log).toEqual(core.log)
      expect(direct.rawLog).toEqual(core.rawLog)
      expect(direct.log).toHaveLength(direct.audit.length)
      expect(answeredItself).toBe(true)
    })
  }

  it('records every token handed out and every refusal, never the token', () => {
    const text = readFileSync(join(folder, AUDIT_FILE), 'utf8')
    expect(text).not.toContain(PAT)
    expect(text).not.toContain(SYNMETRIX_TOKEN)
    const lines = auditLines(folder)
    expect(lines.filter((line) => line.accountId === 'bob' && line.outcome === 'handed-out').map((line) => line.role)).toEqual(['analyst', 'analyst', 'viewer', 'viewer', 'viewer', 'viewer'])
    expect(lines.find((line) => line.accountId === 'carol')).toMatchObject({ kind: 'personal access token', outcome: 'handed-out', pid: process.pid })
    expect(lines.find((line) => line.accountId === 'erin')).toMatchObject({ outcome: 'refused', reason: 'not-allowed', kind: 'access' })
    // The log names who got what (the command's own answers and the core's alike), never the token.
    const log = readFileSync(join(folder, 'logs', 'headless.log'), 'utf8')
    const secrets = ACCOUNTS.flatMap((a) => [a.secrets?.session?.accessToken, a.secrets?.session?.idToken, a.secrets?.session?.refreshToken, a.secrets?.config?.token])
    for (const secret of secrets) if (typeof secret === 'string') expect(log).not.toContain(secret)
    expect(tokenLogLines(folder).filter((line) => line.accountId === 'carol')[0]).toMatchObject({ level: 'info', event: 'cli.token', outcome: 'handed-out', kind: 'personal access token', pid: process.pid })
  })

  it('leaves to the core what depends on a server: a token-only Teable account is checked when the core starts', async () => {
    const token = await bothWays(tokenOnly, ['token', '--json'])
    expect(token.direct.ran).toEqual(token.core.ran)
    expect(token.direct.audit).toEqual(token.core.audit)
    expect(JSON.parse(token.direct.ran.stdout)).toEqual({ token: PAT, expiresAt: null, backend: '127.0.0.1:9', provider: 'teable', accountId: 'tess' })
    expect(token.answeredItself).toBe(true)
    // Its status in the list is what that check makes it: the core's to say.
    await stopLockHolder(tokenOnly)
    const list = await run(CLI_ENTRY, tokenOnly, ['accounts', '--json'], env)
    expect(list.code).toBe(0)
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ id: 'tess', provider: 'teable' })])
    expect(lockHolderOf(tokenOnly)).not.toBeNull()
  })

  it('leaves a renewal due to the core', async () => {
    await stopLockHolder(folder)
    // A minimum lifetime past the token's: the core must renew first (here it cannot reach the server).
    const renewing = await run(CLI_ENTRY, folder, ['token', 'alice', '--min-ttl', '86400'], env)
    expect(renewing.code).toBe(4)
    expect(renewing.stderr).toMatch(/^latchkey: “Alice” needs attention: /)
    expect(lockHolderOf(folder)).not.toBeNull()
    await stopLockHolder(folder)
  })
})
