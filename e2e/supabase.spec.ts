/**
 * Supabase accounts end to end, against the real Supabase Auth server built from its Go source
 * (the emulator where the real server cannot run here, or cannot be made to take a step in a test:
 * a password change that asks for reauthentication, which the server only does for sessions older
 * than a day).
 */
import type { Locator } from '@playwright/test'
import { expect, test } from './support/fixtures.ts'
import type { Latchkey } from './support/fixtures.ts'
import { signInAtProvider } from './pages/app-page.ts'
import { ada, addOidcAccount, addPocketBaseAccount, alice, authenticatorCode, pocketBaseLabel } from './support/flows.ts'
import { CHOSEN_PASSWORDS } from './support/passwords.ts'
import type { SupabaseServer } from './support/supabase.ts'

/** Add account → Supabase → project URL and key → Continue: the first sign-in form. */
async function startSupabaseSignIn(latchkey: Latchkey, sb: SupabaseServer): Promise<Locator> {
  const { app } = latchkey
  await app.addAccount(/^Supabase/)
  await app.page.getByLabel('Project URL').fill(sb.url)
  await app.page.getByLabel('Anon or publishable key').fill(sb.anonKey)
  await app.page.getByRole('button', { name: 'Continue', exact: true }).click()
  const form = app.signInStep('sign-in')
  await expect(form).toBeVisible()
  return form
}

/** The first form with `email` typed, one of its buttons pressed: the next step, which names the address. */
async function askByEmail(latchkey: Latchkey, sb: SupabaseServer, email: string, button: string, step: string, says: string): Promise<Locator> {
  const form = await startSupabaseSignIn(latchkey, sb)
  await form.getByLabel('Email or phone number').fill(email)
  await form.getByRole('button', { name: button }).click()
  const next = latchkey.app.signInStep(step)
  await expect(next).toContainText(says)
  return next
}

/** The emailed link opened in the system browser, which lands on Latchkey's loopback. */
async function openEmailedLink(latchkey: Latchkey, sb: SupabaseServer, email: string): Promise<void> {
  const browser = await latchkey.app.page.context().newPage()
  await browser.goto((await sb.mail(email)).link)
  await expect(browser.getByText('You can close this tab')).toBeVisible()
  await browser.close()
}

async function addSupabaseAccount(latchkey: Latchkey, sb: SupabaseServer, person: { email: string; password: string }): Promise<Locator> {
  const form = await startSupabaseSignIn(latchkey, sb)
  await form.getByLabel('Email or phone number').fill(person.email)
  await form.getByLabel('Password', { exact: true }).fill(person.password)
  await form.getByRole('button', { name: 'Sign in', exact: true }).click()
  const account = latchkey.app.account(pocketBaseLabel(person.email))
  await expect(account).toHaveAttribute('data-status', 'signed-in')
  return account
}

test('signs in with a password, shows the assurance level; signing out here leaves another session of the same person alive', async ({ latchkey, sb }) => {
  const { app } = latchkey
  const person = await sb.person('Rosalind Franklin')
  const elsewhere = await sb.signInElsewhere(person.email, person.password)
  const account = await addSupabaseAccount(latchkey, sb, person)
  await expect(app.detail).toContainText('aal1: one factor (password)')
  await expect(app.detail).toContainText('Rosalind Franklin')

  await app.detail.getByRole('button', { name: 'Sign out', exact: true }).click()
  const outcome = app.page.getByTestId('sign-out-outcome')
  await expect(outcome).toHaveAttribute('data-revoked', 'true')
  await expect(outcome).toContainText('on this device; your other sessions stay signed in')
  await expect(outcome).toContainText('stays valid until')
  await expect(account).toHaveAttribute('data-status', 'signed-out')
  expect(await sb.renews(elsewhere.refreshToken)).toBe(true)
})

test('signs in with the code emailed to the person', async ({ latchkey, sb }) => {
  const { app } = latchkey
  const person = await sb.person()
  const code = await askByEmail(latchkey, sb, person.email, 'Send me a code', 'code', `We sent a code to ${person.email}`)
  await code.getByLabel('Code').fill((await sb.mail(person.email)).code)
  await code.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(app.account(pocketBaseLabel(person.email))).toHaveAttribute('data-status', 'signed-in')
})

test('signs in with the emailed link opened in the system browser, landing on Latchkey’s loopback', async ({ latchkey, sb }) => {
  const { app } = latchkey
  const person = await sb.person()
  const step = await askByEmail(latchkey, sb, person.email, 'Email me a sign-in link', 'link', `We emailed a sign-in link to ${person.email}`)
  await openEmailedLink(latchkey, sb, person.email)
  await step.getByRole('button', { name: 'I opened the link' }).click()
  await expect(app.account(pocketBaseLabel(person.email))).toHaveAttribute('data-status', 'signed-in')
})

