/**
 * Every screen, in light and dark mode, passes axe with no violation: welcome, Add account with each
 * backend's form, waiting for the browser, sign-in form steps (with an error), the account with its
 * actions open, the confirmations, needs attention, the memory-only banner and the switcher's filter.
 */
import { expectContrastChecked, expectNoAxeViolations } from './support/axe.ts'
import { expect, test } from './support/fixtures.ts'
import { ada, addPocketBaseAccount, grace, pocketBaseLabel, root } from './support/flows.ts'
import { CHOSEN_PASSWORDS } from './support/passwords.ts'

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`in ${colorScheme} mode`, () => {
    test.use({ colorScheme })
    // Each test walks through many screens and runs axe on every one.
    test.slow()

    test('welcome, Add account for each backend, waiting for the browser', async ({ latchkey, idp }) => {
      const { app } = latchkey
      await expect(app.page.getByRole('heading', { name: 'Welcome to Latchkey' })).toBeVisible()
      await expectNoAxeViolations(app.page, 'welcome')

      await app.addAccount(/^OpenID Connect/)
      await expect(app.page.getByLabel('Issuer URL')).toBeVisible()
      // Every backend this build offers, each with its own form.
      const backends = app.page.getByRole('radio')
      const count = await backends.count()
      expect(count).toBeGreaterThanOrEqual(2)
      for (let index = 0; index < count; index += 1) {
        const backend = backends.nth(index)
        await backend.check()
        await expect(app.page.getByLabel('Account name')).toBeVisible()
        await expectNoAxeViolations(app.page, `add account: ${(await backend.getAttribute('value')) ?? String(index)}`)
      }

      await app.startOidcSignIn({ issuer: idp.issuer, clientId: idp.clientId })
      await expect(app.page.getByRole('heading', { name: /Waiting for you to finish signing in/ })).toBeVisible()
      await expectNoAxeViolations(app.page, 'waiting for the browser')
      await app.page.getByRole('button', { name: 'Cancel' }).click()
      await expect(app.page.getByRole('status').filter({ hasText: 'Sign-in cancelled' })).toBeVisible()
      await expectNoAxeViolations(app.page, 'sign-in cancelled')
    })

    test('sign-in form steps, an error, the account with its actions open, and the confirmations', async ({ latchkey, pb }) => {
      const { app } = latchkey
      await app.startPocketBaseSignIn({ url: pb.url })
      const form = app.signInStep('password')
      await expect(form.getByLabel('Email', { exact: true })).toBeFocused()
      await expectNoAxeViolations(app.page, 'form step: password')

      await form.getByLabel('Email', { exact: true }).fill(grace.email)
      await form.getByLabel('Password', { exact: true }).fill(CHOSEN_PASSWORDS.wrong)
      await form.getByRole('button', { name: 'Sign in', exact: true }).click()
      await expect(form.getByRole('alert')).toBeVisible()
      await expectNoAxeViolations(app.page, 'form step: wrong password')

      await form.getByLabel('Password', { exact: true }).fill(grace.password)
      await form.getByRole('button', { name: 'Sign in', exact: true }).click()
      await expect(app.signInStep('mfa')).toBeVisible()
      await expectNoAxeViolations(app.page, 'form step: second step')
      await app.page.getByRole('button', { name: 'Cancel' }).click()
      await expect(app.page.getByRole('status').filter({ hasText: 'Sign-in cancelled' })).toBeVisible()

      await addPocketBaseAccount(latchkey, pb, ada)
      // The row is signed in a moment before the detail has loaded (until then it says "Loading account…").
      await expect(app.detail.getByRole('heading', { level: 1 })).toBeVisible()
      await expectNoAxeViolations(app.page, 'account detail')
      await app.openAction('Profile', 'Edit profile')
      await app.openAction('Security', 'Change password')
      await expectNoAxeViolations(app.page, 'account detail with actions open')

      await app.detail.getByRole('button', { name: 'Remove', exact: true }).click()
      await expect(app.detail.getByRole('button', { name: 'Remove account' })).toBeFocused()
      await expectNoAxeViolations(app.page, 'remove confirmation')
      await app.detail.getByRole('button', { name: 'Keep it' }).click()

      await app.detail.getByRole('button', { name: 'Sign out' }).click()
      await expect(app.page.getByTestId('sign-out-confirm')).toBeVisible()
      await expectNoAxeViolations(app.page, 'sign-out confirmation')
      await app.page.getByRole('button', { name: 'Sign out on this device' }).click()
      await expect(app.page.getByTestId('sign-out-outcome')).toBeVisible()
      await expectNoAxeViolations(app.page, 'signed out')
    })

    test('needs attention, two accounts, the switcher filtered and grouped', async ({ latchkey, pb }) => {
      const { app } = latchkey
      await addPocketBaseAccount(latchkey, pb, ada, { label: 'Ada' })
      pb.setPassword('users', ada.email, CHOSEN_PASSWORDS.changedElsewhere)
      await app.detail.getByRole('button', { name: 'Refresh now' }).click()
      await expect(app.page.getByTestId('attention-banner')).toBeVisible()
      await expectNoAxeViolations(app.page, 'needs attention')

      await app.startPocketBaseSignIn({ url: pb.url, collection: '_superusers' })
      const form = app.signInStep('password')
      await form.getByLabel('Email', { exact: true }).fill(root.email)
      await form.getByLabel('Password', { exact: true }).fill(root.password)
      await form.getByRole('button', { name: 'Sign in', exact: true }).click()
      await expect(app.account(pocketBaseLabel(root.email))).toHaveAttribute('data-status', 'signed-in')
      await expect(app.detail.getByRole('heading', { level: 1, name: pocketBaseLabel(root.email) })).toBeVisible()
      await expectNoAxeViolations(app.page, 'two accounts')

      // The filter's hint reads whole at the sidebar's width, not cut off mid-word.
      const hint = await app.page.getByLabel('Filter accounts').evaluate((input: HTMLInputElement) => {
        const style = getComputedStyle(input)
        const context = document.createElement('canvas').getContext('2d')
        if (!context) throw new Error('no canvas to measure the hint with')
        context.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`
        return { text: input.placeholder, width: context.measureText(input.placeholder).width, room: input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) }
      })
      expect(hint.text).not.toBe('')
      expect(hint.width, `"${hint.text}" in ${hint.room.toFixed(0)} px`).toBeLessThanOrEqual(hint.room)

      await app.page.getByLabel('Group by backend').check()
      await expect(app.switcher.getByRole('group')).toHaveCount(2)
      await app.page.getByLabel('Filter accounts').fill('ada')
      await expect(app.switcher.getByRole('option')).toHaveCount(1)
      await expectNoAxeViolations(app.page, 'switcher filtered and grouped')
    })
  })

  test.describe(`without a keychain, in ${colorScheme} mode`, () => {
    test.use({ colorScheme, keychain: 'missing' })

    test('the memory-only banner, on the welcome screen and with an account', async ({ latchkey, pb }) => {
      const { app } = latchkey
      await expect(app.page.getByTestId('storage-banner')).toBeVisible()
      await expectNoAxeViolations(app.page, 'memory-only banner: welcome')
      await addPocketBaseAccount(latchkey, pb, ada)
      await expect(app.detail.getByTestId('storage')).toContainText('Memory only')
      await expectNoAxeViolations(app.page, 'memory-only banner: account')
    })
  })

  test.describe(`the selected row, in ${colorScheme} mode`, () => {
    test.use({ colorScheme })

    test('its "Signed in" badge has enough contrast, and Ctrl+K shows where focus is', async ({ latchkey, pb }) => {
      const { app } = latchkey
      const account = await addPocketBaseAccount(latchkey, pb, ada)
      await expectContrastChecked(app.page, '[role="option"][aria-selected="true"] [data-testid="status-badge"]')

      // A mouse click first, so the browser itself would draw no focus ring after the shortcut.
      await app.detail.getByRole('heading', { level: 1 }).click()
      await app.page.keyboard.press('Control+k')
      await expect(account).toBeFocused()
      const outline = await account.evaluate((element) => {
        const style = getComputedStyle(element)
        return { style: style.outlineStyle, width: style.outlineWidth, offset: style.outlineOffset }
      })
      expect(outline).toEqual({ style: 'solid', width: '2px', offset: '-2px' })
    })
  })
}
