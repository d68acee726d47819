/** Synmetrix (hasura-backend-plus) accounts through the browser shell, against the emulator with Synmetrix's settings. */
import { createServer } from 'node:net'
import { expectNoAxeViolations } from './support/axe.ts'
import { expect, test } from './support/fixtures.ts'
import { ada, addOidcAccount, addPocketBaseAccount, addSynmetrixAccount, alice, authenticatorCode, pocketBaseLabel, startSynmetrixSignIn, synAda, synGrace } from './support/flows.ts'
import { CHOSEN_PASSWORDS } from './support/passwords.ts'

const refreshes = (hbp: { requests(): { path: string; status: number }[] }): number =>
  hbp.requests().filter((request) => request.path === '/auth/token/refresh' && request.status === 200).length

test.describe('with JWTs that live nine seconds', () => {
  test.use({ hbpJwtMinutes: 0.15 })

  test('signs in with a password, shows the Hasura claims, remembers the chosen role and renews while the test watches', async ({ latchkey, hbp }) => {
    const { app } = latchkey
    await addSynmetrixAccount(latchkey, hbp, synAda)
    const profile = app.detail.getByTestId('profile')
    await expect(profile.locator('dd[data-key="User id"]')).toHaveText(hbp.account(synAda.email)?.id ?? '')
    await expect(profile.locator('dd[data-key="Allowed roles"]')).toHaveText('user, manager')
    await expect(profile.locator('dd[data-key="Default role"]')).toHaveText('user')

    const role = await app.openAction('Profile', 'Role for other tools')
    await role.getByLabel('Role').selectOption('manager')
    await role.getByRole('button', { name: 'Use this role' }).click()
    await expect(app.actionOutcome).toContainText('Other tools will use the role “manager” with this account.')
    await expect(profile.locator('dd[data-key="Role for other tools"]')).toHaveText('manager')

    const before = refreshes(hbp)
    const expiry = app.detail.getByTestId('expiry-countdown').first()
    const first = await expiry.getAttribute('data-expires-at')
    await expect.poll(() => refreshes(hbp), { timeout: 20_000 }).toBeGreaterThan(before)
    await expect.poll(() => expiry.getAttribute('data-expires-at'), { timeout: 10_000 }).not.toBe(first)
    // The chosen role survives the renewal (and a restart: it is kept with the account).
    await expect(profile.locator('dd[data-key="Role for other tools"]')).toHaveText('manager')
    await latchkey.restart()
    await app.account(pocketBaseLabel(synAda.email)).click()
    await expect(app.detail.getByTestId('profile').locator('dd[data-key="Role for other tools"]')).toHaveText('manager')
  })
})

test('an account with MFA asks for the authenticator code after the password', async ({ latchkey, hbp }) => {
  const { app } = latchkey
  const form = await startSynmetrixSignIn(latchkey, hbp)
  await form.getByLabel('Email', { exact: true }).fill(synGrace.email)
  await form.getByLabel('Password', { exact: true }).fill(synGrace.password)
  await form.getByRole('button', { name: 'Sign in', exact: true }).click()
  const mfa = app.signInStep('mfa-code')
  await mfa.getByLabel('Code').fill('000000')
  await mfa.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(mfa.getByText('That authenticator code is wrong or too old.')).toBeVisible()
  await mfa.getByLabel('Code').fill(authenticatorCode(synGrace.otpSecret ?? ''))
  await mfa.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(app.account(pocketBaseLabel(synGrace.email))).toHaveAttribute('data-status', 'signed-in')
})

test('registers a new account, and a sign-in link pasted from the email signs another person in', async ({ latchkey, hbp }) => {
  const { app } = latchkey
  const newcomer = 'newcomer@synmetrix-demo.com'
  const first = await startSynmetrixSignIn(latchkey, hbp)
  await first.getByRole('button', { name: 'Create an account' }).click()
  const register = app.signInStep('register')
  await register.getByLabel('Email', { exact: true }).fill(newcomer)
  await register.getByLabel('Password', { exact: true }).fill(CHOSEN_PASSWORDS.registered)
  await register.getByLabel('Repeat the password').fill(CHOSEN_PASSWORDS.registered)
  await register.getByRole('button', { name: 'Create account' }).click()
  await expect(app.account(pocketBaseLabel(newcomer))).toHaveAttribute('data-status', 'signed-in')

  const form = await startSynmetrixSignIn(latchkey, hbp)
  await form.getByLabel('Email', { exact: true }).fill(synAda.email)
  await form.getByRole('button', { name: 'Email me a sign-in link' }).click()
  const paste = app.signInStep('paste-link')
  await expect(paste).toContainText(`emailed a sign-in link to ${synAda.email}`)
  const link = hbp.outbox.last(synAda.email, 'magic-link')?.link ?? ''
  await paste.getByLabel('Link or token from the email').fill(link)
  await paste.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(app.account(pocketBaseLabel(synAda.email))).toHaveAttribute('data-status', 'signed-in')
  await expect(app.switcher.getByRole('option')).toHaveCount(2)
})

