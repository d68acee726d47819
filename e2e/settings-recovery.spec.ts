/** A damaged settings file is kept aside and reported; the app starts anyway. */
import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from './support/fixtures.ts'

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
