/**
 * A start without the start-up index (one after a crash, which leaves the index's settings part
 * kept on its own, or the first start) reads every account file. On a real folder, through the
 * bundled shell: every account is listed, a damaged account file is reported, and a clean quit
 * leaves a fresh index for the next start.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { accountFileName } from '../src/main/adapters/account-file-name.ts'
import { seedFolder } from '../src/dev/seeded-folder.ts'
import { expect, test } from './support/fixtures.ts'
import { numberedAccounts } from './support/numbered-accounts.ts'
import { startShell } from './support/shell-process.ts'

for (const kind of ['after a crash', 'at a first start'] as const) {
  test(`a start without the start-up index (${kind}) lists every account, reports a damaged file, and a clean quit leaves a fresh index`, async ({ page, keyringEnv }) => {
    const now = Date.now()
    const dataDir = await seedFolder(numberedAccounts(4, now), keyringEnv, now)
    const folder = join(dataDir, 'accounts')
    try {
      if (kind === 'after a crash') {
        // A clean quit leaves both; a crash after an account file was written leaves the settings part alone.
        const first = await startShell({ dataDir, env: keyringEnv })
        await page.goto(first.url)
        await expect(page.getByRole('option', { name: /Account 1\b/ })).toBeVisible()
        await first.stop()
        expect(existsSync(join(folder, 'settings-index'))).toBe(true)
        rmSync(join(folder, 'index'))
      }
      // One file cut short, as a disk that filled up could leave it.
      const damaged = join(folder, accountFileName('account-0002'))
      writeFileSync(damaged, readFileSync(damaged).subarray(0, 40))
      expect(existsSync(join(folder, 'index'))).toBe(false)
      const shell = await startShell({ dataDir, env: keyringEnv })
      const again = await page.context().newPage()
      await again.goto(shell.url)
      for (const label of ['Account 0', 'Account 1', 'Account 3']) await expect(again.getByRole('option', { name: new RegExp(`${label}\\b`) })).toBeVisible()
      // Its record is still the settings file's: listed, and the damaged file said in words.
      await expect(again.getByRole('option', { name: /Account 2\b/ })).toBeVisible()
      await expect(again.getByText(/1 account file in .* could not be read/)).toBeVisible()
      expect(shell.output()).not.toMatch(/error/i)
      await shell.stop()
      expect(existsSync(join(folder, 'index'))).toBe(true)
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
}
