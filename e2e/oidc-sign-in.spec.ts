/** Signing in to an OpenID Connect account through the system browser, and what follows. */
import { expect, test } from './support/fixtures.ts'
import { addOidcAccount, alice, bob } from './support/flows.ts'
import { readVault } from './support/keychain.ts'
import { shot } from './support/screenshot.ts'
import { signInAtProvider } from './pages/app-page.ts'

test('adds an account through the browser and shows it signed in', async ({ latchkey, idp, keyringEnv }) => {
  const { app } = latchkey
  await expect(app.page.getByText('No accounts yet')).toBeVisible()
  await shot(app.page, 'empty')

  await app.startOidcSignIn({ issuer: idp.issuer, clientId: idp.clientId })
  await expect(app.page.getByRole('heading', { name: /Waiting for you to finish signing in/ })).toBeVisible()
  await expect(app.page.getByRole('button', { name: 'Cancel' })).toBeVisible()
  await shot(app.page, 'waiting-for-browser')

  const browser = await latchkey.nextBrowserPage()
  await signInAtProvider(browser, alice)
  await browser.close()

  const account = app.account(/alice@example\.test/)
  await expect(account).toHaveAttribute('data-status', 'signed-in')
  await expect(account).toHaveAttribute('aria-selected', 'true')
  await expect(app.detail.getByText('Alice Liddell').first()).toBeVisible()
  await expect(app.detail.getByText('Stored in the system keychain')).toBeVisible()
  await expect(app.page.getByTestId('claims-id')).toContainText(/sub\s*alice/)
  // email_verified reads Yes; updated_at (seconds since the epoch on the wire) as the person's own date and time.
  const profile = app.detail.getByTestId('profile')
  await expect(profile.locator('dd[data-key="email_verified"]')).toHaveText('Yes')
  const updated = '2025-12-05T17:10:36.000Z'
  await expect(profile.locator('dd[data-key="updated_at"] time')).toHaveAttribute('datetime', updated)
  await expect(profile.locator('dd[data-key="updated_at"]')).toHaveText(await app.page.evaluate((iso) => new Date(iso).toLocaleString(), updated))
  await shot(app.page, 'account-detail')
  expect(readVault(latchkey.dataDir, keyringEnv)).toHaveLength(1)
})

test('"Ask for consent" is picked from a list; "Never" leaves prompt=consent out of the sign-in address', async ({ latchkey, idp }) => {
  const { app } = latchkey
  await app.addAccount(/^OpenID Connect/)
  await app.page.getByLabel('Issuer URL').fill(idp.issuer)
  await app.page.getByLabel('Client ID').fill(idp.clientId)
  const consent = app.page.getByLabel('Ask for consent')
  await expect(consent.locator('option')).toHaveText(['When asking for a refresh token', 'Never'])
  await consent.selectOption({ label: 'Never' })
  await app.page.getByRole('button', { name: 'Sign in with browser' }).click()
  const address = new URL(await app.page.getByTestId('sign-in-address').inputValue())
  // A refresh token is asked for, which would bring the consent page with the default choice.
  expect(address.searchParams.get('scope')?.split(' ')).toContain('offline_access')
  expect(address.searchParams.get('prompt') ?? '').not.toContain('consent')
  await app.page.getByRole('button', { name: 'Cancel' }).click()
})

test.describe('in dark mode', () => {
  test.use({ colorScheme: 'dark' })

  test('follows the system colour scheme', async ({ latchkey, idp }) => {
    await addOidcAccount(latchkey, idp, alice, 'Alice')
    const background = await latchkey.app.page.evaluate(() => getComputedStyle(document.body).backgroundColor)
    const [r = 255, g = 255, b = 255] = (background.match(/\d+/g) ?? []).map(Number)
    expect((r + g + b) / 3).toBeLessThan(100)
    await shot(latchkey.app.page, 'account-detail-dark')
  })
})

