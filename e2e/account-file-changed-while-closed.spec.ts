/**
 * A start takes each account's record from the start-up index only while the account's file has the
 * stamp the index saw (size, time, inode; see startup-index.ts); the browser shell compares the
 * stamps once the page is up, while the keychain is read (see AccountStore.checkIndexed). On a real
 * folder, through the bundled shell: an account file changed while Latchkey was closed (a backup
 * restored, an edit by hand) wins, and the page shows the file's record; one damaged meanwhile is
 * reported.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { accountFileName } from '../src/main/adapters/account-file-name.ts'
import { accountFiles } from '../src/main/adapters/account-files.ts'
import { seedFolder } from '../src/dev/seeded-folder.ts'
import { expect, test } from './support/fixtures.ts'
import { numberedAccounts } from './support/numbered-accounts.ts'
import { startShell } from './support/shell-process.ts'

test('an account file changed while Latchkey was closed wins over the start-up index', async ({ page, keyringEnv }) => {
  const now = Date.now()
  const dataDir = await seedFolder(numberedAccounts(3, now), keyringEnv, now)
  try {
    // A first start and a clean quit leave the start-up index.
    let shell = await startShell({ dataDir, env: keyringEnv })
    await page.goto(shell.url)
    await expect(page.getByRole('option', { name: /Account 1/ })).toBeVisible()
    await page.close()
    await shell.stop()
    const folder = join(dataDir, 'accounts')
    expect(existsSync(join(folder, 'index'))).toBe(true)

    // Closed: the account's file gets another label, as a restored backup or an edit would give it.
    const files = accountFiles(folder)
    const file = JSON.parse(files.read?.('account-0001') ?? '{}') as { account: { label: string } }
    file.account.label = 'Restored from a backup'
    await files.write('account-0001', JSON.stringify(file))
    const damaged = join(folder, accountFileName('account-0002'))
    writeFileSync(damaged, readFileSync(damaged).subarray(0, 40))

    shell = await startShell({ dataDir, env: keyringEnv })
    try {
      const again = await page.context().newPage()
      await again.goto(shell.url)
      await expect(again.getByRole('option', { name: /Restored from a backup/ })).toBeVisible()
      await expect(again.getByRole('option', { name: /Account 1\b/ })).toHaveCount(0)
      await expect(again.getByText(/1 account file in .* could not be read/)).toBeVisible()
      await expect(again.getByRole('option', { name: /Account 2\b/ })).toBeVisible()
      expect(shell.output()).not.toMatch(/error/i)
    } finally {
      await shell.stop()
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
})
