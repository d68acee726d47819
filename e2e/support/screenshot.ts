/**
 * Screenshots for the README. The suite takes them on every run into test-results/screenshots;
 * `npm run screenshots` runs it with LATCHKEY_SCREENSHOTS=docs/screenshots to refresh the README's.
 */
import { join } from 'node:path'
import type { Page } from '@playwright/test'

export async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.LATCHKEY_SCREENSHOTS ?? join('test-results', 'screenshots')
  await page.screenshot({ path: join(dir, `${name}.png`) })
}