test('changes the password, then turns on authenticator codes: the next sign-in asks for one', async ({ latchkey, hbp }) => {
  const { app } = latchkey
  const account = await addSynmetrixAccount(latchkey, hbp, synAda)
  const change = await app.openAction('Security', 'Change password')
  await change.getByLabel('Current password').fill(synAda.password)
  await change.getByLabel('New password', { exact: true }).fill(CHOSEN_PASSWORDS.changedHere)
  await change.getByLabel('Repeat the new password').fill(CHOSEN_PASSWORDS.changedHere)
  await change.getByRole('button', { name: 'Change password' }).click()
  await expect(app.actionOutcome).toContainText('Password changed. You stay signed in here, and so do other devices')
  await expect(account).toHaveAttribute('data-status', 'signed-in')

  const setup = await app.openAction('Security', 'Set up an authenticator app')
  await setup.getByRole('button', { name: 'New authenticator secret' }).click()
  await expect(app.actionOutcome).toContainText('Add the new secret to your authenticator app')
  const enable = await app.openAction('Security', 'Turn on authenticator codes')
  const secret = hbp.account(synAda.email)?.otpSecret ?? ''
  await enable.getByLabel('Code from the authenticator app').fill(authenticatorCode(secret))
  await enable.getByRole('button', { name: 'Turn on' }).click()
  await expect(app.actionOutcome).toContainText('Authenticator codes are on')
  expect(hbp.account(synAda.email)?.mfaEnabled).toBe(true)

  const form = await startSynmetrixSignIn(latchkey, hbp)
  await form.getByLabel('Email', { exact: true }).fill(synAda.email)
  await form.getByLabel('Password', { exact: true }).fill(CHOSEN_PASSWORDS.changedHere)
  await form.getByRole('button', { name: 'Sign in', exact: true }).click()
  const mfa = app.signInStep('mfa-code')
  await mfa.getByLabel('Code').fill(authenticatorCode(secret))
  await mfa.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(account).toHaveAttribute('data-status', 'signed-in')
})

test('signs out of this device, saying until when the JWT stays valid; then out of all devices', async ({ latchkey, hbp }) => {
  const { app } = latchkey
  const account = await addSynmetrixAccount(latchkey, hbp, synAda)
  await app.detail.getByRole('button', { name: 'Sign out', exact: true }).click()
  const outcome = app.page.getByTestId('sign-out-outcome')
  await expect(outcome).toHaveAttribute('data-revoked', 'true')
  await expect(outcome).toContainText(/deleted this device’s refresh token\. The access token already issued stays valid until \d{4}-\d\d-\d\d \d\d:\d\d UTC: HBP cannot revoke it\./)
  await expect(account).toHaveAttribute('data-status', 'signed-out')
  expect(hbp.refreshTokensOf(synAda.email)).toEqual([])

  const elsewhere = await fetch(`${hbp.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: synAda.email, password: synAda.password, cookie: false }),
  })
  expect(elsewhere.status).toBe(200)
  await addSynmetrixAccount(latchkey, hbp, synAda)
  expect(hbp.refreshTokensOf(synAda.email)).toHaveLength(2)
  const everywhere = await app.openAction('Security', 'Sign out on all devices')
  await everywhere.getByRole('button', { name: 'Sign out everywhere' }).click()
  await expect(account).toHaveAttribute('data-status', 'needs-attention')
  await expect(app.page.getByTestId('attention-banner')).toContainText('Signed out on all devices. Access tokens already issued stay valid until they expire')
  expect(hbp.refreshTokensOf(synAda.email)).toEqual([])
})

test('a Synmetrix account sits next to OpenID Connect and PocketBase accounts', async ({ latchkey, idp, pb, hbp }) => {
  const { app } = latchkey
  await addOidcAccount(latchkey, idp, alice)
  await addPocketBaseAccount(latchkey, pb, ada)
  await addSynmetrixAccount(latchkey, hbp, synAda)
  await expect(app.switcher.getByRole('option')).toHaveCount(3)
  await expect(app.detail.getByTestId('backend')).toHaveText(new URL(hbp.url).host)
  await app.account(alice.email).click()
  await expect(app.detail.getByTestId('backend')).not.toHaveText(new URL(hbp.url).host)
  await app.account(pocketBaseLabel(synAda.email)).click()
  await expect(app.detail.getByTestId('profile').locator('dd[data-key="Allowed roles"]')).toHaveText('user, manager')
})

test('a sign-in link opened in the browser comes back through the loopback where the server redirects there', async ({ latchkey, hbp, page }) => {
  const { app } = latchkey
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const address = probe.address()
  await new Promise((resolve) => probe.close(resolve))
  const port = typeof address === 'object' && address !== null ? address.port : 0
  hbp.settings.redirectUrlSuccess = `http://127.0.0.1:${String(port)}/synmetrix`

  await app.addAccount(/^Synmetrix/)
  await page.getByLabel('Synmetrix address').fill(hbp.url)
  await page.getByLabel('Sign-in link return port').fill(String(port))
  await page.getByRole('button', { name: 'Continue', exact: true }).click()
  const form = app.signInStep('password')
  await form.getByLabel('Email', { exact: true }).fill(synAda.email)
  await form.getByRole('button', { name: 'Email me a sign-in link' }).click()
  const waiting = app.signInStep('paste-link')
  await expect(waiting).toContainText(`sends the browser back to Latchkey (http://127.0.0.1:${String(port)}/synmetrix)`)
  await expectNoAxeViolations(page, 'Synmetrix sign-in link waiting for the browser')

  // The person opens the emailed link in the browser; HBP redirects it to Latchkey's receiver.
  const browser = await page.context().newPage()
  await browser.goto(hbp.outbox.last(synAda.email, 'magic-link')?.link ?? '')
  expect(browser.url()).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${String(port)}/synmetrix\\?refresh_token=`))
  await browser.close()
  await waiting.getByRole('button', { name: 'I opened the link' }).focus()
  await page.keyboard.press('Enter')
  await expect(app.account(pocketBaseLabel(synAda.email))).toHaveAttribute('data-status', 'signed-in')
})
