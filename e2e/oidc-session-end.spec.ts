/** How sessions end: revoked by the server, signed out by the person, or never stored. */
import { expect, test } from './support/fixtures.ts'
import { addOidcAccount, alice } from './support/flows.ts'
import { readVault } from './support/keychain.ts'
import { shot } from './support/screenshot.ts'
import { signInAtProvider } from './pages/app-page.ts'

test.describe('with access tokens that live six seconds', () => {
  test.use({ tokenTtlSeconds: 6 })

  test('a session revoked on the server needs attention, and signing in again mends it', async ({ latchkey, idp }) => {
    const { app } = latchkey
    const account = await addOidcAccount(latchkey, idp, alice, 'Alice')

    expect(await idp.revokeAllFor('alice')).toBeGreaterThan(0)
    await expect(account).toHaveAttribute('data-status', 'needs-attention', { timeout: 20_000 })
    await expect(account).toContainText('Needs attention')
    const banner = app.page.getByTestId('attention-banner')
    await expect(banner).toContainText(/refused|sign in again/i)
    await shot(app.page, 'needs-attention')

    await banner.getByRole('button', { name: 'Sign in again' }).click()
    await signInAtProvider(await latchkey.nextBrowserPage(), alice)
    await expect(account).toHaveAttribute('data-status', 'signed-in')
    await expect(app.switcher.getByRole('option')).toHaveCount(1)
  })
})

test('sign-out revokes the refresh token at the server and says so', async ({ latchkey, idp, keyringEnv }) => {
  const { app } = latchkey
  const account = await addOidcAccount(latchkey, idp, alice, 'Alice')
  const [stored] = readVault(latchkey.dataDir, keyringEnv)
  expect(stored?.refreshToken).toBeTruthy()
  expect(await idp.refreshTokenIsActive(stored!.refreshToken!)).toBe(true)

  await app.detail.getByRole('button', { name: 'Sign out' }).click()
  await expect(app.page.getByTestId('sign-out-outcome')).toHaveAttribute('data-revoked', 'true')
  await expect(account).toHaveAttribute('data-status', 'signed-out')
  expect(await idp.refreshTokenIsActive(stored!.refreshToken!)).toBe(false)
  expect(readVault(latchkey.dataDir, keyringEnv)).toHaveLength(0)
})

test('refreshing and copying a token on request leave no token behind in the page', async ({ latchkey, idp, keyringEnv, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  const { app } = latchkey
  await addOidcAccount(latchkey, idp, alice, 'Alice')
  const expiry = app.detail.getByTestId('expiry-countdown').first()
  const before = await expiry.getAttribute('data-expires-at')
  await app.detail.getByRole('button', { name: 'Refresh now' }).click()
  await expect.poll(() => expiry.getAttribute('data-expires-at')).not.toBe(before)

  await app.detail.getByRole('button', { name: 'Copy access token' }).click()
  await expect(app.page.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible()
  const [stored] = readVault(latchkey.dataDir, keyringEnv)
  expect(await app.page.evaluate(() => navigator.clipboard.readText())).toBe(stored?.accessToken)
  // The fixture then checks that no token issued during the test appears in the DOM, settings, logs or output.
})

test.describe('without a keychain', () => {
  test.use({ keychain: 'missing' })

  test('says sessions are in memory only, and still signs in', async ({ latchkey, idp }) => {
    const { app } = latchkey
    const banner = app.page.getByTestId('storage-banner')
    await expect(banner).toContainText(/memory only/i)
    await expect(banner.getByRole('button', { name: 'Try again' })).toBeVisible()
    await addOidcAccount(latchkey, idp, alice, 'Alice')
    await expect(app.detail.getByText(/Memory only/)).toBeVisible()
    await shot(app.page, 'memory-only')
  })
})
