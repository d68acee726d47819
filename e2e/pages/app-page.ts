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

  async startOidcSignIn(options: { issuer: string; clientId: string; label?: string }): Promise<void> {
    await this.page.getByRole('button', { name: 'Add account' }).first().click()
    await this.page.getByLabel('Issuer URL').fill(options.issuer)
    await this.page.getByLabel('Client ID').fill(options.clientId)
    if (options.label) await this.page.getByLabel('Account name').fill(options.label)
    await this.page.getByRole('button', { name: 'Sign in with browser' }).click()
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
  const done = browserPage.getByText('You can close this tab')
  await expect(allow.or(done)).toBeVisible()
  if (await allow.isVisible()) await allow.click()
  await expect(done).toBeVisible()
}
