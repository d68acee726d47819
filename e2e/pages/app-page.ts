/** What a person sees and does in Latchkey, as Playwright locators and actions. */
import { expect, type Locator, type Page } from '@playwright/test'

export class AppPage {
  readonly page: Page

  constructor(page: Page) {
    this.page = page
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url)
    await expect(this.page.locator('[data-app-state="ready"]')).toBeVisible()
  }

  get switcher(): Locator {
    return this.page.getByRole('listbox', { name: 'Accounts' })
  }

  account(label: string | RegExp): Locator {
    return this.switcher.getByRole('option', { name: label })
  }

  /** Add account → picks the backend by its title (the only one is already picked). */
  async addAccount(backend: RegExp): Promise<void> {
    await this.page.getByRole('button', { name: 'Add account' }).first().click()
    await this.page.getByRole('radio', { name: backend }).check()
  }

  async startOidcSignIn(options: { issuer: string; clientId: string; label?: string }): Promise<void> {
    await this.addAccount(/^OpenID Connect/)
    await this.page.getByLabel('Issuer URL').fill(options.issuer)
    await this.page.getByLabel('Client ID').fill(options.clientId)
    if (options.label) await this.page.getByLabel('Account name').fill(options.label)
    await this.page.getByRole('button', { name: 'Sign in with browser' }).click()
  }

  /** Add account → PocketBase / BosBase → server address (and collection) → Continue. */
  async startPocketBaseSignIn(options: { url: string; collection?: string; label?: string }): Promise<void> {
    await this.addAccount(/^PocketBase \/ BosBase/)
    await this.page.getByLabel('Server address').fill(options.url)
    if (options.collection) await this.page.getByLabel('Collection', { exact: true }).fill(options.collection)
    if (options.label) await this.page.getByLabel('Account name').fill(options.label)
    await this.page.getByRole('button', { name: 'Continue', exact: true }).click()
  }

  /** The form of the sign-in step on screen (`password`, `otp-code`, `mfa`, …), on "Add account" or in an account. */
  signInStep(formId: string): Locator {
    return this.page.getByTestId('auth-form-step').locator(`form[data-form-id="${formId}"]`)
  }

  /**
   * Opens one of the account's actions (a disclosure titled like its form, under the group's
   * heading: Profile, Security or Administration) and returns its form.
   */
  async openAction(group: 'Profile' | 'Security' | 'Administration', title: string): Promise<Locator> {
    const section = this.detail.getByRole('region', { name: group, exact: true })
    const toggle = section.getByRole('heading', { name: title, exact: true }).getByRole('button')
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click()
    await expect(toggle).toHaveAttribute('aria-expanded', 'true')
    const panel = this.page.locator(`[id="${(await toggle.getAttribute('aria-controls')) ?? ''}"]`)
    await expect(panel).toBeVisible()
    return panel.locator('form')
  }

  /** What the last account action said. */
  get actionOutcome(): Locator {
    return this.detail.getByTestId('action-outcome')
  }

  /** The details pane of the selected account. */
  get detail(): Locator {
    return this.page.getByRole('region', { name: 'Account details' })
  }

  alert(text: string | RegExp): Locator {
    return this.page.getByRole('alert').filter({ hasText: text })
  }
}

/** The identity provider's own pages, in "the system browser". */
export async function signInAtProvider(browserPage: Page, user: { id: string; password: string }): Promise<void> {
  await browserPage.locator('input[name=login]').fill(user.id)
  await browserPage.locator('input[name=password]').fill(user.password)
  await browserPage.getByRole('button', { name: 'Sign in' }).click()
  const allow = browserPage.getByRole('button', { name: 'Allow' })
  // Latchkey's own page ("… this tab"), or the backend's after it forwarded the answer itself (PocketBase: "… this window").
  const done = browserPage.getByText(/You can close this (tab|window)/)
  await expect(allow.or(done)).toBeVisible()
  if (await allow.isVisible()) await allow.click()
  await expect(done).toBeVisible()
}
