/**
 * The account list's first frame, drawn by the shell: the page as served already holds the first
 * page of accounts (before any script runs), with the answers it was drawn with as data the page's
 * policy never runs and no label can break out of, and no token; the app then takes that frame
 * over (hydrates it) without redrawing it or a warning, and works by keyboard at once; a window
 * that groups its list by backend, which the shell cannot know, gets it grouped right after.
 */
import { testSession, type Seed } from '../src/dev/seeded-folder.ts'
import type { BrowserContext } from '@playwright/test'
import { expect, test } from './support/fixtures.ts'
import { numberedAccounts } from './support/numbered-accounts.ts'
import { watchTrouble } from './support/page-trouble.ts'
import { withSeededShell as withSeededFolderShell } from './support/seeded-shell.ts'
import type { ShellProcess } from './support/shell-process.ts'

const COUNT = 40
const NASTY = '</script><img src=x onerror=alert(1)>'
const ACCESS_TOKEN = 'at-first-frame-never-in-the-page'
const REFRESH_TOKEN = 'rt-first-frame-never-in-the-page'

function seeds(now: number): Seed[] {
  return numberedAccounts(COUNT, now).map((seed, index) =>
    index === 2
      ? { ...seed, label: NASTY, secrets: { session: testSession(now, { accessToken: ACCESS_TOKEN, refreshToken: REFRESH_TOKEN }) } }
      : seed,
  )
}

/** Runs `use` with a browser shell over these accounts. */
function withSeededShell(keyringEnv: Record<string, string>, use: (shell: ShellProcess) => Promise<void>): Promise<void> {
  return withSeededFolderShell(keyringEnv, seeds, use)
}

/**
 * The frame cookie a call made with this launch's key brings back (see request-guard.ts): the list
 * is drawn into the page only for a browser that has it, never for a local process without the key.
 */
