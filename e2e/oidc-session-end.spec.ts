/** How sessions end: revoked by the server, signed out by the person, or never stored. */
import { expect, test } from './support/fixtures.ts'
import { signInAtProvider } from './pages/app-page.ts'
import { allTokens, readKeychain } from './support/keychain.ts'
import { dataDirTexts, findLeaks } from './support/leaks.ts'

const alice = { login: 'alice', password: 'wonderland' }

test.describe('with access tokens that live six seconds', () => {
  test.use({ tokenTtlSeconds: 6 })

  test('a session revoked on the server needs attention, and signing in again mends it', async ({ latchkey, idp }) => {
    const { app } = latchkey
    await app.startOidcSignIn({ issuer: idp.issuer, clientId: idp.clientId, label: 'Alice' })
    await signInAtProvider(await latchkey.nextBrowserPage(), alice)
    await expect(app.account('Alice')).toHaveAttribute('data-status', 'signed-in')

    expect(await idp.revokeAllFor('alice')).toBeGreaterThan(0)
    await expect(app.account('Alice')).toHaveAttribute('data-status', 'needs-attention', { timeout: 20_000 })
    await expect(app.account('Alice')).toContainText('Needs attention')
    const banner = app.alert(/sign in again/i)
    await expect(banner).toBeVisible()
    await app.page.screenshot({ path: 'docs/screenshots/needs-attention.png' })

    await banner.getByRole('button', { name: 'Sign in again' }).click()
    await signInAtProvider(await latchkey.nextBrowserPage(), alice)
    await expect(app.account('Alice')).toHaveAttribute('data-status', 'signed-in')
    await expect(app.switcher.getByRole('option')).toHaveCount(1)
  })
})

test('sign-out revokes the refresh token at the server', async ({ latchkey, idp, keyringEnv }) => {
  const { app } = latchkey
  await app.startOidcSignIn({ issuer: idp.issuer, clientId: idp.clientId, label: 'Alice' })
  await signInAtProvider(await latchkey.nextBrowserPage(), alice)
  await expect(app.account('Alice')).toHaveAttribute('data-status', 'signed-in')
  const [stored] = readKeychain(keyringEnv)
  expect(stored?.refreshToken).toBeTruthy()
  expect(await idp.refreshTokenIsActive(stored!.refreshToken!)).toBe(true)

  await app.detail.getByRole('button', { name: 'Sign out' }).click()
  await expect(app.page.getByRole('status').filter({ hasText: /revoked/i })).toBeVisible()
  await expect(app.account('Alice')).toHaveAttribute('data-status', 'signed-out')
  expect(await idp.refreshTokenIsActive(stored!.refreshToken!)).toBe(false)
  expect(readKeychain(keyringEnv)).toHaveLength(0)
})

test('no token reaches the settings file, the logs or the page', async ({ latchkey, idp, keyringEnv }) => {
  const { app } = latchkey
  await app.startOidcSignIn({ issuer: idp.issuer, clientId: idp.clientId, label: 'Alice' })
  await signInAtProvider(await latchkey.nextBrowserPage(), alice)
  await expect(app.account('Alice')).toHaveAttribute('data-status', 'signed-in')
  await app.detail.getByRole('button', { name: 'Refresh now' }).click()
  await expect(app.account('Alice')).toHaveAttribute('data-status', 'signed-in')
  const tokens = allTokens(keyringEnv)
  expect(tokens.length).toBeGreaterThanOrEqual(3)

  const places = [
    ...dataDirTexts(latchkey.dataDir),
    { name: 'shell output', text: latchkey.shell.output() },
    { name: 'renderer DOM', text: await app.page.content() },
  ]
  expect(places.some((p) => p.name.endsWith('settings.json'))).toBe(true)
  expect(places.some((p) => p.name.endsWith('latchkey.log'))).toBe(true)
  expect(findLeaks(tokens, places)).toEqual([])
})

test.describe('without a keychain', () => {
  test.use({ keychain: 'missing' })

  test('says sessions are in memory only, and still signs in', async ({ latchkey, idp }) => {
    const { app } = latchkey
    const banner = app.alert(/memory only/i)
    await expect(banner).toBeVisible()
    await expect(banner.getByRole('button', { name: 'Try again' })).toBeVisible()
    await app.startOidcSignIn({ issuer: idp.issuer, clientId: idp.clientId, label: 'Alice' })
    await signInAtProvider(await latchkey.nextBrowserPage(), alice)
    await expect(app.account('Alice')).toHaveAttribute('data-status', 'signed-in')
    await expect(app.detail.getByText(/Memory only/)).toBeVisible()
    await app.page.screenshot({ path: 'docs/screenshots/memory-only.png' })
  })
})
