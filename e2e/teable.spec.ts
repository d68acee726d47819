/** Teable accounts end to end in Chromium through the browser shell, against the Teable emulator. */
import type { Locator } from '@playwright/test'
import { DEMO_TEABLE_USERS } from '../src/dev/teable/demo-users.ts'
import type { TeableEmulator, TeableEmulatorUser } from '../src/dev/teable/server.ts'
import { expectNoAxeViolations } from './support/axe.ts'
import { expect, test, type Latchkey } from './support/fixtures.ts'
import { addOidcAccount, addPocketBaseAccount, ada, alice, pocketBaseLabel } from './support/flows.ts'
import { CHOSEN_PASSWORDS } from './support/passwords.ts'
import { shot } from './support/screenshot.ts'

const [tea, mate] = DEMO_TEABLE_USERS as [TeableEmulatorUser & { password: string }, TeableEmulatorUser & { password: string }]

/** Add account → Teable → server address → Continue: the sign-in form. */
async function startTeableSignIn(latchkey: Latchkey, teable: TeableEmulator): Promise<Locator> {
  const { app } = latchkey
  await app.addAccount(/^Teable/)
  await app.page.getByLabel('Server address').fill(teable.url)
  await app.page.getByRole('button', { name: 'Continue', exact: true }).click()
  return app.signInStep('sign-in')
}

async function addTeableAccount(latchkey: Latchkey, teable: TeableEmulator, user: { email: string; password: string }): Promise<Locator> {
  const form = await startTeableSignIn(latchkey, teable)
  await form.getByLabel('Email', { exact: true }).fill(user.email)
  await form.getByLabel('Password', { exact: true }).fill(user.password)
  await form.getByRole('button', { name: 'Sign in', exact: true }).click()
  const account = latchkey.app.account(pocketBaseLabel(user.email))
  await expect(account).toHaveAttribute('data-status', 'signed-in')
  return account
}

test('signs in with email and password and shows what the session and a token can do', async ({ latchkey, teable }) => {
  const { app } = latchkey
  await addTeableAccount(latchkey, teable, tea)
  await expect(app.detail.getByText(tea.email).first()).toBeVisible()
  await expect(app.detail.getByText(/Signed in — for profile and security settings/)).toBeVisible()
  await expect(app.detail.getByText(/None — paste or create one for the data API and other tools/)).toBeVisible()
  await shot(app.page, 'teable-account')
})

test('signs up with the code Teable emailed', async ({ latchkey, teable }) => {
  const { app } = latchkey
  const email = 'newcomer@example.test'
  const first = await startTeableSignIn(latchkey, teable)
  await first.getByRole('button', { name: 'Create an account' }).click()
  const signUp = app.signInStep('sign-up')
  await signUp.getByLabel('Email', { exact: true }).fill(email)
  await signUp.getByLabel('New password', { exact: true }).fill(CHOSEN_PASSWORDS.teableSignUp)
  await signUp.getByLabel('Repeat the new password').fill(CHOSEN_PASSWORDS.teableSignUp)
  await signUp.getByRole('button', { name: 'Create account' }).click()
  const code = app.signInStep('sign-up-code')
  await expect(code).toContainText(`We sent a code to ${email}`)
  await code.getByLabel('Code').fill(teable.outbox.last(email, 'signup-code')?.code ?? '')
  await code.getByRole('button', { name: 'Create account' }).click()
  await expect(app.account(pocketBaseLabel(email))).toHaveAttribute('data-status', 'signed-in')
  expect(teable.user(email)).toMatchObject({ hasPassword: true })
})

test('creates an access token and lists it with its expiry', async ({ latchkey, teable }) => {
  const { app } = latchkey
  await addTeableAccount(latchkey, teable, tea)
  const create = await app.openAction('Security', 'Create an access token')
  await create.getByLabel('Token name').fill('reports')
  await create.getByLabel('Read records').check()
  await create.getByLabel('Expires in').selectOption('90')
  await create.getByRole('button', { name: 'Create token' }).click()
  await expect(app.actionOutcome).toContainText('Created the access token “reports”, valid until')
  const [created] = teable.accessTokens(tea.email)
  expect(created).toMatchObject({ name: 'reports', scopes: ['space|read', 'record|read'] })
  const day = created?.expiredTime.slice(0, 10) ?? ''
  const list = await app.openAction('Security', 'Your access tokens')
  await expect(list.getByLabel('Token')).toContainText(`reports — expires ${day}`)
  await expect(app.detail.getByTestId('profile').getByText(new RegExp(`“reports”, expires ${day}`))).toBeVisible()

  // Removing the account deletes the token it created only when that box is ticked.
  await app.detail.getByRole('button', { name: 'Remove', exact: true }).click()
  await app.detail.getByLabel('Also delete on the server the access token Latchkey created for this account').check()
  await app.detail.getByRole('button', { name: 'Remove account' }).click()
  await expect(app.account(pocketBaseLabel(tea.email))).toHaveCount(0)
  expect(teable.accessTokens(tea.email)).toEqual([])
})

