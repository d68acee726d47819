/** Authing accounts end to end in Chromium through the browser shell, against the Authing emulator. */
import type { Locator, Page } from '@playwright/test'
import type { AuthingEmulator } from '../src/dev/authing/server.ts'
import { DEMO_AUTHING_USERS } from '../src/dev/authing/demo-users.ts'
import { expectNoAxeViolations } from './support/axe.ts'
import { expect, test } from './support/fixtures.ts'
import { addOidcAccount, alice } from './support/flows.ts'
import { CHOSEN_PASSWORDS } from './support/passwords.ts'
import { signInAtProvider, type AppPage } from './pages/app-page.ts'

const [ada, grace] = DEMO_AUTHING_USERS as [{ email: string; password: string; phone: string }, { email: string; password: string }]

function label(email: string): RegExp {
  return new RegExp(`^${email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} @ `)
}

/** Add account → Authing → app host, user pool, app (and the registered callback port) → Continue. */
async function startAuthing(app: AppPage, authing: AuthingEmulator, callbackPort?: number): Promise<Locator> {
  await app.addAccount(/^Authing/)
  await app.page.getByLabel('App host').fill(authing.url)
  await app.page.getByLabel('User pool ID').fill(authing.userPoolId)
  await app.page.getByLabel('App ID').fill(authing.appId)
  if (callbackPort !== undefined) await app.page.getByLabel('Browser sign-in port').fill(String(callbackPort))
  await app.page.getByRole('button', { name: 'Continue', exact: true }).click()
  return app.signInStep('sign-in')
}

async function signInWithPassword(app: AppPage, authing: AuthingEmulator, user: { email: string; password: string }): Promise<Locator> {
  const form = await startAuthing(app, authing)
  await form.getByLabel('Email, username or phone number').fill(user.email)
  await form.getByLabel('Password', { exact: true }).fill(user.password)
  await form.getByRole('button', { name: 'Sign in', exact: true }).click()
  return app.account(label(user.email))
}

/** Grace has an authenticator: her password, then her second step. */
async function signInGrace(app: AppPage, authing: AuthingEmulator): Promise<void> {
  await expect(await signInWithPassword(app, authing, grace)).toHaveCount(0)
  const mfa = app.signInStep('mfa')
  await mfa.getByLabel('Authenticator code').fill(authing.totp(grace.email))
  await mfa.getByRole('button', { name: 'Verify' }).click()
  await expect(app.account(label(grace.email))).toHaveAttribute('data-status', 'signed-in')
}

async function code(authing: AuthingEmulator, to: string): Promise<string> {
  await expect.poll(() => authing.outbox.last(to)?.code).toBeTruthy()
  return authing.outbox.last(to)?.code ?? ''
}

test('signs in with email and password, next to an OpenID Connect account', async ({ latchkey, authing, idp }) => {
  const { app } = latchkey
  await addOidcAccount(latchkey, idp, alice)
  const account = await signInWithPassword(app, authing, ada)
  await expect(account).toHaveAttribute('data-status', 'signed-in')
  await expect(app.detail.getByText('Ada Lovelace').first()).toBeVisible()
  await expect(app.detail.getByTestId('backend')).toHaveText(new URL(authing.url).host)
  await expect(app.account(alice.email)).toHaveAttribute('data-status', 'signed-in')
})

test('signs in with a phone number and a texted code', async ({ latchkey, authing }) => {
  const { app } = latchkey
  const first = await startAuthing(app, authing)
  await first.getByRole('button', { name: 'Sign in with a code instead' }).click()
  const request = app.signInStep('code-request')
  await request.getByLabel('Phone number or email').fill(ada.phone)
  await request.getByRole('button', { name: 'Send code' }).click()
  const entry = app.signInStep('code')
  await expect(entry).toContainText(`We sent a code to ${ada.phone}`)
  await entry.getByRole('button', { name: 'Send a new code' }).click()
  await expect(entry.getByRole('alert')).toHaveText(/try again in \d+ s/)
  await entry.getByLabel('Code', { exact: true }).fill(await code(authing, ada.phone))
  await entry.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(app.account(label(ada.email))).toHaveAttribute('data-status', 'signed-in')
})

