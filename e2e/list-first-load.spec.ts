/**
 * The first load of the account list in the browser shell: the first page of accounts is in the
 * page as served (drawn by the shell) or, when the shell has not read the accounts yet, asked for
 * while the page is still being parsed (the bridge is written into the page), and the page holds
 * the app's script and styles, so no second file is waited for (a worker that loads the locale's
 * date data is asked for, and not waited for); the page's inline parts run under
 * its policy (no violation) and nothing else inline does;
 * and the moment the list is ready it works by keyboard, and stays put: no loading screen after
 * it, no row drawn and then replaced, no focus lost to what the app does after.
 */
import { expect, test } from './support/fixtures.ts'
import { numberedAccounts } from './support/numbered-accounts.ts'
import { withSeededShell as withSeededFolderShell } from './support/seeded-shell.ts'
import type { ShellProcess } from './support/shell-process.ts'

const COUNT = 300

/** Runs `use` with a browser shell over COUNT accounts, stopped and its folder removed after. */
function withSeededShell(keyringEnv: Record<string, string>, use: (shell: ShellProcess) => Promise<void>): Promise<void> {
  return withSeededFolderShell(keyringEnv, (now) => numberedAccounts(COUNT, now), use)
}

/** In the page from its first byte: policy violations, and what the list did from the moment it was ready. */
const WATCH = `(() => {
  const seen = { violations: [], loadingAfterReady: false, readyAt: null, firstRow: null, rowsGoneAfterReady: false }
  window.__firstLoad = seen
  document.addEventListener('securitypolicyviolation', (event) => seen.violations.push(event.violatedDirective + ' ' + event.blockedURI))
  new MutationObserver(() => {
    const row = document.querySelector('[data-app-state="ready"] [role="option"], [data-app-state="drawn"] [role="option"]')
    if (row && seen.firstRow === null) {
      seen.firstRow = row
      seen.readyAt = performance.now()
    }
    if (seen.firstRow !== null && !row) seen.rowsGoneAfterReady = true
    if (seen.firstRow !== null && document.querySelector('.loading[role="status"]')) seen.loadingAfterReady = true
  }).observe(document, { childList: true, subtree: true, attributes: true })
})()`

test('the first page of accounts is in the page or asked for while the page is parsed, and the list needs no second file, under the page’s policy', async ({ page, keyringEnv }) => {
  await withSeededShell(keyringEnv, async (shell) => {
    const files: string[] = []
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname
      if (!path.startsWith('/__latchkey/')) files.push(path)
    })
    // Any script file the page asks for fails to load.
    await page.route('**/*.js', (route) => route.abort())
    await page.addInitScript(WATCH)
    await page.goto(shell.url)
    // Drawn by the shell (no script ran here), or drawn by the app from the answers it asked for.
    await expect(page.locator('[data-app-state="ready"] [role="option"], [data-app-state="drawn"] [role="option"]').first()).toContainText('Account 0')
    // The page itself was all it took: no script or stylesheet file before the list was drawn, only
    // the worker that loads the locale's date data on a thread of its own, which nothing waits for.
    // Once the accounts are read, the shell draws the list into the page it serves, with those
    // answers, and the app's script comes as a file of its own after it (first-frame.spec.ts).
    const cameWithPage = await page.evaluate<boolean>(`document.getElementById('latchkey-first-answers') !== null`)
    const appFile = /^\/assets\/app-[\w-]{8,}\.js$/
    expect(files.filter((path) => !/^\/assets\/local-time-warmup-[\w-]{8,}\.js$/.test(path) && !(cameWithPage && appFile.test(path)))).toEqual(['/'])
    // Asked for by the bridge while the page was parsed (before the parse ended, when the app's own code starts),
    // with the app's state and the backends in one request, and only once before the list was drawn. (Once drawn, the keychain is read and the sessions open, which
    // changes the list: the pages are asked for again then, sooner or later depending on the machine.)
    const timing = await page.evaluate<{ asked: number[]; parsed: number; drawn: number }>(
      `({ asked: performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/__latchkey/calls') || e.name.includes('/invoke/accounts%3Alist')).map((e) => e.startTime), parsed: performance.getEntriesByType('navigation')[0].domInteractive, drawn: window.__firstLoad.readyAt })`,
    )
    // A drawn list asked for nothing before it was drawn.
    expect(timing.asked.filter((startTime) => startTime < timing.drawn)).toHaveLength(cameWithPage ? 0 : 1)
    if (!cameWithPage) expect(timing.asked[0]).toBeLessThan(timing.parsed)
    // The bridge, the app and the styles written into the page ran under its policy; nothing was refused.
    expect(await page.evaluate('window.__firstLoad.violations')).toEqual([])
    await expect(page.locator('html')).not.toHaveCSS('background-color', 'rgba(0, 0, 0, 0)')
    await expect(page.locator('body')).toHaveCSS('margin', '0px')
  })
})