test('changes the password and stays signed in', async ({ latchkey, teable }) => {
  const { app } = latchkey
  const account = await addTeableAccount(latchkey, teable, mate)
  const form = await app.openAction('Security', 'Change password')
  await form.getByLabel('Current password').fill(mate.password)
  await form.getByLabel('New password', { exact: true }).fill(CHOSEN_PASSWORDS.teableChanged)
  await form.getByLabel('Repeat the new password').fill(CHOSEN_PASSWORDS.teableChanged)
  await form.getByRole('button', { name: 'Change password' }).click()
  await expect(app.actionOutcome).toContainText('Password changed. You are still signed in.')
  await expect(account).toHaveAttribute('data-status', 'signed-in')
  // The new session works: a renewal now touches it on the server.
  await app.detail.getByRole('button', { name: 'Refresh now' }).click()
  await expect(account).toHaveAttribute('data-status', 'signed-in')
  expect(teable.liveSessions(mate.email)).toBe(1)
})

test('changes the email with the code sent to the new address', async ({ latchkey, teable }) => {
  const { app } = latchkey
  const newEmail = 'tea.time@example.test'
  await addTeableAccount(latchkey, teable, tea)
  const send = await app.openAction('Security', 'Change email address')
  await send.getByLabel('New email address').fill(newEmail)
  await send.getByLabel('Current password').fill(tea.password)
  await send.getByRole('button', { name: 'Send code' }).click()
  await expect(app.actionOutcome).toContainText(`Teable sent a code to ${newEmail}`)
  const confirm = await app.openAction('Security', `Confirm ${newEmail}`)
  await confirm.getByLabel('Code from the email').fill(teable.outbox.last(newEmail, 'change-email-code')?.code ?? '')
  await confirm.getByLabel('Password', { exact: true }).fill(tea.password)
  await confirm.getByRole('button', { name: 'Change email' }).click()
  await expect(app.actionOutcome).toContainText(`Email changed to ${newEmail}. You are still signed in.`)
  await expect(app.detail.getByText(newEmail).first()).toBeVisible()
})

test('resets the password from the emailed link and stays signed in', async ({ latchkey, teable }) => {
  const { app } = latchkey
  const account = await addTeableAccount(latchkey, teable, mate)
  await (await app.openAction('Security', 'Reset password by email')).getByRole('button', { name: 'Email me a reset link' }).click()
  await expect(app.actionOutcome).toContainText(`Teable emailed a reset link to ${mate.email}`)
  const link = /https?:\S+/.exec(teable.outbox.last(mate.email, 'reset-password')?.text ?? '')?.[0] ?? ''
  const reset = await app.openAction('Security', 'Finish a password reset')
  await reset.getByLabel('Link or code from the email').fill(link)
  await reset.getByLabel('New password', { exact: true }).fill(CHOSEN_PASSWORDS.teableReset)
  await reset.getByLabel('Repeat the new password').fill(CHOSEN_PASSWORDS.teableReset)
  await reset.getByRole('button', { name: 'Set the new password' }).click()
  await expect(app.actionOutcome).toContainText('Password reset. You are still signed in.')
  await expect(account).toHaveAttribute('data-status', 'signed-in')
})

test('refuses an avatar over 3 MB before sending it', async ({ latchkey, teable }) => {
  const { app } = latchkey
  await addTeableAccount(latchkey, teable, tea)
  const profile = await app.openAction('Profile', 'Edit profile')
  const before = teable.requests().filter((r) => r.path === '/api/user/avatar').length
  const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(4 * 1024 * 1024 - 8)])
  const avatar = profile.getByLabel('Avatar')
  await avatar.setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: png })
  await expect(avatar).toHaveAttribute('aria-invalid', 'true')
  await expect(avatar).toHaveAccessibleDescription(/That file is 4 MB; the limit is 3 MB\.$/)
  await profile.getByRole('button', { name: 'Save profile' }).click()
  expect(teable.requests().filter((r) => r.path === '/api/user/avatar').length).toBe(before)
  expect(teable.user(tea.email)?.avatarBytes).toBe(0)
})

test('a session ended on the server needs attention, and signing in again mends it', async ({ latchkey, teable }) => {
  const { app } = latchkey
  const account = await addTeableAccount(latchkey, teable, tea)
  teable.endSessions(tea.email)
  await app.detail.getByRole('button', { name: 'Refresh now' }).click()
  await expect(account).toHaveAttribute('data-status', 'needs-attention')
  await expect(app.detail.getByText(/has ended this session/).first()).toBeVisible()
  await app.detail.getByRole('button', { name: 'Sign in again' }).first().click()
  const form = app.signInStep('sign-in')
  await form.getByLabel('Email', { exact: true }).fill(tea.email)
  await form.getByLabel('Password', { exact: true }).fill(tea.password)
  await form.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(account).toHaveAttribute('data-status', 'signed-in')
})

