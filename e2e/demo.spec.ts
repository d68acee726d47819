/** `npm run demo`: a newcomer picks the demo server on "Add account" and signs in as a demo user. */
import { expect, test } from './support/fixtures.ts'
import { shot } from './support/screenshot.ts'
import { signInAtProvider } from './pages/app-page.ts'
import { ada, bob, grace } from './support/flows.ts'

test.use({ demo: true })

test('the demo server is offered ready-made and signs in with a demo user', async ({ latchkey }) => {
  const { app } = latchkey
  await app.addAccount(/^OpenID Connect/)
  await app.page.getByRole('button', { name: 'Use Demo OpenID Connect server' }).click()
  await expect(app.page.getByLabel('Issuer URL')).toHaveValue(/^http:\/\/127\.0\.0\.1:\d+$/)
  await expect(app.page.getByLabel('Client ID')).toHaveValue('latchkey-desktop')
  await shot(app.page, 'add-account-demo')
  await app.page.getByRole('button', { name: 'Sign in with browser' }).click()
  await signInAtProvider(await latchkey.nextBrowserPage(), bob)
  await expect(app.account(/bob@example\.test/)).toHaveAttribute('data-status', 'signed-in')
})

test('the demo PocketBase is offered too: a demo user signs in, the one with MFA after a second step', async ({ latchkey }) => {
  const { app } = latchkey
  await app.addAccount(/^PocketBase \/ BosBase/)
  await app.page.getByRole('button', { name: 'Use Demo PocketBase', exact: true }).click()
  await expect(app.page.getByLabel('Server address')).toHaveValue(/^http:\/\/127\.0\.0\.1:\d+$/)
  await app.page.getByRole('button', { name: 'Continue', exact: true }).click()
  const password = app.signInStep('password')
  await password.getByLabel('Email').fill(ada.email)
  await password.getByLabel('Password').fill(ada.password)
  await password.getByRole('button', { name: 'Sign in' }).click()
  await expect(app.account(/ada@example\.test/)).toHaveAttribute('data-status', 'signed-in')

  await app.addAccount(/^PocketBase \/ BosBase/)
  await app.page.getByRole('button', { name: 'Use Demo PocketBase', exact: true }).click()
  await app.page.getByRole('button', { name: 'Continue', exact: true }).click()
  await app.signInStep('password').getByLabel('Email').fill(grace.email)
  await app.signInStep('password').getByLabel('Password').fill(grace.password)
  await app.signInStep('password').getByRole('button', { name: 'Sign in' }).click()
  await expect(app.signInStep('mfa')).toBeVisible()
})
