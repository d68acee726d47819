/** What a signed-in PocketBase account offers beyond sign-in: password and email changes, impersonation. */
import { expect, test } from './support/fixtures.ts'
import { acceptedRenewals, ada, addPocketBaseAccount, pocketBaseLabel, root } from './support/flows.ts'
import { CHOSEN_PASSWORDS } from './support/passwords.ts'
import { shot } from './support/screenshot.ts'

/** Signs in at the emulator directly, the way another device would; returns the HTTP status. */
async function passwordSignInStatus(url: string, email: string, password: string): Promise<number> {
  const response = await fetch(`${url}/api/collections/users/auth-with-password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identity: email, password }),
  })
  return response.status
}

test('changing the password keeps the account signed in here', async ({ latchkey, pb }) => {
  const { app } = latchkey
  const account = await addPocketBaseAccount(latchkey, pb, ada)
  const newPassword = CHOSEN_PASSWORDS.changedHere

  const form = await app.openAction('Security', 'Change password')
  await expect(form).toContainText('You stay signed in here; other devices are signed out.')
  await form.getByLabel('Current password').fill(ada.password)
  await form.getByLabel('New password', { exact: true }).fill(newPassword)
  await form.getByLabel('Repeat the new password').fill(newPassword)
  await form.getByRole('button', { name: 'Change password' }).click()

  await expect(app.actionOutcome).toHaveText('Password changed. You are still signed in.')
  await expect(account).toHaveAttribute('data-status', 'signed-in')
  await expect(form.getByLabel('Current password')).toHaveValue('')
  await expect(form.getByLabel('New password', { exact: true })).toHaveValue('')

  // The session Latchkey holds now is a new one the server accepts.
  const before = acceptedRenewals(pb)
  await app.detail.getByRole('button', { name: 'Refresh now' }).click()
  await expect.poll(() => acceptedRenewals(pb)).toBe(before + 1)
  await expect(account).toHaveAttribute('data-status', 'signed-in')
  await expect(app.detail.getByRole('alert')).toHaveCount(0)

  expect(await passwordSignInStatus(pb.url, ada.email, ada.password)).toBe(400)
  expect(await passwordSignInStatus(pb.url, ada.email, newPassword)).toBe(200)
})

test('changes the email address after confirming it with the emailed token and the password', async ({ latchkey, pb }) => {
  const { app } = latchkey
  const account = await addPocketBaseAccount(latchkey, pb, ada)
  const newEmail = 'countess@example.test'

  const request = await app.openAction('Security', 'Change email address')
  await request.getByLabel('New email address').fill(newEmail)
  await request.getByRole('button', { name: 'Send a confirmation link' }).click()
  await expect(app.actionOutcome).toContainText(`A confirmation link is on its way to ${newEmail}.`)
  const token = pb.outbox.last(newEmail, 'email-change')?.token
  expect(token).toBeTruthy()

  const confirm = await app.openAction('Security', 'Finish the email change')
  await confirm.getByLabel('Token from the confirmation email').fill(token ?? '')
  await confirm.getByLabel('Current password').fill(ada.password)
  await confirm.getByRole('button', { name: 'Change email' }).click()

  await expect(app.actionOutcome).toHaveText(`Email changed to ${newEmail}; signed in again.`)
  await expect(account).toHaveAttribute('data-status', 'signed-in')
  await expect(app.detail.getByTestId('profile')).toContainText(newEmail)
  await expect(account).toContainText(newEmail)
  expect(pb.user('users', newEmail)).toBeDefined()
  expect(pb.user('users', ada.email)).toBeUndefined()
})

test('a superuser impersonates a user, which adds that user as an account of its own', async ({ latchkey, pb }) => {
  const { app } = latchkey
  const superuser = await addPocketBaseAccount(latchkey, pb, root, { collection: '_superusers' })
  await expect(app.detail.getByTestId('backend')).toHaveText(`${new URL(pb.url).host} (superusers)`)
  const adaId = String(pb.user('users', ada.email)?.id)

  const form = await app.openAction('Administration', 'Impersonate a user')
  await form.getByLabel('User', { exact: true }).selectOption({ label: `${ada.email} (${adaId})` })
  await form.getByLabel('Duration (seconds)').fill('600')
  await form.getByRole('button', { name: 'Impersonate' }).click()

  const label = `${ada.email} (impersonated by ${root.email})`
  await expect(app.actionOutcome).toContainText(`Added ${ada.email}, impersonated for 600 seconds.`)
  await expect(app.actionOutcome).toContainText(`Added ${label}`)
  await expect(app.switcher.getByRole('option')).toHaveCount(2)
  await expect(superuser).toHaveAttribute('aria-selected', 'true')
  const impersonated = app.account(label)
  await expect(impersonated).toHaveAttribute('data-status', 'signed-in')
  await expect(impersonated).toContainText(/expires in (9|10) min/)

  await app.actionOutcome.getByRole('button', { name: 'Open' }).click()
  await expect(impersonated).toHaveAttribute('aria-selected', 'true')
  await expect(app.detail.getByRole('heading', { level: 1 })).toHaveText(label)
  await expect(app.detail.getByText('Ada Lovelace').first()).toBeVisible()
  // An impersonation token is never renewed; it can only be checked until it ends.
  await expect(app.detail.getByRole('button', { name: 'Check session' })).toBeVisible()
  await expect(app.detail.getByRole('button', { name: 'Refresh now' })).toHaveCount(0)
  await expect(app.detail.getByTestId('expiry-countdown').first()).toHaveText(/^expires in (9|10) min \d+ s$/)
  await shot(app.page, 'pocketbase-impersonation')
  await expect(app.account(pocketBaseLabel(root.email))).toHaveAttribute('data-status', 'signed-in')
})

/** A 1×1 PNG. */
const PIXEL = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')

test('edits the profile and uploads an avatar, refusing a file that is too large before sending it', async ({ latchkey, pb }) => {
  const { app } = latchkey
  await addPocketBaseAccount(latchkey, pb, ada)
  // The record's bool fields read Yes or No, its dates as the person's own date and time; the id as it is.
  const profile = app.detail.getByTestId('profile')
  const signedUp = pb.user('users', ada.email)
  await expect(profile.locator('dd[data-key="verified"]')).toHaveText('Yes')
  await expect(profile.locator('dd[data-key="emailVisibility"]')).toHaveText('No')
  await expect(profile.locator('dd[data-key="id"]')).toHaveText(String(signedUp?.id))
  const created = String(signedUp?.created).replace(' ', 'T')
  await expect(profile.locator('dd[data-key="created"] time')).toHaveAttribute('datetime', created)
  await expect(profile.locator('dd[data-key="created"]')).toHaveText(await app.page.evaluate((iso) => new Date(iso).toLocaleString(), created))
  const form = await app.openAction('Profile', 'Edit profile')
  await expect(form.getByLabel('Name', { exact: true })).toHaveValue('Ada Lovelace')

  const patches = (): number => pb.requests().filter((r) => r.method === 'PATCH').length
  const avatar = form.getByLabel('Avatar')
  await avatar.setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: Buffer.alloc(6 * 1024 * 1024) })
  await expect(avatar).toHaveAttribute('aria-invalid', 'true')
  await expect(avatar).toHaveAccessibleDescription('That file is 6 MB; the limit is 5 MB.')
  await avatar.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') })
  await expect(avatar).toHaveAttribute('aria-invalid', 'true')
  await expect(avatar).toHaveAccessibleDescription('That file is not a picture (text/plain); choose a PNG, JPEG, GIF or WEBP image.')
  expect(patches()).toBe(0)

  await form.getByLabel('Name', { exact: true }).fill('Augusta Ada King')
  await avatar.setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: PIXEL })
  await expect(avatar).not.toHaveAttribute('aria-invalid', 'true')
  await expect(form.getByRole('img', { name: 'Avatar preview' })).toBeVisible()
  await shot(app.page, 'pocketbase-account')
  await form.getByRole('button', { name: 'Save profile' }).click()

  await expect(app.actionOutcome).toHaveText('Profile saved.')
  expect(patches()).toBe(1)
  await expect(app.detail.getByText('Augusta Ada King').first()).toBeVisible()
  const record = pb.user('users', ada.email)
  expect(record).toMatchObject({ name: 'Augusta Ada King', avatar: expect.stringMatching(/\.png$/) })
  // The saved picture is what the form shows next time.
  const again = await app.openAction('Profile', 'Edit profile')
  await expect(again.getByRole('img', { name: 'Avatar preview' })).toBeVisible()
})
