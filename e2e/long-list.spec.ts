/**
 * A long account list in the browser shell: only a screenful of rows is in the page, the list's
 * own height (measured once the page is laid out) decides how far PageDown moves, End reaches the
 * last account and Enter switches to it; the page holds no session of any account.
 */
import { rmSync } from 'node:fs'
import { seedFolder } from '../src/dev/seeded-folder.ts'
import { expectNoAxeViolations } from './support/axe.ts'
import { expect, test } from './support/fixtures.ts'
import { findLeaks, issuedSecrets } from './support/leaks.ts'
import { numberedAccounts } from './support/numbered-accounts.ts'
import { startShell } from './support/shell-process.ts'

const COUNT = 600
/** The switcher's row pitch (switcher-rows.ts ROW_HEIGHT). */
const ROW_HEIGHT = 88

test('pages through a list of 600 accounts by keyboard, a screenful at a time', async ({ page, keyringEnv }) => {
  const now = Date.now()
  const seeds = numberedAccounts(COUNT, now)
  const dataDir = await seedFolder(seeds, keyringEnv, now)
  const shell = await startShell({ dataDir, env: keyringEnv })
  try {
    await page.setViewportSize({ width: 1000, height: 760 })
    await page.goto(shell.url)
    const list = page.getByRole('listbox', { name: 'Accounts' })
    const rows = list.getByRole('option')
    await expect(page.locator('[data-app-state="ready"]')).toBeVisible()
    await expect(rows.first()).toContainText('Account 0')
    await expect(rows.first()).toContainText('person0@example.test')
    // Virtual: a screenful (and a few either side), not 600 rows.
    expect(await rows.count()).toBeLessThan(30)

    await page.keyboard.press('Control+k')
    await expect(rows.first()).toBeFocused()
    // PageDown moves by as many rows as the list itself shows (not the window's height).
    const listHeight = await list.evaluate((node) => node.clientHeight)
    expect(listHeight).toBeLessThan(760 - ROW_HEIGHT)
    const perPage = Math.max(1, Math.floor(listHeight / ROW_HEIGHT))
    await page.keyboard.press('PageDown')
    const focused = page.locator('[role="option"]:focus')
    await expect(focused).toHaveAttribute('aria-posinset', String(1 + perPage))
    await expect(focused).toContainText(`Account ${String(perPage)}`)
    await page.keyboard.press('PageUp')
    await expect(focused).toHaveAttribute('aria-posinset', '1')

    await page.keyboard.press('End')
    await expect(focused).toHaveAttribute('aria-posinset', String(COUNT))
    await expect(focused).toContainText(`Account ${String(COUNT - 1)}`)
    await page.keyboard.press('Enter')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Account ${String(COUNT - 1)}`)
    await expectNoAxeViolations(page, 'a list of 600 accounts')

    const html = await page.content()
    const tokens = seeds.flatMap((seed) => [seed.secrets?.session?.accessToken ?? '', seed.secrets?.session?.refreshToken ?? ''])
    expect(findLeaks(issuedSecrets(tokens.filter(Boolean)), [{ name: 'the page', text: html }]), 'a session in the page').toEqual([])
  } finally {
    await shell.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
})
