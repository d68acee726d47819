/**
 * `latchkey` as a person's scripts run it: separate processes against a real data folder (a private
 * GNOME Keyring on its own D-Bus, the local OpenID Connect server), with the headless core it starts
 * and with the app (the browser shell) running.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { AUDIT_FILE } from '../main/adapters/audit-file.ts'
import { cliEndpoint } from '../main/cli-server/socket-path.ts'
import { CLI_ENTRY, startCliFixture, type CliFixture } from '../dev/cli-fixture.ts'
import { missingKeyringTools } from '../dev/keyring-session.ts'

const missing = await missingKeyringTools()
if (missing.length > 0 && process.env.CI !== 'true') console.log(`latchkey command tests skipped: ${missing.join(', ')} not installed`)

/** Whether `command` runs on this machine as the child of a `latchkey exec`. */
function runByExec(command: string[]): boolean {
  const wanted = `${command.join('\0')}\0`
  return readdirSync('/proc').some((entry) => {
    try {
      if (!/^\d+$/.test(entry) || readFileSync(`/proc/${entry}/cmdline`, 'utf8') !== wanted) return false
      const parent = /^\d+ \(.*\) \S (\d+)/.exec(readFileSync(`/proc/${entry}/stat`, 'utf8'))?.[1] ?? ''
      return readFileSync(`/proc/${parent}/cmdline`, 'utf8').split('\0').includes('exec')
    } catch {
      return false
    }
  })
}

/** Every process's command line on this machine that contains one of the secrets (pid → command line). */
function argvWithSecrets(secrets: string[]): string[] {
  const found: string[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let cmdline = ''
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8')
    } catch {
      continue
    }
    if (secrets.some((secret) => cmdline.includes(secret))) found.push(`${entry}: ${cmdline.replaceAll('\0', ' ')}`)
  }
  return found
}

