/** What the browser shell shows of itself to the rest of the machine. */
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from './support/fixtures.ts'

test('prints the private launch page, never the launch key', async ({ latchkey }) => {
  const key = new URL(latchkey.shell.url).hash.replace(/^#key=/, '')
  expect(key.length).toBeGreaterThanOrEqual(32)
  const output = latchkey.shell.output()
  expect(output).not.toContain(key)
  const launchPage = join(latchkey.dataDir, 'open-latchkey.html')
  expect(output).toContain(`open this file in your browser: ${launchPage}`)
  expect(statSync(launchPage).mode & 0o777).toBe(0o600)
  await expect(latchkey.app.page.getByText('No accounts yet')).toBeVisible()
})
