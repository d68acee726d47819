import { chromium, type Page } from '@playwright/test'
import { readFileSync } from 'node:fs'
const launch = readFileSync('/work/wt/coord/.cache/demo-data/open-latchkey.html', 'utf8')
const url = /(http:\/\/127\.0\.0\.1:\d+\/#[^"'\s<]+)/.exec(launch)?.[1]
if (!url) throw new Error('no url')
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] })
const page = await browser.newPage({ viewport: { width: 1100, height: 800 } })
page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log('console', m.type(), m.text()) })
page.on('pageerror', (e) => console.log('pageerror', e.message))
page.on('response', (r) => { if (r.status() >= 400) console.log('HTTP', r.status(), r.url().replace(/#.*/, '')) })
await page.goto(url)
await page.waitForSelector('[data-app-state="ready"]')
let n = 0
const shot = (name: string) => page.screenshot({ path: `/tmp/trace/y-${String(++n).padStart(2, '0')}-${name}.png`, fullPage: true })
async function add(backend: string, preset: string, fill: (p: Page) => Promise<void>) {
  await page.getByRole('button', { name: 'Add account' }).first().click()
  await page.getByText(backend, { exact: true }).first().click()
  await page.getByRole('button', { name: `Use ${preset}` }).click()
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.waitForTimeout(1200)
  await fill(page)
  await page.waitForTimeout(2500)
}
const typeIn = async (values: string[]) => { for (const [i, v] of values.entries()) { if (i > 0) await page.keyboard.press('Tab'); await page.keyboard.type(v) } await page.keyboard.press('Enter') }
const backends: [string, string, string[]][] = [
  ['Teable', 'Demo Teable', ['tea@example.test', 'earlgrey-1907']],
  ['Synmetrix', 'Demo Synmetrix', ['ada@synmetrix-demo.com', 'lovelace-1815']],
  ['Authing', 'Demo Authing', ['ada@example.test', 'lovelace-1815']],
  ['PocketBase / BosBase', 'Demo PocketBase', ['ada@example.test', 'lovelace-1815']],
]
for (const [backend, preset, values] of backends) {
  try {
    await add(backend, preset, () => typeIn(values))
    await shot(backend.replace(/\W+/g, '-'))
    const summaries = page.locator('main summary')
    const count = await summaries.count()
    for (let i = 0; i < count; i++) { await summaries.nth(i).click(); await page.waitForTimeout(250) }
    await shot(backend.replace(/\W+/g, '-') + '-open')
  } catch (e) { console.log('FAILED', backend, (e as Error).message.split('\n')[0]); await shot('fail') }
}
await browser.close()