function auditLines(f: CliFixture): Record<string, unknown>[] {
  return readFileSync(join(f.dataDir, AUDIT_FILE), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}

async function allow(f: CliFixture, allowed: boolean): Promise<void> {
  await f.stopHeadless()
  const core = f.compose()
  await core.latchkey.loadSecrets()
  core.latchkey.setCliAccess(f.accountId, allowed)
  await core.stop()
}

describe.skipIf(missing.length > 0 && process.env.CI !== 'true')('latchkey on the command line', { timeout: 120_000 }, () => {
  let f: CliFixture

  beforeAll(async () => {
    f = await startCliFixture()
  }, 60_000)
  afterAll(async () => {
    await f.stop()
  }, 60_000)

  it('lists the accounts without a secret', async () => {
    expect(f.lockHolder()).toBeNull()
    const table = await f.run(['accounts'])
    expect(table.code).toBe(0)
    expect(table.stdout).toContain('oidc:alice@example.test')
    expect(table.stdout).toContain(f.accountId)
    expect(table.stdout).toMatch(/signed-in .* off/)
    const json = await f.run(['accounts', '--json'])
    const lines = JSON.parse(json.stdout) as { id: string; email: string; cliAccess: boolean; active: boolean }[]
    expect(lines).toEqual([expect.objectContaining({ id: f.accountId, email: 'alice@example.test', cliAccess: false, active: true })])
    for (const secret of f.secrets()) expect(table.stdout + json.stdout).not.toContain(secret)
  })

  it('refuses an account whose command-line access is off, saying how to allow it, and records the refusal', async () => {
    const refused = await f.run(['token', 'alice@example.test'])
    expect(refused.code).toBe(5)
    expect(refused.stdout).toBe('')
    expect(refused.stderr.trim().split('\n')).toHaveLength(1)
    expect(refused.stderr).toMatch(/^latchkey: Command-line tools may not use “alice@example.test”\. Allow it in Latchkey: open the account .*, then turn on “Allow command-line tools”\.\n$/)
    expect(auditLines(f).at(-1)).toMatchObject({ accountId: f.accountId, outcome: 'refused', reason: 'not-allowed' })
    expect(f.refreshes()).toBe(0)
  })

  it('hands 50 parallel callers the token of one refresh (headless core)', async () => {
    await allow(f, true)
    expect(f.refreshes()).toBe(0)
    const runs = await Promise.all(Array.from({ length: 50 }, () => f.run(['token'])))
    // A failed run shows what it printed (its exit code and message), not only that one failed.
    expect(runs.filter((r) => r.code !== 0).map((r) => `${String(r.code)}: ${r.stderr}`)).toEqual([])
    const tokens = new Set(runs.map((r) => r.stdout.trim()))
    expect(tokens.size).toBe(1)
    const [token] = [...tokens]
    // The renewed access token: one the server issued, not the refresh or ID token.
    expect(f.secrets()).toContain(token)
    expect(f.refreshes()).toBe(1)
    // The headless core renewed it; it holds the lock both shells take, so no app can refresh beside it.
    const holder = f.lockHolder()
    expect(holder).not.toBeNull()
    expect(readFileSync(`/proc/${String(holder)}/cmdline`, 'utf8')).toContain('headless')
  })

  it('hands 50 parallel callers the token of one refresh (the app running)', async () => {
    // The next token the server issues lives 30 s; getting it refreshes once.
    f.ttlSeconds.value = 30
    expect((await f.run(['token', '--min-ttl', '86400'])).code).toBe(0)
    f.ttlSeconds.value = 3600
    expect(f.refreshes()).toBe(2)
    await f.stopHeadless()
    const app = await f.startApp()
    expect(f.lockHolder()).toBe(app.pid)
    // The app has read the keychain (as it does at its first paint).
    expect((await f.run(['accounts'])).code).toBe(0)
    const runs = await Promise.all(Array.from({ length: 50 }, () => f.run(['token', '--json'])))
    expect(runs[0]?.stderr).toBe('')
    // A failed run shows what it printed (its exit code and message), not only that one failed.
    expect(runs.filter((r) => r.code !== 0).map((r) => `${String(r.code)}: ${r.stderr}`)).toEqual([])
    // The socket's key (this launch's, in its 0600 file) went nowhere else: not the output, the audit, the logs.
    const socketKey = readFileSync(cliEndpoint(f.dataDir, f.env).keyFile, 'utf8').trim()
    expect(socketKey).toMatch(/^[0-9a-f]{64}$/)
    const elsewhere = [...runs.map((r) => r.stdout + r.stderr), ...readdirSync(f.dataDir, { recursive: true, encoding: 'utf8' }).flatMap((name) => (statSync(join(f.dataDir, name)).isFile() ? [readFileSync(join(f.dataDir, name), 'utf8')] : []))]
    expect(elsewhere.filter((text) => text.includes(socketKey))).toEqual([])
    const answers = runs.map((r) => JSON.parse(r.stdout) as { token: string; expiresAt: string; backend: string; accountId: string; provider: string })
    expect(new Set(answers.map((a) => a.token)).size).toBe(1)
    expect(answers[0]).toMatchObject({ accountId: f.accountId, provider: 'oidc', backend: expect.stringContaining('127.0.0.1') as unknown })
    expect(Date.parse(answers[0]?.expiresAt ?? '') - Date.now()).toBeGreaterThan(3000_000)
    expect(f.refreshes()).toBe(3)
    // Still the app: no headless core was started beside it.
    expect(f.lockHolder()).toBe(app.pid)
  })

  it('records every token handed out, with the caller as it reported itself, never the token (0600)', () => {
    const lines = auditLines(f)
    const handed = lines.filter((line) => line.outcome === 'handed-out')
    expect(handed.length).toBeGreaterThanOrEqual(101)
    expect(handed.at(-1)).toMatchObject({ accountId: f.accountId, kind: 'access', pid: process.pid })
    // The caller's parent: this test runner's command line, read from /proc by the command.
    expect((handed.at(-1)?.command as string[]).join(' ')).toContain(process.argv[1] ?? 'node')
    const text = readFileSync(join(f.dataDir, AUDIT_FILE), 'utf8')
    for (const secret of f.secrets()) expect(text).not.toContain(secret)
    expect(statSync(join(f.dataDir, AUDIT_FILE)).mode & 0o777).toBe(0o600)
  })

  it('with nothing running, answers a still-valid token itself: no core started, no refresh, the same audit record', async () => {
    await f.stopHeadless()
    expect(f.lockHolder()).toBeNull()
    const before = f.refreshes()
    const audited = auditLines(f).length
    const runs = await Promise.all(Array.from({ length: 20 }, () => f.run(['token'])))
    expect(runs.map((r) => r.code)).toEqual(Array.from({ length: 20 }, () => 0))
    const tokens = new Set(runs.map((r) => r.stdout.trim()))
    expect(tokens.size).toBe(1)
    expect(f.secrets()).toContain([...tokens][0])
    // Read-only: nobody renewed, and no core holds the data folder.
    expect(f.refreshes()).toBe(before)
    expect(f.lockHolder()).toBeNull()
    const added = auditLines(f).slice(audited)
    expect(added).toHaveLength(20)
    for (const line of added) {
      expect(line).toMatchObject({ accountId: f.accountId, outcome: 'handed-out', kind: 'access', pid: process.pid })
      expect(Object.keys(line).sort()).toEqual(['accountId', 'ancestors', 'at', 'command', 'kind', 'outcome', 'pid'])
    }
    // --json too (expiry, backend, account id), still without a core.
    const json = await f.run(['token', '--json'])
    expect(json.code).toBe(0)
    expect(JSON.parse(json.stdout)).toMatchObject({ token: [...tokens][0], accountId: f.accountId, provider: 'oidc', backend: expect.stringContaining('127.0.0.1') as unknown })
    expect(f.lockHolder()).toBeNull()
    // Access off: refused as the core refuses without a window, and the refusal recorded.
    await allow(f, false)
    const refused = await f.run(['token'])
    expect(refused.code).toBe(5)
    expect(refused.stderr).toMatch(/^latchkey: Command-line tools may not use “alice@example.test”\./)
    expect(auditLines(f).at(-1)).toMatchObject({ accountId: f.accountId, outcome: 'refused', reason: 'not-allowed' })
    expect(f.lockHolder()).toBeNull()
    await allow(f, true)
  })

  it('with nothing running, 50 callers on an expiring token start one core, which refreshes once', async () => {
    // The next token the server issues lives 30 s: within `latchkey token`'s default minimum.
    f.ttlSeconds.value = 30
    expect((await f.run(['token', '--min-ttl', '86400'])).code).toBe(0)
    f.ttlSeconds.value = 3600
    await f.stopHeadless()
    expect(f.lockHolder()).toBeNull()
    const before = f.refreshes()
    const runs = await Promise.all(Array.from({ length: 50 }, () => f.run(['token'])))
    // A failed run shows what it printed (its exit code and message), not only that one failed.
    expect(runs.filter((r) => r.code !== 0).map((r) => `${String(r.code)}: ${r.stderr}`)).toEqual([])
    expect(new Set(runs.map((r) => r.stdout.trim())).size).toBe(1)
    expect(f.refreshes()).toBe(before + 1)
    expect(f.lockHolder()).not.toBeNull()
    // The app again, for what follows.
    await f.stopHeadless()
    await f.startApp()
    expect((await f.run(['accounts'])).code).toBe(0)
  })

  it('names the script whose subshell asked: the processes above the caller are in the audit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-script-'))
    try {
      // The token in a variable of a `bash -c` run by the script: the caller is that bash.
      writeFileSync(join(dir, 'deploy.sh'), `#!/bin/bash\nset -e\nlength=$(bash -c 'token=$("$0" "$@"); printf %s "\${#token}"' "$LK_NODE" "$LK_CLI" --data-dir "$LK_DATA" token)\necho "length $length"\n`)
      const ran = await new Promise<{ code: number | null; stdout: string }>((done) => {
        const child = spawn('bash', ['./deploy.sh'], { cwd: dir, env: { ...f.env, LK_NODE: process.execPath, LK_CLI: CLI_ENTRY, LK_DATA: f.dataDir }, stdio: ['ignore', 'pipe', 'inherit'] })
        let stdout = ''
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
        child.once('close', (code) => done({ code, stdout }))
      })
      expect(ran.code).toBe(0)
      expect(Number(/length (\d+)/.exec(ran.stdout)?.[1])).toBeGreaterThan(10)
      const record = auditLines(f).at(-1) as { command: string[]; ancestors?: { pid: number; command: string[] }[]; outcome: string }
      expect(record.outcome).toBe('handed-out')
      expect(record.command.slice(0, 2)).toEqual(['bash', '-c'])
      expect(record.ancestors?.map((a) => a.command)).toContainEqual(['bash', './deploy.sh'])
      expect(record.ancestors?.every((a) => Number.isInteger(a.pid) && a.pid > 1)).toBe(true)
      for (const secret of f.secrets()) expect(JSON.stringify(record)).not.toContain(secret)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('exec puts the token in the environment only, never on a command line', async () => {
    const token = (await f.run(['token'])).stdout.trim()
    const script = [
      "const fs = require('node:fs')",
      "const own = fs.readFileSync('/proc/self/cmdline', 'utf8')",
      "const parent = fs.readFileSync('/proc/' + process.ppid + '/cmdline', 'utf8')",
      "console.log(JSON.stringify({ env: process.env.MY_TOKEN ?? null, other: process.env.LATCHKEY_TOKEN ?? null, own, parent }))",
    ].join(';')
    const ran = await f.run(['exec', 'alice@example.test', '--env', 'MY_TOKEN', '--', process.execPath, '-e', script, 'an-argument'])
    expect(ran.code).toBe(0)
    const seen = JSON.parse(ran.stdout) as { env: string; other: string | null; own: string; parent: string }
    expect(seen.env).toBe(token)
    expect(seen.other).toBeNull()
    expect(seen.own).not.toContain(token)
    expect(seen.parent).not.toContain(token)
    expect(seen.parent).toContain('exec')
    // The default name, and the command's own exit code.
    const code = await f.run(['exec', '--', process.execPath, '-e', 'process.exit(7)'])
    expect(code.code).toBe(7)
    const defaulted = await f.run(['exec', '--', process.execPath, '-e', `process.exit(process.env.LATCHKEY_TOKEN.length > 10 ? 4 : 5)`])
    expect(defaulted.code).toBe(4)
    // The audit names the program that got the token, and above it what ran `latchkey exec` (this test).
    expect(auditLines(f).at(-1)?.command).toEqual([process.execPath, '-e', 'process.exit(process.env.LATCHKEY_TOKEN.length > 10 ? 4 : 5)'])
    expect(auditLines(f).at(-1)?.ancestors).toEqual(expect.arrayContaining([{ pid: process.pid, command: expect.arrayContaining([process.argv[1]]) as unknown }]))
  })

  it('no process on the machine carries a token on its command line', async () => {
    const ran = await f.run(['exec', '--', process.execPath, '-e', 'setTimeout(() => {}, 1500)'], {})
    expect(ran.code).toBe(0)
    const during = f.run(['exec', '--', 'sleep', '1'])
    // Checked while the command runs with its token, which `latchkey exec` got before starting it.
    await vi.waitFor(() => expect(runByExec(['sleep', '1']), 'sleep 1 started by latchkey exec').toBe(true), { timeout: 5000 })
    expect(argvWithSecrets(f.secrets())).toEqual([])
    expect((await during).code).toBe(0)
  })

  it('says on one line what is wrong, with a distinct exit code', async () => {
    const unknown = await f.run(['token', 'alice@example.tst'])
    expect(unknown.code).toBe(3)
    expect(unknown.stderr).toMatch(/^latchkey: No account matches “alice@example.tst”\. Closest: oidc:alice@example.test\./)
    const usage = await f.run(['tokens'])
    expect(usage.code).toBe(2)
    expect(usage.stderr).toBe('latchkey: Unknown command “tokens”. (latchkey --help)\n')
    expect((await f.run(['token', '--min-ttl', 'soon'])).code).toBe(2)
    expect((await f.run(['exec', '--env', 'BAD-NAME', '--', 'true'])).code).toBe(2)
    expect((await f.run(['exec'])).code).toBe(2)
    const role = await f.run(['token', '--role', 'admin'])
    expect(role.code).toBe(7)
    expect(role.stderr).toContain('no roles')
    const idToken = await f.run(['token', '--id-token'])
    expect(idToken.code).toBe(0)
    expect(idToken.stdout.trim().split('.')).toHaveLength(3)
    expect(f.secrets()).toContain(idToken.stdout.trim())
    const help = await f.run(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('latchkey exec [ACCOUNT] [--env NAME] -- COMMAND')
  })

  it('switches the active account and opens the window where there is one', async () => {
    const switched = await f.run(['switch', f.accountId])
    expect(switched.code).toBe(0)
    expect(switched.stdout).toContain('active account is now')
    expect((await f.run(['switch'])).code).toBe(2)
    expect((await f.run(['open'])).code).toBe(0)
  })

  it('says the account needs attention, and why, when the server ended its session', async () => {
    await f.oidc.revokeAllFor('alice')
    const ended = await f.run(['token', '--min-ttl', '86400'])
    expect(ended.code).toBe(4)
    expect(ended.stderr).toMatch(/^latchkey: “.*” needs attention: .+/)
    expect(ended.stderr.trim().split('\n')).toHaveLength(1)
  })

  it('without a window, open says how to start Latchkey; with the keychain gone, says so', async () => {
    // Stop the app: the next command starts the headless core again.
    await f.stopHeadless()
    const open = await f.run(['open'])
    expect(open.code).toBe(8)
    expect(open.stderr).toContain('Start Latchkey')
    await f.keyring.stopDaemon()
    try {
      await f.stopHeadless()
      const locked = await f.run(['accounts'])
      expect(locked.code).toBe(0)
      const token = await f.run(['token'])
      expect(token.code).toBe(6)
      expect(token.stderr).toMatch(/^latchkey: Latchkey's keychain is unavailable/)
    } finally {
      await f.stopHeadless()
      await f.keyring.startDaemon()
    }
  })
})
