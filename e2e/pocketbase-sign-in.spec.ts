/** Signing in to a PocketBase account: password, an emailed code, a second step, OAuth2 in the browser. */
import { expect, PB_OAUTH2_NAME, test } from './support/fixtures.ts'
import { ada, alice, grace, pocketBaseLabel } from './support/flows.ts'
import { CHOSEN_PASSWORDS } from './support/passwords.ts'
import { readVault } from './support/keychain.ts'
import { shot } from './support/screenshot.ts'
import { signInAtProvider } from './pages/app-page.ts'

test('signs in with a password and shows who signed in', async ({ latchkey, pb, keyringEnv }) => {
  const { app } = latchkey
  const host = new URL(pb.url).host
  await app.startPocketBaseSignIn({ url: pb.url, collection: 'users' })
  const form = app.signInStep('password')
  await expect(form.getByRole('heading', { name: `Sign in to ${host}` })).toBeVisible()
  await expect(form.getByLabel('Email', { exact: true })).toBeFocused()
  await form.getByLabel('Email', { exact: true }).fill(ada.email)
  await form.getByLabel('Password', { exact: true }).fill(ada.password)
  await form.getByRole('button', { name: 'Sign in', exact: true }).click()

  const account = app.account(pocketBaseLabel(ada.email))
  await expect(account).toHaveAttribute('data-status', 'signed-in')
  await expect(account).toHaveAttribute('aria-selected', 'true')
  await expect(app.detail.getByText('Ada Lovelace').first()).toBeVisible()
  await expect(app.detail.getByTestId('backend')).toHaveText(host)
  await expect(app.detail.getByText('Stored in the system keychain')).toBeVisible()
  await expect(app.detail.getByRole('button', { name: 'Refresh now' })).toBeVisible()
  await shot(app.page, 'pocketbase-password')
  expect(readVault(latchkey.dataDir, keyringEnv)).toHaveLength(1)
})

test('a wrong password says so and keeps the typed email', async ({ latchkey, pb }) => {
  const { app } = latchkey
  await app.startPocketBaseSignIn({ url: pb.url })
  const form = app.signInStep('password')
  await form.getByLabel('Email', { exact: true }).fill(ada.email)
  await form.getByLabel('Password', { exact: true }).fill(CHOSEN_PASSWORDS.wrong)
  await form.getByRole('button', { name: 'Sign in', exact: true }).click()

  await expect(form.getByRole('alert')).toHaveText('Wrong email or password.')
  await expect(form.getByLabel('Email', { exact: true })).toHaveValue(ada.email)
  await expect(app.page.getByText('No accounts yet')).toBeVisible()

  // The form is still there to correct the password.
  await form.getByLabel('Password', { exact: true }).fill(ada.password)
  await form.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(app.account(pocketBaseLabel(ada.email))).toHaveAttribute('data-status', 'signed-in')
})

test('signs in with a code sent by email', async ({ latchkey, pb }) => {
  const { app } = latchkey
  await app.startPocketBaseSignIn({ url: pb.url })
  const first = app.signInStep('password')
  await first.getByLabel('Email', { exact: true }).fill(ada.email)
  await first.getByRole('button', { name: 'Email me a code instead' }).click()

  const form = app.signInStep('otp-code')
  await expect(form).toContainText(`If ${ada.email} has an account on ${new URL(pb.url).host}, a code is on its way`)
  await expect(form.getByTestId('form-expiry')).toHaveText(/^This step expires in \d+ min \d+ s\.$/)
  await expect(form.getByLabel('Code', { exact: true })).toBeFocused()
  const code = pb.outbox.last(ada.email, 'otp')?.otp
  expect(code).toBeTruthy()
  await form.getByLabel('Code', { exact: true }).fill(code ?? '')
  await form.getByRole('button', { name: 'Sign in', exact: true }).click()

  await expect(app.account(pocketBaseLabel(ada.email))).toHaveAttribute('data-status', 'signed-in')
  await expect(app.detail.getByText('Ada Lovelace').first()).toBeVisible()
})

test('asks for a second step when the server wants one, and signs in with an emailed code', async ({ latchkey, pb }) => {
  const { app } = latchkey
  await app.startPocketBaseSignIn({ url: pb.url })
  const first = app.signInStep('password')
  await first.getByLabel('Email', { exact: true }).fill(grace.email)
  await first.getByLabel('Password', { exact: true }).fill(grace.password)
  await first.getByRole('button', { name: 'Sign in', exact: true }).click()

  const second = app.signInStep('mfa')
  await expect(second.getByRole('heading', { name: 'Second step required' })).toBeVisible()
  await expect(second).toContainText(/asks for a second way to confirm it is you\. Finish within 10 minutes\./)
  await expect(second.getByTestId('form-expiry')).toHaveText(/^This step expires in (9 min \d+ s|10 min 0 s)\.$/)
  // The password already counted: the second step offers the other methods only, with her email filled in.
  await expect(second.getByLabel('Password', { exact: true })).toHaveCount(0)
  await expect(second.getByLabel('Email', { exact: true })).toHaveValue(grace.email)
  await expect(second.getByRole('button', { name: `Continue with ${PB_OAUTH2_NAME}` })).toBeVisible()
  await shot(app.page, 'pocketbase-mfa')
  await expect(app.switcher.getByRole('option')).toHaveCount(0)

  await second.getByRole('button', { name: 'Email me a code' }).click()
  const code = app.signInStep('otp-code')
  await expect(code.getByRole('heading', { name: 'Second step required' })).toBeVisible()
  await code.getByLabel('Code', { exact: true }).fill(pb.outbox.last(grace.email, 'otp')?.otp ?? '')
  await code.getByRole('button', { name: 'Sign in', exact: true }).click()

  await expect(app.account(pocketBaseLabel(grace.email))).toHaveAttribute('data-status', 'signed-in')
  await expect(app.detail.getByText('Grace Hopper').first()).toBeVisible()
})

test('signs in with the server’s OAuth2 provider in the system browser', async ({ latchkey, pb }) => {
  const { app } = latchkey
  await app.startPocketBaseSignIn({ url: pb.url })
  await app.signInStep('password').getByRole('button', { name: `Continue with ${PB_OAUTH2_NAME}` }).click()
  await expect(app.page.getByRole('heading', { name: /Waiting for you to finish signing in/ })).toBeVisible()

  const browser = await latchkey.nextBrowserPage()
  await signInAtProvider(browser, alice)
  await browser.close()

  const account = app.account(pocketBaseLabel(alice.email))
  await expect(account).toHaveAttribute('data-status', 'signed-in')
  await expect(account).toHaveAttribute('aria-selected', 'true')
  await expect(app.detail.getByTestId('backend')).toHaveText(new URL(pb.url).host)
  expect(pb.user('users', alice.email)).toBeDefined()
})
