/**
 * The browser shell reads the keychain once the page has drawn its first accounts, never before:
 * the page says so when it has, and until then the Secret Service (counted on the private D-Bus)
 * hears nothing from Latchkey. Then the one read opens the sessions.
 */
import { rmSync } from 'node:fs'
import { countSecretServiceCalls } from '../src/dev/dbus-count.ts'
import { seedFolder } from '../src/dev/seeded-folder.ts'
import { expect, test } from './support/fixtures.ts'
import { numberedAccounts } from './support/numbered-accounts.ts'
import { startShell } from './support/shell-process.ts'

/** How long the page's word is held back while no keychain read may happen. */
const HELD_MS = 1000

test('the keychain is read only after the page has drawn its first accounts', async ({ page, keyringEnv }) => {
  const now = Date.now()
  const dataDir = await seedFolder(numberedAccounts(3, now), keyringEnv, now)
  const counter = await countSecretServiceCalls(keyringEnv)
  const shell = await startShell({ dataDir, env: keyringEnv })
  try {
    // The page's word that it has drawn its first accounts is held back for a while.
    let release: () => void = () => undefined
    const held = new Promise<void>((resolve) => (release = resolve))
    let said = false
    await page.route('**/__latchkey/painted', async (route) => {
      said = true
      await held
      await route.continue()
    })
    await page.goto(shell.url)
    await expect(page.locator('[data-app-state="ready"] [role="option"]').first()).toContainText('Account 0')
    await expect.poll(() => said).toBe(true)
    // A shell that read the keychain without the page's word would have by now: well within its grace
    // for a page that never says it (3 s from the page being served), and long after the page said it.
    await page.waitForTimeout(HELD_MS)
    expect(counter.calls).toBe(0)
    release()
    await expect.poll(() => counter.calls, { timeout: 10_000 }).toBeGreaterThan(0)
    await page.getByRole('option', { name: /Account 0/ }).click()
    await expect(page.getByText(/signed in/i).first()).toBeVisible()
  } finally {
    await shell.stop()
    await counter.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
})
