/**
 * The page itself, in Chromium, against the running browser shell (sessions opened): the account
 * list painted with 10,000 accounts against a blank page from a trivial Node server (navigation
 * start → the first frame after the rows are in the page), and a switch by keyboard (↓ then Enter
 * on the list → the next account's heading painted) with 10,000 accounts against 2. Same run, same
 * machine; nothing asserted.
 */
import { chromium, type Browser, type Page } from '@playwright/test'
import { startKeyringSession } from '../src/dev/keyring-session.ts'
import { painted } from './support/painted.ts'
import { seedDataDir } from './support/seed.ts'
import { startBlankServer, startBundledShell } from './support/shell.ts'
import { median, storeKey, template } from './startup.ts'

/** In the page (as text: this file is type-checked without the DOM's types). */
const SWITCH = `({ label, down }) => new Promise((resolve) => {
  const key = (name, on) => on.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true }))
  const t0 = performance.now()
  key(down ? 'ArrowDown' : 'ArrowUp', document.activeElement)
  key('Enter', document.activeElement)
  const check = () => {
    if (document.querySelector('h1')?.textContent === label) requestAnimationFrame(() => resolve(performance.now() - t0))
    else requestAnimationFrame(check)
  }
  check()
})`

/** ↓ then Enter on the focused row, until the next account's heading is painted; per switch, median of `runs`. */
async function keyboardSwitch(page: Page, labels: string[], runs: number): Promise<number> {
  await page.locator('[role="option"]').first().focus()
  const samples: number[] = []
  for (let i = 1; i <= runs; i++) {
    const label = labels[i % labels.length] ?? ''
    const ms = await page.evaluate<number>(`(${SWITCH})(${JSON.stringify({ label, down: i % 2 === 1 })})`)
    samples.push(ms)
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? 0
}

async function figures(browser: Browser, env: Record<string, string>): Promise<void> {
  const blank = await median(5, async () => {
    const server = await startBlankServer()
    const page = await browser.newPage()
    try {
      return (await painted(page, server.url, '[data-app-state="ready"]')).sinceNavigation
    } finally {
      await page.close()
      await server.stop()
    }
  })
  const paint: Record<string, string>[] = [{ page: 'baseline: blank page from a trivial Node server', 'ms to painted': blank.toFixed(0), 'vs blank': '1.00×' }]
  const switches: Record<string, string>[] = []
  let twoAccounts = 0
  for (const count of [2, 10_000]) {
    const seeded = seedDataDir(count, template())
    await storeKey(env, seeded.keyName, seeded.keyItem)
    const shell = await startBundledShell(seeded.dataDir, env)
    try {
      // Opened once first, so the sessions are loaded (as on a running app) when it is measured.
      const warm = await browser.newPage()
      await warm.goto(shell.url)
      await warm.waitForSelector('[data-app-state="ready"]')
      await warm.waitForSelector('[role="option"]')
      await new Promise((resolve) => setTimeout(resolve, count > 100 ? 3000 : 500))
      await warm.close()
      const rows = '[data-app-state="ready"] [role="option"]'
      const ms = await median(3, async () => {
        const page = await browser.newPage()
        try {
          return (await painted(page, shell.url, rows)).sinceNavigation
        } finally {
          await page.close()
        }
      })
      const page = await browser.newPage()
      try {
        await page.goto(shell.url)
        await page.waitForSelector(rows)
        const labels = ['Account 0', 'Account 1']
        const perSwitch = await keyboardSwitch(page, labels, 9)
        if (count === 2) twoAccounts = perSwitch
        const nodes = await page.evaluate<number>("document.getElementsByTagName('*').length")
        switches.push({ accounts: String(count), 'ms per switch (median of 9)': perSwitch.toFixed(1), 'vs 2 accounts': `${(perSwitch / twoAccounts).toFixed(2)}×`, 'DOM nodes': String(nodes) })
      } finally {
        await page.close()
      }
      if (count > 2) paint.push({ page: `Latchkey, ${String(count)} accounts (sessions open)`, 'ms to painted': ms.toFixed(0), 'vs blank': `${(ms / blank).toFixed(2)}×` })
    } finally {
      await shell.stop()
    }
  }
  console.log('\nAccount list painted: navigation start → first frame with the rows (medians)')
  console.table(paint)
  console.log('\nKeyboard switch on the list: ↓ then Enter → the next account’s heading painted')
  console.table(switches)
}

export async function benchRenderer(): Promise<void> {
  const session = await startKeyringSession()
  const browser = await chromium.launch({ executablePath: process.env.LATCHKEY_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
  try {
    await figures(browser, session.env)
  } finally {
    await browser.close()
    await session.stop()
  }
}

if (import.meta.main) await benchRenderer()
