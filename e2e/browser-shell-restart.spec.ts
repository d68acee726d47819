/** A tab left open while the browser shell restarts, and what a crashed run left in the data folder. */
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { join } from 'node:path'
import { expectNoAxeViolations } from './support/axe.ts'
import { shot } from './support/screenshot.ts'
import { expect, test } from './support/fixtures.ts'
import { addOidcAccount, alice } from './support/flows.ts'
import { EVENTS_RETRY_MS } from '../src/shared/web-shell.ts'

test('a tab left open across a restart says so, stops calling, and its Reload button brings a working app', async ({ latchkey, idp, relay }) => {
  const stale = latchkey.app.page
  await addOidcAccount(latchkey, idp, alice, 'Alice')
  const before = latchkey.shell.origin

  await latchkey.restart({ reload: false })
  // The shell comes back where the tab is, so the tab reaches the new launch instead of a dead port.
  expect(latchkey.shell.origin).toBe(before)

  const notice = stale.getByRole('dialog', { name: 'Latchkey was restarted — reload' })
  await expect(notice).toBeVisible()
  await expect(notice.getByRole('button', { name: 'Reload' })).toBeFocused()
  // Escape does not leave the stale page behind it usable-looking.
  await stale.keyboard.press('Escape')
  await expect(notice).toBeVisible()
  await expectNoAxeViolations(stale, 'restart notice')
  await shot(stale, 'restart-notice')
  await stale.emulateMedia({ colorScheme: 'dark' })
  await expectNoAxeViolations(stale, 'restart notice (dark)')

  // The 401 ended the event stream's retries: nothing more is asked of the shell. A stream still
  // retrying asks again every EVENTS_RETRY_MS, so one and a half of them would see it.
  const calls: string[] = []
  stale.on('request', (request) => {
    if (request.url().includes('/__latchkey/')) calls.push(request.url())
  })
  await stale.waitForTimeout(EVENTS_RETRY_MS * 1.5)
  expect(calls).toEqual([])

  // Reload: the shell opens its private launch page again; the key goes from the file to a new tab.
  await notice.getByRole('button', { name: 'Reload' }).click()
  await expect(notice.getByRole('status')).toHaveText('Latchkey opened in a new tab of your browser. You can close this one.')
  const launchUrl = await relay.next((url) => new URL(url).hash.startsWith('#key='))
  expect(launchUrl).toBe(latchkey.shell.url)
  expect(calls).toEqual([`${before}/__latchkey/reopen`])

  const fresh = await stale.context().newPage()
  await fresh.goto(launchUrl)
  await expect(fresh.locator('[data-app-state="ready"]')).toBeVisible()
  await expect(fresh.getByRole('listbox', { name: 'Accounts' }).getByRole('option', { name: 'Alice' })).toHaveAttribute('data-status', 'signed-in')
  await fresh.getByRole('listbox', { name: 'Accounts' }).getByRole('option', { name: 'Alice' }).click()
  await expect(fresh.getByText('Stored in the system keychain')).toBeVisible()
  await fresh.close()

  // The new launch's address opened in the stale tab itself (only its fragment differs): it loads afresh and works.
  await stale.goto(launchUrl)
  await expect(stale.getByRole('dialog')).toHaveCount(0)
  await expect(stale.getByRole('listbox', { name: 'Accounts' }).getByRole('option', { name: 'Alice' })).toHaveAttribute('data-status', 'signed-in')
})

test('the reopen call takes no orders from another site, and does not open tab after tab', async ({ latchkey, relay }) => {
  const { origin } = latchkey.shell
  // A page on another site (its Origin), DNS rebinding (its Host), a form post (no JSON type).
  expect((await post(origin, { origin: 'http://evil.example' })).status).toBe(403)
  expect((await post(origin, { host: 'evil.example' })).status).toBe(403)
  expect((await post(origin, { 'content-type': 'text/plain' })).status).toBe(404)
  const first = await post(origin, {})
  expect(first.status).toBe(200)
  // What it answers carries no key: the key only ever travels through the private launch page.
  expect(first.body).toBe('{"ok":true,"value":null}')
  expect((await post(origin, {})).status).toBe(429)
  await relay.next((url) => url === latchkey.shell.url)
  expect(relay.opened().filter((url) => url === latchkey.shell.url)).toHaveLength(1)
})

test('forwarding pages a crash left behind are removed when Latchkey starts', async ({ latchkey }) => {
  const dir = join(latchkey.dataDir, 'open')
  const leftover = join(dir, 'open-0123456789abcdef.html')
  await latchkey.restart({
    whileStopped: () => {
      mkdirSync(dir, { recursive: true, mode: 0o700 })
      writeFileSync(leftover, '<meta http-equiv="refresh" content="0;url=http://127.0.0.1:9/authorize?state=left-by-a-crash">', { mode: 0o600 })
      const old = new Date(Date.now() - 10 * 60_000)
      utimesSync(leftover, old, old)
    },
  })
  expect(existsSync(leftover)).toBe(false)
})

/** A POST to the reopen path with headers of the test's choosing (fetch always sends the real Host). */
function post(origin: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${origin}/__latchkey/reopen`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => (body += chunk.toString()))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
    })
    request.on('error', reject)
    request.end('{}')
  })
}