test('signs up: “check your email”, then the confirmation code signs the new account in', async ({ latchkey, sb }) => {
  const { app } = latchkey
  const email = `newcomer-${String(Date.now())}@example.test`
  const form = await startSupabaseSignIn(latchkey, sb)
  await form.getByLabel('Email or phone number').fill(email)
  await form.getByLabel('Password', { exact: true }).fill('abc')
  await form.getByRole('button', { name: 'Create an account' }).click()
  await expect(form.getByText('Choose a stronger password. It should be at least 6 characters.')).toBeVisible()
  await form.getByLabel('Password', { exact: true }).fill(CHOSEN_PASSWORDS.supabaseNewcomer)
  await form.getByRole('button', { name: 'Create an account' }).click()
  const confirm = app.signInStep('confirm-sign-up')
  await expect(confirm).toContainText(`Check ${email}`)
  await confirm.getByLabel('Code').fill((await sb.mail(email)).code)
  await confirm.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(app.account(pocketBaseLabel(email))).toHaveAttribute('data-status', 'signed-in')
})

test('enrolls an authenticator (QR code shown), then signing in again asks for its code and ends at aal2', async ({ latchkey, sb }) => {
  const { app } = latchkey
  const person = await sb.person()
  const account = await addSupabaseAccount(latchkey, sb, person)
  const start = await app.openAction('Security', 'Add an authenticator app')
  await start.getByLabel('Name for it').fill('Phone')
  await start.getByRole('button', { name: 'Set up an authenticator app' }).click()
  await expect(app.actionOutcome).toContainText('Scan the QR code')
  const verify = await app.openAction('Security', 'Finish setting up the authenticator')
  await expect(verify.getByRole('img', { name: /QR code/ })).toBeVisible()
  const secret = await verify.getByLabel('Authenticator QR code').inputValue()
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/)
  await verify.getByLabel('Code from the authenticator app').fill(authenticatorCode(secret))
  await verify.getByRole('button', { name: 'Verify and turn on' }).click()
  await expect(app.actionOutcome).toContainText('The authenticator is on')
  await expect(app.detail).toContainText('aal2: second factor verified')

  await app.detail.getByRole('button', { name: 'Sign out', exact: true }).click()
  await expect(account).toHaveAttribute('data-status', 'signed-out')
  await app.detail.getByRole('button', { name: 'Sign in again' }).click()
  const again = app.signInStep('sign-in')
  await again.getByLabel('Email or phone number').fill(person.email)
  await again.getByLabel('Password', { exact: true }).fill(person.password)
  await again.getByRole('button', { name: 'Sign in', exact: true }).click()
  const mfa = app.signInStep('mfa')
  await expect(mfa).toContainText('authenticator app')
  await mfa.getByLabel('Code from your authenticator app').fill(authenticatorCode(secret))
  await mfa.getByRole('button', { name: 'Verify' }).click()
  await expect(account).toHaveAttribute('data-status', 'signed-in')
  await expect(app.detail).toContainText('aal2: second factor verified')
})

test('changes the password and stays signed in; the person’s other sessions end', async ({ latchkey, sb }) => {
  const { app } = latchkey
  const person = await sb.person()
  const elsewhere = await sb.signInElsewhere(person.email, person.password)
  const account = await addSupabaseAccount(latchkey, sb, person)
  const form = await app.openAction('Security', 'Change password')
  await form.getByLabel('New password', { exact: true }).fill(CHOSEN_PASSWORDS.supabaseChanged)
  await form.getByLabel('Repeat the new password').fill(CHOSEN_PASSWORDS.supabaseChanged)
  await form.getByRole('button', { name: 'Change password' }).click()
  await expect(app.actionOutcome).toHaveText('Password changed. You are still signed in here; the account’s other sessions were signed out.')
  await app.detail.getByRole('button', { name: 'Refresh now' }).click()
  await expect(account).toHaveAttribute('data-status', 'signed-in')
  expect(await sb.renews(elsewhere.refreshToken)).toBe(false)
})

