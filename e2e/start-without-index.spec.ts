/**
 * A start the start-up index does not cover whole: one after a crash (kill -9), which leaves the
 * index and the journal of what was written since (the settings file, here), or the first start,
 * which has no index and reads every account file. On a real folder, through the bundled shell:
 * every account is listed, the account made active just before the crash is the active one, a
 * damaged account file is reported, and a clean quit leaves a fresh index (and no journal).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { accountFileName } from '../src/main/adapters/account-file-name.ts'
import { seedFolder } from '../src/dev/seeded-folder.ts'
import { expect, test } from './support/fixtures.ts'
import { numberedAccounts } from './support/numbered-accounts.ts'
import { startShell, type ShellProcess } from './support/shell-process.ts'

for (const kind of ['after a crash', 'at a first start'] as const) {
  test(`a start the start-up index does not cover (${kind}) lists every account, reports a damaged file, and a clean quit leaves a fresh index`, async ({ page, keyringEnv }) => {
    const now = Date.now()
    const dataDir = await seedFolder(numberedAccounts(4, now), keyringEnv, now)
    const folder = join(dataDir, 'accounts')
    // Every shell started here, stopped at the end even when a check fails (one stopped already is left as it is).
    const shells: ShellProcess[] = []
    const started = async (): Promise<ShellProcess> => {
      const running = await startShell({ dataDir, env: keyringEnv })
      shells.push(running)
      return running
    }
    try {
      if (kind === 'after a crash') {
        // A clean quit leaves the index; the next run makes another account active and is killed.
        const first = await started()
        await page.goto(first.url)
        await expect(page.getByRole('option', { name: /Account 1\b/ })).toBeVisible()
        await first.stop()
        expect(existsSync(join(folder, 'index'))).toBe(true)
        const second = await started()
        await page.goto(second.url)
        await page.getByRole('option', { name: /Account 3\b/ }).click()
        await expect(page.getByRole('option', { name: /Account 3\b/ })).toHaveAttribute('aria-selected', 'true')
        await expect.poll(() => (JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as { activeAccountId: string }).activeAccountId, { timeout: 10_000 }).toBe('account-0003')
        process.kill(second.pid, 'SIGKILL')
        await expect.poll(() => second.running()).toBe(false)
        expect(existsSync(join(folder, 'journal'))).toBe(true)
      }
      // One file cut short, as a disk that filled up could leave it.
      const damaged = join(folder, accountFileName('account-0002'))
      writeFileSync(damaged, readFileSync(damaged).subarray(0, 40))
      expect(existsSync(join(folder, 'index'))).toBe(kind === 'after a crash')
      const shell = await started()
      const again = await page.context().newPage()
      await again.goto(shell.url)
      for (const label of ['Account 0', 'Account 1', 'Account 3']) await expect(again.getByRole('option', { name: new RegExp(`${label}\\b`) })).toBeVisible()
      // Its record is still the settings file's: listed, and the damaged file said in words.
      await expect(again.getByRole('option', { name: /Account 2\b/ })).toBeVisible()
      await expect(again.getByText(/1 account file in .* could not be read/)).toBeVisible()
      if (kind === 'after a crash') await expect(again.getByRole('option', { name: /Account 3\b/ })).toHaveAttribute('aria-selected', 'true')
      expect(shell.output()).not.toMatch(/error/i)
      await shell.stop()
      expect(existsSync(join(folder, 'index'))).toBe(true)
      expect(existsSync(join(folder, 'journal'))).toBe(false)
    } finally {
      await Promise.all(shells.map((running) => running.stop()))
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
}
