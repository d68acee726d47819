/** What a page says went wrong, as it happens: console errors and warnings, uncaught errors, failed requests and error answers. */
import type { Page } from '@playwright/test'

/** Adds to `trouble` everything `page` says went wrong from now on, one line each. */
export function watchTrouble(page: Page, trouble: string[]): void {
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') trouble.push(`console ${message.type()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => trouble.push(`uncaught: ${error.message}`))
  page.on('requestfailed', (request) => trouble.push(`failed: ${request.url().replace(/#.*/, '')} ${request.failure()?.errorText ?? ''}`))
  page.on('response', (response) => {
    if (response.status() >= 400) trouble.push(`${String(response.status())}: ${response.url().replace(/#.*/, '')}`)
  })
}