test.describe('where the server asks for reauthentication (emulator: the real server asks only after a day)', () => {
  test.use({ sbTarget: 'emulator', sbReauthentication: true })

  test('a password change asks for the emailed verification code, then succeeds', async ({ latchkey, sb }) => {
    const { app } = latchkey
    const person = await sb.person()
    const account = await addSupabaseAccount(latchkey, sb, person)
    const form = await app.openAction('Security', 'Change password')
    await form.getByLabel('New password', { exact: true }).fill(CHOSEN_PASSWORDS.supabaseReauthenticated)
    await form.getByLabel('Repeat the new password').fill(CHOSEN_PASSWORDS.supabaseReauthenticated)
    await form.getByRole('button', { name: 'Change password' }).click()
    await expect(form.getByText(`a verification code was emailed to ${person.email}`)).toBeVisible()
    await form.getByLabel('Verification code').fill((await sb.mail(person.email)).code)
    await form.getByRole('button', { name: 'Change password' }).click()
    await expect(app.actionOutcome).toContainText('Password changed.')
    await expect(account).toHaveAttribute('data-status', 'signed-in')
  })
})

test('changes the email address with the codes sent to both addresses', async ({ latchkey, sb }) => {
  const { app } = latchkey
  const person = await sb.person()
  await addSupabaseAccount(latchkey, sb, person)
  const newEmail = `moved-${person.email}`
  const request = await app.openAction('Security', 'Change email address')
  await request.getByLabel('New email address').fill(newEmail)
  await request.getByRole('button', { name: 'Send confirmation codes' }).click()
  await expect(app.actionOutcome).toContainText(newEmail)
  const confirm = await app.openAction('Security', `Finish the change to ${newEmail}`)
  await confirm.getByLabel(`Code sent to ${newEmail}`).fill((await sb.mail(newEmail)).code)
  await confirm.getByLabel(`Code sent to ${person.email}`).fill((await sb.mail(person.email)).code)
  await confirm.getByRole('button', { name: 'Change email' }).click()
  await expect(app.actionOutcome).toHaveText(`The email address is now ${newEmail}.`)
})

test('signing out everywhere ends the other session too, after a confirmation', async ({ latchkey, sb }) => {
  const { app } = latchkey
  const person = await sb.person()
  const elsewhere = await sb.signInElsewhere(person.email, person.password)
  const account = await addSupabaseAccount(latchkey, sb, person)
  const form = await app.openAction('Security', 'Sign out everywhere')
  await expect(form).toContainText('this one included')
  await form.getByLabel('Yes, sign out everywhere, here too').check()
  await form.getByRole('button', { name: 'Sign out everywhere' }).click()
  await expect(account).toHaveAttribute('data-status', /needs-attention|signed-out/)
  expect(await sb.renews(elsewhere.refreshToken)).toBe(false)
})

test.describe('with access tokens that live ten seconds', () => {
  test.use({ sbJwtExpSeconds: 10 })

  test('renews the session while the test watches', async ({ latchkey, sb }) => {
    const { app } = latchkey
    const person = await sb.person()
    const account = await addSupabaseAccount(latchkey, sb, person)
    const expiry = app.detail.getByTestId('expiry-countdown').first()
    const before = await expiry.getAttribute('data-expires-at')
    await expect.poll(() => expiry.getAttribute('data-expires-at'), { timeout: 25_000 }).not.toBe(before)
    await expect(account).toHaveAttribute('data-status', /signed-in|refreshing/)
  })
})

test('a refresh token ended on the server → needs attention with the reason → signing in again mends it', async ({ latchkey, sb }) => {
  const { app } = latchkey
  const person = await sb.person()
  const account = await addSupabaseAccount(latchkey, sb, person)
  // Another device signs out everywhere: this session's refresh token is gone on the server.
  const other = await sb.signInElsewhere(person.email, person.password)
  expect(other.refreshToken).not.toBe('')
  const answer = await fetch(`${sb.url}/token?grant_type=password`, { method: 'POST', headers: { 'content-type': 'application/json', apikey: sb.anonKey }, body: JSON.stringify({ email: person.email, password: person.password }) })
  const { access_token: accessToken } = (await answer.json()) as { access_token: string }
  await fetch(`${sb.url}/logout?scope=global`, { method: 'POST', headers: { apikey: sb.anonKey, authorization: `Bearer ${accessToken}` } })
  await app.detail.getByRole('button', { name: 'Refresh now' }).click()
  await expect(account).toHaveAttribute('data-status', 'needs-attention')
  const banner = app.page.getByTestId('attention-banner')
  await expect(banner).toContainText('no longer knows this session (it was signed out or ended). Sign in again.')
  await banner.getByRole('button', { name: 'Sign in again' }).click()
  const form = app.signInStep('sign-in')
  await form.getByLabel('Email or phone number').fill(person.email)
  await form.getByLabel('Password', { exact: true }).fill(person.password)
  await form.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(account).toHaveAttribute('data-status', 'signed-in')
})

