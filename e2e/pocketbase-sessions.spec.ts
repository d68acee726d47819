/** How PocketBase and BosBase sessions live on: renewal, checks, changes made elsewhere, sign-out, switching. */
import { expect, test } from './support/fixtures.ts'
import { acceptedRenewals, ada, addOidcAccount, addPocketBaseAccount, alice } from './support/flows.ts'
import { CHOSEN_PASSWORDS } from './support/passwords.ts'

test.describe('with tokens that live eight seconds', () => {
  test.use({ pbTokenSeconds: 8 })

  test('keeps the session fresh while the test watches', async ({ latchkey, pb }) => {
    const { app } = latchkey
    const account = await addPocketBaseAccount(latchkey, pb, ada)
    const expiry = app.detail.getByTestId('expiry-countdown').first()
    const before = await expiry.getAttribute('data-expires-at')
    expect(before).toBeTruthy()
    // The scheduler renews ahead of expiry; each new token expires later than the last.
    await expect.poll(() => expiry.getAttribute('data-expires-at'), { timeout: 20_000 }).not.toBe(before)
    const after = await expiry.getAttribute('data-expires-at')
    expect(Date.parse(after ?? '')).toBeGreaterThan(Date.parse(before ?? ''))
    await expect(account).toHaveAttribute('data-status', /signed-in|refreshing/)
  })
})

test('a password changed elsewhere makes the account need attention, and signing in again mends it', async ({ latchkey, pb }) => {
  const { app } = latchkey
  const host = new URL(pb.url).host
  const account = await addPocketBaseAccount(latchkey, pb, ada)
  const newPassword = CHOSEN_PASSWORDS.changedElsewhere

  pb.setPassword('users', ada.email, newPassword)
  await app.detail.getByRole('button', { name: 'Refresh now' }).click()

  await expect(account).toHaveAttribute('data-status', 'needs-attention')
  await expect(account).toContainText('Needs attention')
  const banner = app.page.getByTestId('attention-banner')
  await expect(banner).toContainText(`${host} no longer accepts this session: the password or email may have been changed elsewhere. Sign in again.`)

  await banner.getByRole('button', { name: 'Sign in again' }).click()
  const form = app.signInStep('password')
  await form.getByLabel('Email', { exact: true }).fill(ada.email)
  await form.getByLabel('Password', { exact: true }).fill(newPassword)
  await form.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(account).toHaveAttribute('data-status', 'signed-in')
  await expect(banner).toHaveCount(0)
  await expect(app.switcher.getByRole('option')).toHaveCount(1)
})

test.describe('on BosBase', () => {
  test.use({ pbMode: 'bosbase' })

  test('a static token is checked, not renewed, and a password changed elsewhere shows on the next check', async ({ latchkey, pb }) => {
    const { app } = latchkey
    const host = new URL(pb.url).host
    const account = await addPocketBaseAccount(latchkey, pb, ada)
    await expect(app.detail.getByRole('button', { name: 'Refresh now' })).toHaveCount(0)
    const check = app.detail.getByRole('button', { name: 'Check session' })

    const before = acceptedRenewals(pb)
    await check.click()
    await expect.poll(() => acceptedRenewals(pb)).toBe(before + 1)
    await expect(account).toHaveAttribute('data-status', 'signed-in')
    await expect(app.detail.getByRole('alert')).toHaveCount(0)

    pb.setPassword('users', ada.email, CHOSEN_PASSWORDS.changedElsewhere)
    await check.click()
    await expect(account).toHaveAttribute('data-status', 'needs-attention')
    await expect(app.page.getByTestId('attention-banner')).toContainText(`${host} no longer accepts this session`)
  })

  test('signing out says plainly that the server cannot revoke the token', async ({ latchkey, pb }) => {
    const { app } = latchkey
    const host = new URL(pb.url).host
    const account = await addPocketBaseAccount(latchkey, pb, ada)

    await app.detail.getByRole('button', { name: 'Sign out' }).click()
    const confirm = app.page.getByTestId('sign-out-confirm')
    await expect(confirm).toContainText('This server cannot revoke the session.')
    await confirm.getByRole('button', { name: 'Sign out on this device' }).click()

    const outcome = app.page.getByTestId('sign-out-outcome')
    await expect(outcome).toHaveAttribute('data-revoked', 'false')
    await expect(outcome).toContainText(`Latchkey forgot this session, but ${host} cannot revoke a token`)
    await expect(outcome).toContainText('tokens that last about 100 years')
    // Said once: not again, less exactly, as a revocation the server "did not confirm".
    await expect(outcome).not.toContainText('did not confirm')
    await expect(account).toHaveAttribute('data-status', 'signed-out')
    // Nothing was sent to revoke it: the server has nowhere to send it.
    expect(pb.requests().filter((r) => r.method !== 'GET' && !r.path.endsWith('/auth-with-password'))).toEqual([])
  })
})

test('a PocketBase account and an OpenID Connect account side by side, switched by click and keyboard', async ({ latchkey, pb, idp }) => {
  const { app } = latchkey
  const host = new URL(pb.url).host
  await addPocketBaseAccount(latchkey, pb, ada, { label: 'Ada' })
  await addOidcAccount(latchkey, idp, alice, 'Alice')
  await expect(app.switcher.getByRole('option')).toHaveCount(2)
  await expect(app.account('Alice')).toHaveAttribute('aria-selected', 'true')

  await app.account('Ada').click()
  await expect(app.account('Ada')).toHaveAttribute('aria-selected', 'true')
  await expect(app.account('Alice')).toHaveAttribute('aria-selected', 'false')
  await expect(app.detail.getByRole('heading', { name: 'Ada', level: 1 })).toBeVisible()
  await expect(app.detail.getByTestId('backend')).toHaveText(host)
  await expect(app.detail.getByRole('region', { name: 'Security', exact: true })).toBeVisible()

  await app.page.keyboard.press('Control+k')
  await expect(app.account('Ada')).toBeFocused()
  await app.page.keyboard.press('ArrowDown')
  await expect(app.account('Alice')).toBeFocused()
  await app.page.keyboard.press('Enter')
  await expect(app.account('Alice')).toHaveAttribute('aria-selected', 'true')
  await expect(app.account('Ada')).toHaveAttribute('aria-selected', 'false')
  await expect(app.detail.getByRole('heading', { name: 'Alice', level: 1 })).toBeVisible()
  await expect(app.detail.getByTestId('backend')).not.toHaveText(host)
  await expect(app.detail.getByRole('region', { name: 'Security', exact: true })).toHaveCount(0)
  // Both sessions carry on side by side.
  await expect(app.account('Ada')).toHaveAttribute('data-status', 'signed-in')
  await expect(app.account('Alice')).toHaveAttribute('data-status', 'signed-in')
})
