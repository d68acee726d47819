/** A damaged settings file is kept aside and reported; the app starts anyway. */
import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from './support/fixtures.ts'
import { addOidcAccount, alice } from './support/flows.ts'

test('a corrupted settings file is moved aside and the person is told where it went', async ({ latchkey }) => {
  await latchkey.restart({ whileStopped: () => writeFileSync(join(latchkey.dataDir, 'settings.json'), '{"accounts": [ {oops') })
  const notice = latchkey.app.page.getByTestId('notice')
  await expect(notice).toContainText('could not be read')
  const kept = readdirSync(latchkey.dataDir).filter((f) => f.startsWith('settings.corrupt-'))
  expect(kept).toHaveLength(1)
  await expect(notice).toContainText(kept[0]!)
  await notice.getByRole('button', { name: 'Dismiss' }).click()
  await expect(notice).toHaveCount(0)
  await expect(latchkey.app.page.getByText('No accounts yet')).toBeVisible()
})

test('a settings file of null is reported, and the accounts saved in the data folder are offered back with their sessions', async ({ latchkey, idp }) => {
  const { app } = latchkey
  await addOidcAccount(latchkey, idp, alice, 'Alice at work')
  await latchkey.restart({ whileStopped: () => writeFileSync(join(latchkey.dataDir, 'settings.json'), 'null') })
  const notices = app.page.getByTestId('notice')
  await expect(notices.filter({ hasText: 'holds null' })).toBeVisible()
  const orphans = notices.filter({ hasText: 'missing from the settings file' })
  await expect(orphans).toContainText('Alice at work')
  await orphans.getByRole('button', { name: 'Restore account' }).click()
  await expect(orphans).toHaveCount(0)
  await expect(app.account('Alice at work')).toHaveAttribute('data-status', 'signed-in')
})