test('asks for the authenticator code when the account has one', async ({ latchkey, authing }) => {
  const { app } = latchkey
  const form = await startAuthing(app, authing)
  await form.getByLabel('Email, username or phone number').fill(grace.email)
  await form.getByLabel('Password', { exact: true }).fill(grace.password)
  await form.getByRole('button', { name: 'Sign in', exact: true }).click()
  const mfa = app.signInStep('mfa')
  await expect(mfa.getByRole('heading', { name: 'Second step required' })).toBeVisible()
  await mfa.getByLabel('Authenticator code').fill(authing.totp(grace.email))
  await mfa.getByRole('button', { name: 'Verify' }).click()
  await expect(app.account(label(grace.email))).toHaveAttribute('data-status', 'signed-in')
})

test('signs in through the browser on the pinned, registered port', async ({ latchkey, authing, authingCallbackPort }) => {
  const { app } = latchkey
  const form = await startAuthing(app, authing, authingCallbackPort)
  await expect(form).toContainText(`http://127.0.0.1:${String(authingCallbackPort)}/callback`)
  await form.getByRole('button', { name: 'Sign in with browser' }).click()
  const browser: Page = await latchkey.nextBrowserPage()
  expect(new URL(browser.url()).pathname).toMatch(/^\/interaction\//)
  await signInAtProvider(browser, { id: ada.email, password: ada.password })
  await expect(app.account(label(ada.email))).toHaveAttribute('data-status', 'signed-in')
})

test('registers a new account and is signed in', async ({ latchkey, authing }) => {
  const { app } = latchkey
  const first = await startAuthing(app, authing)
  await first.getByRole('button', { name: 'Create an account' }).click()
  const form = app.signInStep('register')
  await form.getByLabel('Email, username or phone number').fill('newcomer@example.test')
  await form.getByLabel('Password', { exact: true }).fill(CHOSEN_PASSWORDS.changedHere)
  await form.getByLabel('Repeat the password').fill(CHOSEN_PASSWORDS.changedHere)
  await form.getByRole('button', { name: 'Create account' }).click()
  await expect(app.account(label('newcomer@example.test'))).toHaveAttribute('data-status', 'signed-in')
  expect(authing.user('newcomer@example.test')).toBeDefined()
})

test('binds a phone, sets a user-defined value and changes the password', async ({ latchkey, authing }) => {
  const { app } = latchkey
  await signInGrace(app, authing)

  const bind = await app.openAction('Security', 'Add a phone number')
  await bind.getByLabel('Phone number').fill('13900000042')
  await bind.getByRole('button', { name: 'Send code' }).click()
  await expect(app.actionOutcome).toContainText('Code sent to 13900000042')
  await bind.getByLabel('Code', { exact: true }).fill(await code(authing, '13900000042'))
  await bind.getByRole('button', { name: 'Add phone number' }).click()
  await expect(app.actionOutcome).toContainText('13900000042 is now on your account.')

  const values = await app.openAction('Profile', 'User-defined values')
  await values.getByLabel('Field key').fill('age')
  await values.getByLabel('Value', { exact: true }).fill('36')
  await values.getByLabel('Type').selectOption('NUMBER')
  await values.getByRole('button', { name: 'Set value' }).click()
  await expect(app.actionOutcome).toContainText('Set age.')

  const password = await app.openAction('Security', 'Change password')
  await password.getByLabel('Current password').fill(grace.password)
  await password.getByLabel('New password').fill(CHOSEN_PASSWORDS.changedHere)
  await password.getByLabel('Repeat the password').fill(CHOSEN_PASSWORDS.changedHere)
  await password.getByRole('button', { name: 'Change password' }).click()
  await expect(app.actionOutcome).toContainText('Password changed.')
  // Authing keeps the token across a password change (the SDK's updatePassword keeps its user and token).
  await expect(app.account(label(grace.email))).toHaveAttribute('data-status', 'signed-in')
  expect(authing.user(grace.email)).toMatchObject({ phone: '13900000042' })
})

/**
 * Holds the app's next call to `channel` (the browser shell's bridge) until `release()`: a slow
 * backend, on cue. `release()` resolves once the page has the answer and has drawn what followed.
 */
async function holdNextCall(page: Page, channel: string): Promise<{ held: Promise<void>; release: () => Promise<void> }> {
  let open = (): void => {}
  const gate = new Promise<void>((resolve) => (open = resolve))
  let seen = (): void => {}
  const held = new Promise<void>((resolve) => (seen = resolve))
  let answered = (): void => {}
  const done = new Promise<void>((resolve) => (answered = resolve))
  const matches = (url: URL): boolean => url.pathname === `/__latchkey/invoke/${encodeURIComponent(channel)}`
  await page.route(
    matches,
    async (route) => {
      seen()
      await gate
      await route.fulfill({ response: await route.fetch() })
      answered()
    },
    { times: 1 },
  )
  return {
    held,
    release: async () => {
      open()
      await done
      // The answer is handled in the page's next tasks; two frames later it is on screen.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
    },
  }
}

test('a code typed while the account reloads after "Send code" is kept, and adds the phone', async ({ latchkey, authing, page }) => {
  const { app } = latchkey
  await signInGrace(app, authing)

  const bind = await app.openAction('Security', 'Add a phone number')
  await bind.getByLabel('Phone number').fill('13900000042')
  // After "Send code" the app reloads the account, then its forms: both answer slowly this time,
  // and the person types the code before they do.
  const detail = await holdNextCall(page, 'accounts:detail')
  const forms = await holdNextCall(page, 'accounts:actions')
  await bind.getByRole('button', { name: 'Send code' }).click()
  await expect(app.actionOutcome).toContainText('Code sent to 13900000042')
  await detail.held
  const codeField = bind.getByLabel('Code', { exact: true })
  const sent = await code(authing, '13900000042')
  await codeField.fill(sent)
  await detail.release()
  await expect(codeField).toHaveValue(sent)
  await forms.held
  await forms.release()
  await expect(codeField).toHaveValue(sent)
  await bind.getByRole('button', { name: 'Add phone number' }).click()
  await expect(app.actionOutcome).toContainText('13900000042 is now on your account.')
  expect(authing.user(grace.email)).toMatchObject({ phone: '13900000042' })
})

test('a token logged out elsewhere makes the account need attention', async ({ latchkey, authing }) => {
  const { app } = latchkey
  const account = await signInWithPassword(app, authing, ada)
  await expect(account).toHaveAttribute('data-status', 'signed-in')
  // Every token issued before the logout's next second is refused from then on (as the server does): no wait for one.
  authing.logoutEverywhere(ada.email)
  const renewals = authing.requests().filter((request) => request.operation === 'refreshToken').length
  await app.detail.getByRole('button', { name: 'Check session' }).click()
  await expect(account).toHaveAttribute('data-status', 'needs-attention')
  await expect(app.detail).toContainText(/no longer valid/)
  // Checked with checkLoginStatus alone: nothing was renewed.
  expect(authing.requests().filter((request) => request.operation === 'refreshToken')).toHaveLength(renewals)
})

test('the login status is checked at start-up: a token logged out while Latchkey was closed needs attention', async ({ latchkey, authing }) => {
  const { app } = latchkey
  await expect(await signInWithPassword(app, authing, ada)).toHaveAttribute('data-status', 'signed-in')
  await latchkey.restart({ whileStopped: () => authing.logoutEverywhere(ada.email) })
  const account = app.account(label(ada.email))
  await expect(account).toHaveAttribute('data-status', 'needs-attention')
  await account.click()
  await expect(app.detail).toContainText(/no longer valid/)
})

for (const colorScheme of ['light', 'dark'] as const) {
  test(`"Check session" works by keyboard and the detail passes axe (${colorScheme})`, async ({ latchkey, authing, page }) => {
    await page.emulateMedia({ colorScheme })
    const { app } = latchkey
    const account = await signInWithPassword(app, authing, ada)
    await expect(account).toHaveAttribute('data-status', 'signed-in')
    const check = app.detail.getByRole('button', { name: 'Check session' })
    await check.focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => authing.requests().filter((request) => request.operation === 'checkLoginStatus').length).toBeGreaterThan(0)
    await expect(account).toHaveAttribute('data-status', 'signed-in')
    await expectNoAxeViolations(page, `Authing account detail (${colorScheme})`)
  })
}