test('an inline script the page was not built with is refused by the page’s policy', async ({ page, keyringEnv }) => {
  await withSeededShell(keyringEnv, async (shell) => {
    await page.addInitScript(WATCH)
    await page.goto(shell.url)
    await expect(page.locator('[data-app-state="ready"]')).toBeVisible()
    // As if some markup got into the page: an inline script and an inline style, both refused.
    await page.evaluate(() => {
      const script = document.createElement('script')
      script.textContent = 'window.__injected = true'
      document.head.append(script)
      const style = document.createElement('style')
      style.textContent = 'body { margin: 33px }'
      document.head.append(style)
    })
    expect(await page.evaluate('window.__injected === true')).toBe(false)
    await expect(page.locator('body')).toHaveCSS('margin', '0px')
    // (Each of the page's two copies of the policy, header and meta element, may report it.)
    await expect.poll(() => page.evaluate<string[]>('window.__firstLoad.violations.map((v) => v.split("-src")[0]).sort().filter((v, i, all) => v !== all[i - 1])')).toEqual(['script', 'style'])
  })
})

test('the list works by keyboard the moment it is ready, and stays put: no loading screen after it, no row redrawn, no focus lost', async ({ page, keyringEnv }) => {
  await withSeededShell(keyringEnv, async (shell) => {
    await page.addInitScript(WATCH)
    // The worker that loads the date data is found where the page looks for it.
    const warmup = page.waitForResponse((response) => /\/assets\/local-time-warmup-[\w-]{8,}\.js$/.test(response.url()))
    await page.goto(shell.url)
    await page.waitForSelector('[data-app-state="ready"] [role="option"]')
    expect((await warmup).status()).toBe(200)
    // At once, by keyboard: Ctrl+K lands on the first account, ↓ moves, Enter switches.
    await page.keyboard.press('Control+k')
    const focused = page.locator('[role="option"]:focus')
    await expect(focused).toHaveAttribute('aria-posinset', '1')
    await page.keyboard.press('ArrowDown')
    await expect(focused).toHaveAttribute('aria-posinset', '2')
    await expect(focused).toContainText('Account 1')
    const row = await focused.elementHandle()
    await page.keyboard.press('Enter')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Account 1')
    // Whatever the app does after it is ready (the rest of the list drawn, the keychain read, the
    // account's details loaded: where its session is stored is shown last) leaves the focused row
    // where it is, focused.
    await expect(page.getByText('Stored in the system keychain')).toBeVisible()
    expect(await page.evaluate((node) => node === document.activeElement, row)).toBe(true)
    const seen = await page.evaluate<{ loadingAfterReady: boolean; rowsGoneAfterReady: boolean; firstRowKept: boolean }>(
      `({ ...window.__firstLoad, firstRowKept: window.__firstLoad.firstRow === document.querySelector('[role="option"][data-index="0"]') })`,
    )
    expect(seen.loadingAfterReady, 'a loading screen after the list was shown').toBe(false)
    expect(seen.rowsGoneAfterReady, 'the rows went away after the list was ready').toBe(false)
    expect(seen.firstRowKept, 'the first row drawn is the one still shown').toBe(true)
  })
})
