/** `npm run demo`: a newcomer picks the demo server on "Add account" and signs in as a demo user. */
import { expect, test } from './support/fixtures.ts'
import { shot } from './support/screenshot.ts'
import { signInAtProvider } from './pages/app-page.ts'
import { bob } from './support/flows.ts'

test.use({ demo: true })

test('the demo server is offered ready-made and signs in with a demo user', async ({ latchkey }) => {
  const { app } = latchkey
  await app.page.getByRole('button', { name: 'Add account' }).first().click()
  await app.page.getByRole('button', { name: 'Use Demo OpenID Connect server' }).click()
  await expect(app.page.getByLabel('Issuer URL')).toHaveValue(/^http:\/\/127\.0\.0\.1:\d+$/)
  await expect(app.page.getByLabel('Client ID')).toHaveValue('latchkey-desktop')
  await shot(app.page, 'add-account-demo')
  await app.page.getByRole('button', { name: 'Sign in with browser' }).click()
  await signInAtProvider(await latchkey.nextBrowserPage(), bob)
  await expect(app.account(/bob@example\.test/)).toHaveAttribute('data-status', 'signed-in')
})