async function frameCookie(shell: ShellProcess): Promise<{ name: string; value: string }> {
  const key = new URL(shell.url).hash.replace(/^#key=/, '')
  const response = await fetch(`${shell.origin}/__latchkey/painted`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-latchkey-key': key }, body: '{}' })
  const [pair = ''] = (response.headers.get('set-cookie') ?? '').split(';')
  const at = pair.indexOf('=')
  if (at < 0) throw new Error('a call with the key brought no frame cookie')
  return { name: pair.slice(0, at), value: pair.slice(at + 1) }
}

/** The page as the shell serves it to a browser with the frame cookie, once the accounts are read (a page asked for before has no frame). */
async function servedPage(shell: ShellProcess): Promise<{ html: string; headers: Headers; cookie: { name: string; value: string } }> {
  const cookie = await frameCookie(shell)
  let last = ''
  for (let attempt = 0; attempt < 100; attempt++) {
    const response = await fetch(`${shell.origin}/`, { headers: { cookie: `${cookie.name}=${cookie.value}` } })
    last = await response.text()
    if (last.includes('id="latchkey-first-answers"')) return { html: last, headers: response.headers, cookie }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`the shell never served a drawn list:\n${last.slice(0, 500)}`)
}

/** The browser's pages in `context` get the drawn list, as a tab that has used this launch does. */
async function drawnFor(context: BrowserContext, shell: ShellProcess): Promise<void> {
  const { cookie } = await servedPage(shell)
  await context.addCookies([{ ...cookie, url: shell.origin }])
}

/** In the page from its first byte: policy violations, console warnings, and the first row drawn. */
const WATCH = `(() => {
  const seen = { violations: [], firstRow: null }
  window.__frame = seen
  document.addEventListener('securitypolicyviolation', (event) => seen.violations.push(event.violatedDirective + ' ' + event.blockedURI))
  new MutationObserver(() => {
    if (seen.firstRow === null) seen.firstRow = document.querySelector('[data-app-state] [role="option"][data-index="0"]')
  }).observe(document, { childList: true, subtree: true })
})()`

test('the page as served holds the first page of accounts, the active one marked, its answers as escaped data and no token', async ({ keyringEnv }) => {
  await withSeededShell(keyringEnv, async (shell) => {
    // Another local process, without the key, gets the page with no account in it.
    const stranger = await (await fetch(`${shell.origin}/`)).text()
    expect(stranger).not.toContain('id="latchkey-first-answers"')
    expect(stranger).not.toContain('Account 0')
    const { html, headers } = await servedPage(shell)
    expect(headers.get('cache-control')).toBe('no-store')
    const app = html.slice(html.indexOf('<div id="app">'))
    // The rows of the first screenful, from the top, the active account (the first) marked.
    expect(app).toMatch(/<div role="option"[^>]*aria-selected="true"[^>]*data-account-id="account-0000"/)
    expect(app).toContain('Account 0')
    expect(app).toContain('Account 9')
    // Drawn, not ready: nothing works before the app's script has taken the list over.
    expect(app).toContain('data-app-state="drawn"')
    // The label that tries to end the data block and run a script is text, in the rows and in the data.
    expect(html).not.toContain('<img src=x')
    expect(app).toContain('&lt;/script>&lt;img src=x onerror=alert(1)>')
    const data = /<script type="application\/json" id="latchkey-first-answers">([^<]*)<\/script>/.exec(html)?.[1] ?? ''
    expect(data).toContain('\\u003c/script>\\u003cimg src=x onerror=alert(1)>')
    expect((JSON.parse(data) as { page: { value: { accounts: { label: string }[] } } }).page.value.accounts[2]?.label).toBe(NASTY)
    // Tokens stay in the main process.
    expect(html).not.toContain(ACCESS_TOKEN)
    expect(html).not.toContain(REFRESH_TOKEN)
  })
})

test('without any script, the drawn list is painted in place under the page’s policy', async ({ browser, keyringEnv }) => {
  await withSeededShell(keyringEnv, async (shell) => {
    const context = await browser.newContext({ javaScriptEnabled: false })
    await drawnFor(context, shell)
    try {
      const page = await context.newPage()
      await page.goto(shell.url)
      // Never "ready" without the app's script: the shells, the tests and the bench wait for the app itself.
      await expect(page.locator('[data-app-state="drawn"]')).toBeVisible()
      const rows = page.locator('[data-app-state="drawn"] [role="option"]')
      await expect(rows.first()).toContainText('Account 0')
      await expect(rows.nth(2)).toContainText(NASTY)
      // Each row where the app puts it (a style attribute each, allowed by its hash), not all at the top.
      const [first, second] = await Promise.all([rows.nth(0).boundingBox(), rows.nth(1).boundingBox()])
      expect((second?.y ?? 0) - (first?.y ?? 0)).toBeGreaterThanOrEqual(80)
      expect(await page.locator('img').count()).toBe(0)
    } finally {
      await context.close()
    }
  })
})

test('the app takes the drawn list over as it is: no hydration warning, no row redrawn, the keyboard works at once', async ({ page, keyringEnv }) => {
  await withSeededShell(keyringEnv, async (shell) => {
    await drawnFor(page.context(), shell)
    const warnings: string[] = []
    watchTrouble(page, warnings)
    const calls: string[] = []
    page.on('request', (request) => {
      if (request.url().endsWith('/__latchkey/calls')) calls.push(request.url())
    })
    await page.addInitScript(WATCH)
    await page.goto(shell.url)
    await page.waitForSelector('[data-app-state="ready"] [role="option"]')
    await page.waitForLoadState('load')
    await page.keyboard.press('Control+k')
    const focused = page.locator('[role="option"]:focus')
    await expect(focused).toHaveAttribute('aria-posinset', '1')
    await page.keyboard.press('ArrowDown')
    await expect(focused).toContainText('Account 1')
    await page.keyboard.press('Enter')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Account 1')
    await expect(page.locator('[role="option"][data-account-id="account-0001"]')).toHaveAttribute('aria-selected', 'true')
    // The row the shell drew is the row the app works with: taken over, not thrown away and redrawn.
    expect(await page.evaluate(`window.__frame.firstRow === document.querySelector('[role="option"][data-index="0"]')`)).toBe(true)
    expect(await page.evaluate('window.__frame.violations')).toEqual([])
    // Its first answers came with the page: not asked for again.
    expect(calls).toEqual([])
    // (Svelte's warnings, a hydration mismatch among them, name svelte.dev/e/….)
    expect(warnings.filter((text) => /hydrat|svelte\.dev\/e\//i.test(text))).toEqual([])
  })
})

test('a window that groups its list by backend gets it grouped once the drawn list is painted', async ({ page, keyringEnv }) => {
  await withSeededShell(keyringEnv, async (shell) => {
    await drawnFor(page.context(), shell)
    await page.goto(shell.url)
    const heading = page.locator('[role="group"][aria-label="id.example.test"] .heading')
    await page.getByLabel('Group by backend').check()
    await expect(heading).toContainText(`id.example.test ${String(COUNT)}`)
    await page.reload()
    await expect(heading).toContainText(`id.example.test ${String(COUNT)}`)
    await expect(page.getByLabel('Group by backend')).toBeChecked()
    await page.keyboard.press('Control+k')
    await expect(page.locator('[role="option"]:focus')).toContainText('Account 0')
  })
})