test('two Teable accounts on one server are kept apart', async ({ latchkey, teable }) => {
  const { app } = latchkey
  const first = await addTeableAccount(latchkey, teable, tea)
  const second = await addTeableAccount(latchkey, teable, mate)
  expect(teable.liveSessions(tea.email)).toBe(1)
  expect(teable.liveSessions(mate.email)).toBe(1)
  await first.click()
  await app.detail.getByRole('button', { name: 'Sign out' }).click()
  await expect(first).toHaveAttribute('data-status', 'signed-out')
  expect(teable.liveSessions(tea.email)).toBe(0)
  await second.click()
  await app.detail.getByRole('button', { name: 'Refresh now' }).click()
  await expect(second).toHaveAttribute('data-status', 'signed-in')
  await expect(app.detail.getByText(mate.email).first()).toBeVisible()
  expect(teable.liveSessions(mate.email)).toBe(1)
})

test('a Teable account next to an OpenID Connect and a PocketBase account, switched by click', async ({ latchkey, teable, idp, pb }) => {
  const { app } = latchkey
  await addOidcAccount(latchkey, idp, alice)
  await addPocketBaseAccount(latchkey, pb, ada)
  const teaAccount = await addTeableAccount(latchkey, teable, tea)
  await expect(teaAccount).toHaveAttribute('aria-selected', 'true')
  await app.account(alice.email).click()
  await expect(app.detail.getByText(alice.email).first()).toBeVisible()
  await teaAccount.click()
  await expect(app.detail.getByText(tea.email).first()).toBeVisible()
  await app.account(pocketBaseLabel(ada.email)).click()
  await expect(app.detail.getByText(ada.email).first()).toBeVisible()
  await shot(app.page, 'teable-with-others')
})

for (const colorScheme of ['light', 'dark'] as const) {
  test(`an access token deleted on the server needs attention on its own; the session stays signed in (${colorScheme})`, async ({ latchkey, teable, page }) => {
    await page.emulateMedia({ colorScheme })
    const { app } = latchkey
    const account = await addTeableAccount(latchkey, teable, tea)
    const create = await app.openAction('Security', 'Create an access token')
    await create.getByLabel('Token name').fill('reports')
    await create.getByLabel('Read records').check()
    await create.getByRole('button', { name: 'Create token' }).click()
    await expect(app.actionOutcome).toContainText('Created the access token “reports”')
    const token = app.detail.getByTestId('credentials').locator('li[data-kind="personal-access-token"]')
    await expect(token).toHaveAttribute('data-status', 'ok')
    await expect(token).toContainText('Access token “reports”')
    await expect(token).toContainText('Works')
    await expect(token).toContainText('Expires')

    const [created] = teable.accessTokens(tea.email)
    teable.deleteAccessToken(tea.email, created?.id ?? '')
    // The keep-alive touches the session and asks about the token: by keyboard.
    await app.detail.getByRole('button', { name: 'Refresh now' }).focus()
    await page.keyboard.press('Enter')
    await expect(token).toHaveAttribute('data-status', 'needs-attention')
    await expect(token).toContainText('no longer accepts this token')
    await expect(account).toHaveAttribute('data-status', 'signed-in')
    await expect(app.detail.getByTestId('attention-banner')).toHaveCount(0)
    await expectNoAxeViolations(page, `Teable account with a dead access token (${colorScheme})`)
  })
}

test('signs in through the browser (mobile PKCE on the loopback) once the server allows http, and says plainly when it does not', async ({ latchkey, teable }) => {
  const { app } = latchkey
  // The default server allows only its own app scheme: its page refuses Latchkey's http redirect.
  const form = await startTeableSignIn(latchkey, teable)
  await expect(form).toContainText('MOBILE_AUTH_REDIRECT_SCHEMES must include http')
  await form.getByRole('button', { name: 'Sign in in your browser' }).click()
  const refused = await latchkey.nextBrowserPage()
  expect([...new URL(refused.url()).searchParams.keys()].sort()).toEqual(['code_challenge', 'redirect_uri', 'state'])
  await refused.getByLabel('Email').fill(tea.email)
  await refused.getByLabel('Password').fill(tea.password)
  await refused.getByRole('button', { name: 'Allow' }).click()
  await expect(refused.getByRole('alert')).toHaveText('redirect_uri scheme "http" is not allowed')
  await refused.close()
  await app.page.getByRole('button', { name: 'Cancel' }).click()
  await expect(app.page.getByRole('status').filter({ hasText: 'Sign-in cancelled' })).toBeVisible()

  teable.setMobileRedirectSchemes(['teable', 'http'])
  await app.page.getByRole('button', { name: 'Continue', exact: true }).click()
  await app.signInStep('sign-in').getByRole('button', { name: 'Sign in in your browser' }).click()
  const browser = await latchkey.nextBrowserPage()
  // The browser kept Teable's own session from the first try: it only asks to allow the app.
  await expect(browser.getByText(`Signed in as ${tea.email}.`)).toBeVisible()
  await browser.getByRole('button', { name: 'Allow' }).click()
  // Closed once Latchkey's loopback has answered, not while the browser is still on its way there.
  await expect(browser.getByText('You can close this tab')).toBeVisible()
  await browser.close()
  const account = app.account(pocketBaseLabel(tea.email))
  await expect(account).toHaveAttribute('data-status', 'signed-in')
  expect(teable.requests().some((request) => request.path === '/api/auth/mobile/exchange' && request.status === 200)).toBe(true)
})