test.describe('with access tokens that live six seconds', () => {
  test.use({ tokenTtlSeconds: 6 })

  test('keeps the session fresh while the test watches', async ({ latchkey, idp }) => {
    const { app } = latchkey
    await addOidcAccount(latchkey, idp, alice)
    const expiry = app.detail.getByTestId('expiry-countdown').first()
    const before = await expiry.getAttribute('data-expires-at')
    expect(before).toBeTruthy()
    // The scheduler renews ahead of expiry; each new access token expires later than the last.
    await expect.poll(() => expiry.getAttribute('data-expires-at'), { timeout: 20_000 }).not.toBe(before)
    const after = await expiry.getAttribute('data-expires-at')
    expect(Date.parse(after ?? '')).toBeGreaterThan(Date.parse(before ?? ''))
    await expect(app.account(/alice/)).toHaveAttribute('data-status', /signed-in|refreshing/)
  })
})

test('survives a restart of the shell', async ({ latchkey, idp }) => {
  const { app } = latchkey
  await addOidcAccount(latchkey, idp, alice, 'Alice at work')

  await latchkey.restart()
  await expect(app.account('Alice at work')).toHaveAttribute('data-status', 'signed-in')
  await expect(app.account('Alice at work')).toHaveAttribute('aria-selected', 'true')
  await app.account('Alice at work').click()
  await expect(app.detail.getByText('Stored in the system keychain')).toBeVisible()
})

test('holds two accounts and switches between them with the keyboard', async ({ latchkey, idp }) => {
  const { app } = latchkey
  await addOidcAccount(latchkey, idp, alice, 'Alice')
  // The provider asks who is signing in every time, even with Alice's browser session still there.
  await addOidcAccount(latchkey, idp, bob, 'Bob')
  await expect(app.account('Bob')).toHaveAttribute('aria-selected', 'true')
  await expect(app.switcher.getByRole('option')).toHaveCount(2)
  await shot(app.page, 'two-accounts')

  // Ctrl+K jumps to the switcher, on the active account.
  await app.page.keyboard.press('Control+k')
  await expect(app.account('Bob')).toBeFocused()
  await app.page.keyboard.press('ArrowUp')
  await expect(app.account('Alice')).toBeFocused()
  await app.page.keyboard.press('Enter')
  await expect(app.account('Alice')).toHaveAttribute('aria-selected', 'true')
  await expect(app.account('Bob')).toHaveAttribute('aria-selected', 'false')
  await expect(app.detail.getByRole('heading', { name: 'Alice' })).toBeVisible()
})

test('a cancelled sign-in says so, keeps what was typed and adds nothing', async ({ latchkey, idp }) => {
  const { app } = latchkey
  await app.startOidcSignIn({ issuer: idp.issuer, clientId: idp.clientId, label: 'Half way' })
  const browser = await latchkey.nextBrowserPage()
  await app.page.getByRole('button', { name: 'Cancel' }).click()
  await expect(app.page.getByRole('status').filter({ hasText: 'Sign-in cancelled' })).toBeVisible()
  await expect(app.page.getByRole('heading', { name: /Waiting for you/ })).toHaveCount(0)
  await expect(app.page.getByLabel('Issuer URL')).toHaveValue(idp.issuer)
  await expect(app.page.getByLabel('Account name')).toHaveValue('Half way')
  // Finishing at the provider afterwards reaches nobody: the app stopped listening.
  await browser.locator('input[name=login]').fill(alice.id)
  await browser.locator('input[name=password]').fill(alice.password)
  await browser.getByRole('button', { name: 'Sign in' }).click()
  await browser.getByRole('button', { name: 'Allow' }).click()
  await expect.poll(() => browser.url()).toMatch(/^chrome-error:|\/callback\?/)
  await expect(browser.getByText('You can close this tab')).toHaveCount(0)
  await expect(app.switcher.getByRole('option')).toHaveCount(0)
})

test('declining at the provider shows a clear error', async ({ latchkey, idp }) => {
  const { app } = latchkey
  await app.startOidcSignIn({ issuer: idp.issuer, clientId: idp.clientId })
  const browser = await latchkey.nextBrowserPage()
  await browser.getByRole('button', { name: 'Cancel' }).click()
  await expect(app.alert(/declined/i)).toBeVisible()
  await expect(app.page.getByLabel('Issuer URL')).toHaveValue(idp.issuer)
})
