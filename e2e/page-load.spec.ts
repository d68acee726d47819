/**
 * What a load of the page leaves behind in the browser: nothing in the console (no error, no
 * warning) and no request that failed, on a tab's first load of a launch (the app draws the list)
 * and in a second tab (the shell draws it into the page); and the tab shows Latchkey's own icon.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from './support/fixtures.ts'
import { numberedAccounts } from './support/numbered-accounts.ts'
import { watchTrouble } from './support/page-trouble.ts'
import { withSeededShell } from './support/seeded-shell.ts'

test('a first load and a second tab leave the console clean and fail no request, and the tab shows Latchkey’s icon', async ({ page, keyringEnv }) => {
  await withSeededShell(keyringEnv, (now) => numberedAccounts(3, now), async (shell) => {
    const trouble: string[] = []
    watchTrouble(page, trouble)
    await page.goto(shell.url)
    await expect(page.locator('[data-app-state="ready"] [role="option"]')).toHaveCount(3)
    await page.waitForLoadState('load')
    // A second tab carries this launch's frame cookie: the list comes drawn into the page.
    const second = await page.context().newPage()
    watchTrouble(second, trouble)
    await second.goto(shell.url)
    await expect(second.locator('[data-app-state="ready"] [role="option"]')).toHaveCount(3)
    await second.waitForLoadState('load')
    expect(await second.evaluate("document.getElementById('latchkey-first-answers') !== null")).toBe(true)
    // The same icon the packages carry, in the page itself: the browser asks for no /favicon.ico.
    const icon = await page.locator('link[rel="icon"]').getAttribute('href')
    expect(icon).toMatch(/^data:image\/svg\+xml;base64,/)
    expect(Buffer.from((icon ?? '').replace(/^data:image\/svg\+xml;base64,/, ''), 'base64').toString('utf8')).toBe(readFileSync(join(import.meta.dirname, '..', 'build', 'icon.svg'), 'utf8'))
    // Read after the checks above: what each parse and the app's start logged has arrived by then.
    expect(trouble).toEqual([])
  })
})
