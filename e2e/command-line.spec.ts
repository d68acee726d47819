/**
 * `latchkey` on the command line with the browser shell running: the window asks about an account
 * whose command-line access is off, the person allows it in the account, `latchkey token` gets a
 * fresh token, and the audit line appears in the account's detail.
 */
import { spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { resolve } from 'node:path'
import { lockHolderOf, stopLockHolder } from '../src/dev/lock-holder.ts'
import { seedFolder, testSession } from '../src/dev/seeded-folder.ts'
import { expectNoAxeViolations } from './support/axe.ts'
import { expect, test } from './support/fixtures.ts'
import { addOidcAccount, alice } from './support/flows.ts'
import type { Latchkey } from './support/fixtures.ts'

const CLI = resolve(import.meta.dirname, '../out/cli/latchkey.js')

function latchkeyCommand(latchkey: Pick<Latchkey, 'dataDir'>, keyringEnv: Record<string, string>, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, '--data-dir', latchkey.dataDir, ...args], { env: { ...process.env, ...keyringEnv }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.once('close', (code) => done({ code, stdout, stderr }))
  })
}

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`in ${colorScheme} mode`, () => {
    test.use({ colorScheme })

    test('asks in the window, is allowed in the account, and lists the token handed out', async ({ latchkey, idp, keyringEnv }) => {
      const { app } = latchkey
      await addOidcAccount(latchkey, idp, alice)
      const section = app.detail.getByTestId('command-line')
      await expect(section.getByRole('switch', { name: 'Allow command-line tools' })).not.toBeChecked()
      await expect(section.getByTestId('cli-audit-empty')).toBeVisible()

      // Off: the window asks once, naming the command; Escape (or Deny) refuses.
      const denied = latchkeyCommand(latchkey, keyringEnv, ['token', 'alice@example.test'])
      const dialog = app.page.getByRole('dialog', { name: /Allow .* to use alice@example\.test\?/ })
      await expect(dialog).toBeVisible()
      await expect(dialog.getByRole('button', { name: 'Deny' })).toBeFocused()
      await expectNoAxeViolations(app.page, `command-line consent (${colorScheme})`)
      await app.page.keyboard.press('Escape')
      await expect(dialog).toBeHidden()
      const refused = await denied
      expect(refused.code).toBe(5)
      expect(refused.stderr).toContain('turn on “Allow command-line tools”')
      await expect(section.getByTestId('cli-audit').locator('li').first()).toHaveAttribute('data-outcome', 'refused')

      // "Once" by keyboard lets one call through without turning access on.
      const once = latchkeyCommand(latchkey, keyringEnv, ['token'])
      await expect(dialog).toBeVisible()
      await app.page.keyboard.press('Shift+Tab')
      await app.page.keyboard.press('Shift+Tab')
      await expect(dialog.getByRole('button', { name: 'Once' })).toBeFocused()
      await app.page.keyboard.press('Enter')
      expect((await once).code).toBe(0)
      await expect(section.getByRole('switch', { name: 'Allow command-line tools' })).not.toBeChecked()

      // The person allows command-line tools in the account (keyboard: focus the switch, Space).
      const toggle = section.getByRole('switch', { name: 'Allow command-line tools' })
      await toggle.focus()
      await app.page.keyboard.press('Space')
      await expect(toggle).toBeChecked()

      const ran = await latchkeyCommand(latchkey, keyringEnv, ['token', 'alice@example.test'])
      expect(ran.code).toBe(0)
      const token = ran.stdout.trim()
      expect(idp.issuedTokens()).toContain(token)
      await expect(dialog).toBeHidden()

      // The line appears in the account's detail: an access token to this test's process, never the token.
      const newest = section.getByTestId('cli-audit').locator('li').first()
      await expect(newest).toHaveAttribute('data-outcome', 'handed-out')
      await expect(newest).toContainText('access token to')
      await expect(newest).toContainText(`process ${String(process.pid)}`)
      // What ran the command (this test's runner) is named too.
      await expect(newest.locator('.via')).toContainText('run by')
      await expect(section.getByTestId('cli-audit').locator('li')).toHaveCount(3)
      expect(await app.page.content()).not.toContain(token)
      await expectNoAxeViolations(app.page, `command-line section (${colorScheme})`)
    })
  })
}

test('with nothing running, the installed command starts the installed headless core, which reads the keychain', async ({ keyringEnv }) => {
  const now = Date.now()
  const refused = { reason: 'refresh-rejected' as const, message: 'The server refused to renew this session. Sign in again.', since: new Date(now).toISOString() }
  const dataDir = await seedFolder(
    [{ id: 'frank', provider: 'oidc', config: { issuer: 'http://127.0.0.1:9/', clientId: 'latchkey' }, email: 'frank@example.test', cliAccess: true, attention: refused, secrets: { session: testSession(now) } }],
    keyringEnv,
    now,
  )
  try {
    // A renewal due is the core's: it starts, opens the session with the vault key from the keychain,
    // and says why it cannot renew it (without the keychain it would say the keychain is unavailable).
    const ran = await latchkeyCommand({ dataDir }, keyringEnv, ['token', '--min-ttl', '86400'])
    expect(ran.stderr).toBe('latchkey: “Frank” needs attention: The server refused to renew this session. Sign in again. Sign in again in Latchkey (latchkey open).\n')
    expect(ran.code).toBe(4)
    expect(lockHolderOf(dataDir)).not.toBeNull()
  } finally {
    await stopLockHolder(dataDir)
    rmSync(dataDir, { recursive: true, force: true })
  }
})

test('the command-line section keeps keyboard focus: the switch, "Revoke all…", its question and its answers', async ({ latchkey, idp }) => {
  const { app } = latchkey
  await addOidcAccount(latchkey, idp, alice)
  const section = app.detail.getByTestId('command-line')
  const toggle = section.getByRole('switch', { name: 'Allow command-line tools' })
  await toggle.focus()
  await app.page.keyboard.press('Space')
  await expect(toggle).toBeChecked()
  await expect(toggle).toBeFocused()
  await app.page.keyboard.press('Space')
  await expect(toggle).not.toBeChecked()
  await expect(toggle).toBeFocused()

  const revoke = section.getByRole('button', { name: 'Revoke all…' })
  await revoke.focus()
  await app.page.keyboard.press('Enter')
  await expect(section.getByRole('button', { name: 'Revoke all and sign out' })).toBeFocused()
  await app.page.keyboard.press('Escape')
  await expect(revoke).toBeFocused()
  await app.page.keyboard.press('Enter')
  await app.page.keyboard.press('Enter')
  await expect(app.account(alice.email)).toHaveAttribute('data-status', 'signed-out')
  await expect(toggle).toBeFocused()
})
