/** What the browser shell shows of itself to the rest of the machine. */
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { signInAtProvider } from './pages/app-page.ts'
import { expect, test } from './support/fixtures.ts'
import { alice } from './support/flows.ts'

test('prints the private launch page, never the launch key', async ({ latchkey }) => {
  const key = new URL(latchkey.shell.url).hash.replace(/^#key=/, '')
  expect(key.length).toBeGreaterThanOrEqual(32)
  const output = latchkey.shell.output()
  expect(output).not.toContain(key)
  const launchPage = join(latchkey.dataDir, 'open-latchkey.html')
  expect(output).toContain(`open this file in your browser: ${launchPage}`)
  expect(statSync(launchPage).mode & 0o777).toBe(0o600)
  await expect(latchkey.app.page.getByText('No accounts yet')).toBeVisible()
})

test.describe('on a machine where no browser opens', () => {
  test.use({ opener: 'failing' })

  test('says so, shows the address with Copy link, Open again and the redirect URI, and the sign-in still works', async ({ latchkey, idp }) => {
    const { app } = latchkey
    await app.startOidcSignIn({ issuer: idp.issuer, clientId: idp.clientId })
    const failure = app.page.getByTestId('open-failure')
    await expect(failure).toContainText('Latchkey could not open your browser')
    await expect(failure).toContainText('exit code 3')
    const address = app.page.getByRole('textbox', { name: 'Sign-in address' })
    const url = await address.inputValue()
    expect(new URL(url).origin).toBe(new URL(idp.issuer).origin)
    const redirectUri = new URL(url).searchParams.get('redirect_uri') ?? ''
    await expect(app.page.getByTestId('redirect-uri')).toHaveText(redirectUri)
    await expect(app.page.getByRole('button', { name: 'Copy link' })).toBeVisible()

    // One line in the terminal, with the address; nothing of it in the log file.
    await expect.poll(() => latchkey.shell.output()).toContain(`To sign in, open this address: ${url}`)
    const state = new URL(url).searchParams.get('state') ?? ''
    const log = readFileSync(join(latchkey.dataDir, 'logs', 'latchkey.log'), 'utf8')
    expect(log).toContain('auth.browser-not-opened')
    expect(log).not.toContain(state)

    // "Open again" tries once more and says it failed again.
    await app.page.getByRole('button', { name: 'Open again' }).click()
    await expect.poll(() => latchkey.shell.output().split('To sign in, open this address').length - 1).toBe(2)
    await expect(failure).toBeVisible()

    // The person opens the address by hand.
    const browser = await app.page.context().newPage()
    await browser.goto(url)
    await signInAtProvider(browser, alice)
    await browser.close()
    await expect(app.account(/alice@example\.test/)).toHaveAttribute('data-status', 'signed-in')
  })
})