test('a Supabase, a PocketBase and an OpenID Connect account side by side', async ({ latchkey, sb, pb, idp }) => {
  const { app } = latchkey
  const person = await sb.person()
  await addSupabaseAccount(latchkey, sb, person)
  await addPocketBaseAccount(latchkey, pb, ada)
  await addOidcAccount(latchkey, idp, alice, 'Alice')
  await expect(app.switcher.getByRole('option')).toHaveCount(3)
  for (const label of [pocketBaseLabel(person.email), pocketBaseLabel(ada.email), /Alice/]) await expect(app.account(label)).toHaveAttribute('data-status', 'signed-in')
})

test('signs in with Keycloak (an OpenID Connect server at Keycloak’s paths) in the system browser', async ({ latchkey, sb }) => {
  const { app } = latchkey
  const [person] = sb.keycloakUsers
  const form = await startSupabaseSignIn(latchkey, sb)
  await form.getByRole('button', { name: 'Continue with Keycloak' }).click()
  await signInAtProvider(await latchkey.nextBrowserPage(), person ?? { id: '', password: '' })
  const account = app.account(pocketBaseLabel(person?.email ?? ''))
  await expect(account).toHaveAttribute('data-status', 'signed-in')
  await expect(app.detail).toContainText('keycloak')
})

test('links a Keycloak sign-in to a password account in the browser, lists it, and unlinks it', async ({ latchkey, sb }) => {
  const { app } = latchkey
  const person = await sb.person()
  const [, other] = sb.keycloakUsers
  await addSupabaseAccount(latchkey, sb, person)
  const link = await app.openAction('Security', 'Link another sign-in method')
  await expect(link.getByLabel('Service')).toHaveValue('keycloak')
  await link.getByRole('button', { name: 'Link in the browser' }).click()
  await expect(app.actionOutcome).toContainText('Sign in with Keycloak in the browser that opened')
  await signInAtProvider(await latchkey.nextBrowserPage(), other ?? { id: '', password: '' })
  const finish = await app.openAction('Security', 'Finish linking Keycloak')
  await finish.getByRole('button', { name: 'Finish linking' }).click()
  await expect(app.actionOutcome).toHaveText('Keycloak sign-in is linked: you can sign in with it too.')
  const linked = await app.openAction('Security', 'Linked sign-in methods')
  const method = linked.getByLabel('Sign-in method')
  await expect(method.getByRole('option')).toHaveText([`Email (${person.email})`, `Keycloak (${other?.email ?? ''})`])
  await method.selectOption({ label: `Keycloak (${other?.email ?? ''})` })
  await linked.getByRole('button', { name: 'Unlink this method' }).click()
  await expect(app.actionOutcome).toHaveText('keycloak sign-in was unlinked.')
})

test('resets a forgotten password with the emailed link opened in the system browser, then the new password form', async ({ latchkey, sb }) => {
  const { app } = latchkey
  const person = await sb.person()
  const reset = await askByEmail(latchkey, sb, person.email, 'Forgot your password?', 'reset-confirm', `If ${person.email} has an account`)
  await openEmailedLink(latchkey, sb, person.email)
  await reset.getByLabel('New password', { exact: true }).fill(CHOSEN_PASSWORDS.supabaseReset)
  await reset.getByLabel('Repeat the new password').fill(CHOSEN_PASSWORDS.supabaseReset)
  await reset.getByRole('button', { name: 'I opened the link' }).click()
  await expect(app.account(pocketBaseLabel(person.email))).toHaveAttribute('data-status', 'signed-in')
  expect(await sb.signInElsewhere(person.email, CHOSEN_PASSWORDS.supabaseReset)).toMatchObject({ refreshToken: expect.stringMatching(/\S{8,}/) })
})

test('refuses a service_role key pasted by mistake, saying why, and keeps what was typed', async ({ latchkey, sb }) => {
  const { app } = latchkey
  await app.addAccount(/^Supabase/)
  await app.page.getByLabel('Project URL').fill(sb.url)
  const key = app.page.getByLabel('Anon or publishable key')
  await key.fill(sb.serviceRoleKey)
  await app.page.getByRole('button', { name: 'Continue', exact: true }).click()
  await expect(app.page.getByText('never be put in a desktop app')).toBeVisible()
  await expect(key).toHaveAttribute('aria-invalid', 'true')
  await expect(app.page.getByLabel('Project URL')).toHaveValue(sb.url)
  await key.fill(sb.anonKey)
  await app.page.getByRole('button', { name: 'Continue', exact: true }).click()
  await expect(app.signInStep('sign-in')).toBeVisible()
})
