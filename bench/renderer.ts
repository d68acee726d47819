/**
 * The page itself, in Chromium, against the running browser shell (sessions opened): the account
 * list painted with 10,000 accounts against a blank page from a trivial Node server (navigation
 * start → the paint that first showed the rows, see support/painted.ts; the two load in turn, several rounds,
 * medians; the list as the shell draws it into the page for a tab that has used this launch, and
 * as a tab's first load of the launch gets it, drawn by the app, each with when the app runs in
 * the page; beside them, the app's first frame as the shell serves it, with no script, for what a first frame
 * drawn without script could reach), a switch by keyboard (↓ then Enter on the list → the next
 * account's heading painted) and type-to-filter (a keystroke in the filter → the list of what it
 * matches painted), each with 10,000 accounts against 2. Same run, same machine; nothing asserted.
 */
import type { Browser, Page } from '@playwright/test'
import { launchChromium } from './support/chromium.ts'
import { startKeyringSession } from '../src/dev/keyring-session.ts'
import { painted, type Painted } from './support/painted.ts'
import { seedDataDir } from './support/seed.ts'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startBlankServer, startBundledShell, startStaticPageServer } from './support/shell.ts'
import { storeKey, template } from './startup.ts'
import { ratioTarget } from './support/targets.ts'

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

/**
 * In the page: the filter set to `query` as a keystroke sets it (the input event the field's own
 * handler takes), until the list says it holds what the query matches (`expected`, the count line)
 * and that frame is painted.
 */
const FILTER = `({ query, expected }) => new Promise((resolve, reject) => {
  const input = document.querySelector('input[type="search"]')
  const count = document.querySelector('[data-testid="filter-count"]')
  if (!input || !count) return reject(new Error('no filter on the page'))
  const t0 = performance.now()
  input.value = query
  input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: query.slice(-1) }))
  const check = () => {
    if (count.textContent.trim() === expected) requestAnimationFrame(() => resolve(performance.now() - t0))
    else if (performance.now() - t0 > 10000) reject(new Error('the filter never showed ' + expected))
    else requestAnimationFrame(check)
  }
  check()
})`

/** In the page, after it painted: when the page's own parts had arrived (ms from navigation start). */
const ARRIVALS = `(() => {
  const resources = performance.getEntriesByType('resource')
  // Not the worker that loads the date data (src/renderer/src/local-time-warmup.ts): nothing waits for it.
  const assets = resources.filter((entry) => entry.initiatorType !== 'fetch' && !entry.name.includes('/local-time-warmup-')).map((entry) => entry.responseEnd)
  // The page's first calls (the first page of accounts, the app's state, the backends) go in one request.
  const list = resources.find((entry) => entry.name.endsWith('/__latchkey/calls'))
  return {
    html: performance.getEntriesByType('navigation')[0]?.responseEnd ?? 0,
    assets: assets.length > 0 ? Math.max(...assets) : 0,
    listAsked: list ? list.startTime : 0,
    listAnswered: list ? list.responseEnd : 0,
    listBytes: list ? list.encodedBodySize : 0,
  }
})()`

/**
 * In the page from its first byte: when the app was first running in it (ms from navigation start,
 * as the attribute appeared; read with LIVE). Watched, not polled afterwards: a page ready before
 * the bench asks would otherwise read as ready when it asked.
 */
const LIVE_WATCH = `window.__live = new Promise((resolve) => {
  const check = () => (document.querySelector('[data-app-state="ready"]') ? (resolve(performance.now()), true) : false)
  const watch = new MutationObserver(() => { if (check()) watch.disconnect() })
  watch.observe(document, { childList: true, subtree: true, attributes: true })
})`
const LIVE = 'window.__live'

/**
 * In the page, after the list painted: when the main pane's account heading was painted (ms from
 * navigation start). The shown account's details come with a call of their own, asked for when
 * the list is drawn; this says how long after the list the person sees them.
 */
const DETAIL_PAINTED = `new Promise((resolve) => {
  const check = () => (document.querySelector('main h1') ? requestAnimationFrame(() => resolve(performance.now())) : requestAnimationFrame(check))
  check()
})`

/**
 * In the page, after the list painted: the main thread's long frames (Long Animation Frames, over
 * 50 ms each, from navigation start) that began before `painted`, summed: their scripts' time (the
 * app's code, its compile included), and their style and layout time. Says how much of the wait is
 * the page's own main thread rather than the machine or the shell.
 */
const LONG_FRAMES = `(painted) => new Promise((resolve) => {
  const sum = (entries) => {
    let frames = 0, script = 0, layout = 0
    for (const entry of entries) {
      if (entry.startTime >= painted) continue
      frames += entry.duration
      for (const one of entry.scripts ?? []) script += one.duration
      if (entry.styleAndLayoutStart > 0) layout += entry.startTime + entry.duration - entry.styleAndLayoutStart
    }
    return { frames, script, layout }
  }
  if (!PerformanceObserver.supportedEntryTypes?.includes('long-animation-frame')) return resolve({ frames: 0, script: 0, layout: 0 })
  const seen = []
  const observer = new PerformanceObserver((list) => seen.push(...list.getEntries()))
  observer.observe({ type: 'long-animation-frame', buffered: true })
  setTimeout(() => { seen.push(...observer.takeRecords()); observer.disconnect(); resolve(sum(seen)) }, 100)
})`

interface LongFrames {
  frames: number
  script: number
  layout: number
}

interface Arrivals {
  html: number
  assets: number
  listAsked: number
  listAnswered: number
  listBytes: number
}

/** One load of the app: its list painted (see support/painted.ts) and when the app ran in the page. */
type AppLoad = Painted & { live: number }

type Load = Arrivals & { seen: number; painted: number; nextFrame: number; live: number; detail: number; long: LongFrames }

/** Where the time to a painted list goes: medians of each moment over the measured loads. */
function breakdown(loads: Load[]): Record<string, string>[] {
  const middle = (pick: (load: Load) => number): string => {
    const values = loads.map(pick).sort((a, b) => a - b)
    return (values[Math.floor(values.length / 2)] ?? 0).toFixed(0)
  }
  return [
    { moment: 'page (HTML) received', 'ms since navigation': middle((l) => l.html) },
    { moment: 'scripts and styles received', 'ms since navigation': middle((l) => l.assets) },
    { moment: 'first page of accounts asked for (with app state and backends, one request)', 'ms since navigation': middle((l) => l.listAsked) },
    { moment: `first page of accounts received (${middle((l) => l.listBytes)} bytes, the three answers)`, 'ms since navigation': middle((l) => l.listAnswered) },
    { moment: 'rows in the page (drawn by the shell, or by the app once ready)', 'ms since navigation': middle((l) => l.seen) },
    { moment: 'painted (the browser’s paint time; see bench/support/painted.ts)', 'ms since navigation': middle((l) => l.painted) },
    { moment: 'the second animation frame after the rows were in the page (the measure before)', 'ms since navigation': middle((l) => l.nextFrame) },
    { moment: 'app running in the page (data-app-state="ready": keys and clicks work)', 'ms since navigation': middle((l) => l.live) },
    { moment: 'shown account’s details painted (main pane)', 'ms since navigation': middle((l) => l.detail) },
    // Durations, not moments: how much of the wait the page's main thread was busy in long frames.
    { moment: 'duration: the main thread’s long frames (50 ms and over) before painted', 'ms since navigation': middle((l) => l.long.frames) },
    { moment: 'duration: … their scripts (the app’s code, its compile included)', 'ms since navigation': middle((l) => l.long.script) },
    { moment: 'duration: … their style and layout', 'ms since navigation': middle((l) => l.long.layout) },
  ]
}

/**
 * The page as the shell serves it with the list drawn (its first frame), without its scripts (the
 * app, the bridge and the first answers as data) and its policy (which names the scripts' hashes).
 * Loaded from a trivial server, it shows how soon that first frame could be painted at best, with
 * no script run before it. (Copied from the page once the app had run, as before, it also held the
 * shown account's details, which the first frame does not: "Loading account…" is drawn there.)
 */
function firstFrameCopy(served: string): string {
  return served.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '').replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>/g, '')
}

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

/** What the count line says for `query` over the seeded labels ("Account 0" … ): digits match labels alone. */
function filterCount(query: string, accounts: number): string {
  let matches = 0
  for (let i = 0; i < accounts; i++) if (`account ${String(i)}`.includes(query.toLowerCase())) matches++
  return matches === 0 ? `No account matches “${query}”.` : `${String(matches)} of ${String(accounts)} accounts`
}

/** Keystrokes typed into the filter, one character more each time, then the filter emptied; `rounds` times. */
const TYPED = '1234'

interface Typing {
  /** The first keystroke after the page loaded (the main process works out each account's filter text then). */
  first: number
  /** Every later keystroke, median. */
  later: number
}

/** Type-to-filter: each keystroke until the filtered list is painted. */
async function typeToFilter(page: Page, accounts: number, rounds: number): Promise<Typing> {
  const later: number[] = []
  let first = 0
  for (let round = 0; round < rounds; round++) {
    for (let typed = 1; typed <= TYPED.length; typed++) {
      const query = TYPED.slice(0, typed)
      const ms = await page.evaluate<number>(`(${FILTER})(${JSON.stringify({ query, expected: filterCount(query, accounts) })})`)
      if (round === 0 && typed === 1) first = ms
      else later.push(ms)
    }
    await page.locator('input[type="search"]').press('Escape')
    await page.locator('[role="option"]', { hasText: 'Account 0' }).first().waitFor()
  }
  return { first, later: middle(later) }
}

/** Rounds of the list-painted figure: each loads the blank page and then the app, one after the other. */
const ROUNDS = 9

async function blankLoad(browser: Browser): Promise<Painted> {
  return staticLoad(browser, await startBlankServer(), '[data-app-state="ready"]')
}

function middle(samples: number[]): number {
  return [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? 0
}

/** One load of a page from a trivial server, to the first frame with `selector` painted. */
async function staticLoad(browser: Browser, server: { url: string; stop(): Promise<void> }, selector: string): Promise<Painted> {
  const page = await browser.newPage()
  try {
    return await painted(page, server.url, selector)
  } finally {
    await page.close()
    await server.stop()
  }
}

async function figures(browser: Browser, env: Record<string, string>): Promise<void> {
  const paint: Record<string, string>[] = []
  const switches: Record<string, string>[] = []
  const arrivals: Record<string, string>[] = []
  let twoAccounts = 0
  const filtering: Record<string, string>[] = []
  let twoAccountsTyping: Typing = { first: 0, later: 0 }
  const loads: Load[] = []
  for (const count of [2, 10_000]) {
    loads.length = 0
    const seeded = seedDataDir(count, template())
    await storeKey(env, seeded.keyName, seeded.keyItem)
    const shell = await startBundledShell(seeded.dataDir, env)
    try {
      // Opened once first, so the sessions are loaded (as on a running app) when it is measured.
      // Its calls bring the browser this launch's frame cookie, which each measured load then carries,
      // as a tab that has used this launch does: the shell draws the list into the page only for a
      // browser that has shown the key (see src/main/web/request-guard.ts). Each load is still in a
      // context of its own, with nothing cached.
      const warmContext = await browser.newContext()
      const warm = await warmContext.newPage()
      await warm.goto(shell.url)
      await warm.waitForSelector('[data-app-state="ready"]')
      await warm.waitForSelector('[role="option"]')
      await new Promise((resolve) => setTimeout(resolve, count > 100 ? 3000 : 500))
      const cookies = await warmContext.cookies()
      await warmContext.close()
      // withCookie false: a tab's first load of this launch, which the shell serves without the list
      // (no frame cookie yet): the app draws it from the answers it asks for, as before the frame.
      const openPage = async (withCookie = true): Promise<Page> => {
        const context = await browser.newContext()
        if (withCookie) await context.addCookies(cookies)
        const opened = await context.newPage()
        opened.once('close', () => void context.close())
        return opened
      }
      // The rows as first painted: drawn into the page by the shell, or by the app once it is ready.
      const rows = '[role="option"]'
      const liveRows = '[data-app-state="ready"] [role="option"]'
      if (count > 2) {
        const copyDir = mkdtempSync(join(tmpdir(), 'latchkey-first-frame-'))
        const copyFile = join(copyDir, 'index.html')
        const first = await openPage()
        const served = await (await first.goto(shell.url))?.text()
        if (!served?.includes('role="option"')) throw new Error('The shell did not serve the page with the list drawn.')
        writeFileSync(copyFile, firstFrameCopy(served))
        await first.close()
        // The blank page, the app and the copy of its first frame take turns, so a busy moment of the machine weighs on all.
        // Each round's loads: the blank page, the copy, the app with its list drawn by the shell, and a tab's first load.
        const rounds: { blank: Painted; copy: Painted; drawn: AppLoad; first: AppLoad }[] = []
        /** One load of the app in a page of its own, to its list painted and the app running; `more` reads the page before it closes. */
        const appLoad = async (page: Page, more?: (page: Page, load: AppLoad) => Promise<void>): Promise<AppLoad> => {
          try {
            await page.addInitScript(LIVE_WATCH)
            const shown = await painted(page, shell.url, rows)
            const load = { ...shown, live: await page.evaluate<number>(LIVE) }
            await more?.(page, load)
            return load
          } finally {
            await page.close()
          }
        }
        for (let round = 0; round < ROUNDS; round++) {
          const blank = await blankLoad(browser)
          const copy = await staticLoad(browser, await startStaticPageServer(copyFile), rows)
          const drawn = await appLoad(await openPage(), async (page, load) => {
            const detail = await page.evaluate<number>(DETAIL_PAINTED)
            const long = await page.evaluate<LongFrames>(`(${LONG_FRAMES})(${String(load.sinceNavigation)})`)
            loads.push({ ...(await page.evaluate<Arrivals>(ARRIVALS)), seen: load.seen, painted: load.sinceNavigation, nextFrame: load.nextFrame, live: load.live, detail, long })
          })
          rounds.push({ blank, copy, drawn, first: await appLoad(await openPage(false)) })
        }
        const of = (pick: (round: (typeof rounds)[number]) => number): number[] => rounds.map(pick)
        const span = (values: number[]): string => `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)} ms`
        const blanks = of((r) => r.blank.sinceNavigation)
        const samples = of((r) => r.drawn.sinceNavigation)
        const blank = middle(blanks)
        const ms = middle(samples)
        const vsBlank = (value: number): string => `${(value / blank).toFixed(2)}×`
        const ratios = rounds.map((r) => r.drawn.sinceNavigation / r.blank.sinceNavigation)
        paint.push(
          { page: 'baseline: blank page from a trivial Node server', 'ms to painted': blank.toFixed(0), 'vs blank': '1.00×', 'fastest–slowest': span(blanks) },
          {
            page: `Latchkey, ${String(count)} accounts (sessions open)`,
            'ms to painted': ms.toFixed(0),
            'vs blank': vsBlank(ms),
            'fastest–slowest': `${span(samples)}; round by round ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}×, median ${middle(ratios).toFixed(2)}×`,
          },
          {
            page: 'the same loads, to the second animation frame after the rows were in the page (the measure before)',
            'ms to painted': middle(of((r) => r.drawn.nextFrame)).toFixed(0),
            'vs blank': vsBlank(middle(of((r) => r.drawn.nextFrame))),
            'fastest–slowest': `${span(of((r) => r.drawn.nextFrame))} (the blank page by that measure: ${middle(of((r) => r.blank.nextFrame)).toFixed(0)} ms, the copy below: ${middle(of((r) => r.copy.nextFrame)).toFixed(0)} ms)`,
          },
          {
            page: 'Latchkey, a tab’s first load of the launch (no frame cookie yet: the app draws the list)',
            'ms to painted': middle(of((r) => r.first.sinceNavigation)).toFixed(0),
            'vs blank': vsBlank(middle(of((r) => r.first.sinceNavigation))),
            'fastest–slowest': `app running in the page at ${middle(of((r) => r.first.live)).toFixed(0)} ms (with the list drawn by the shell: ${middle(of((r) => r.drawn.live)).toFixed(0)} ms)`,
          },
          {
            page: 'for comparison: that first frame as the shell serves it, its scripts taken out, from a trivial Node server',
            'ms to painted': middle(of((r) => r.copy.sinceNavigation)).toFixed(0),
            'vs blank': vsBlank(middle(of((r) => r.copy.sinceNavigation))),
            'fastest–slowest': `${span(of((r) => r.copy.sinceNavigation))} (${(statSync(copyFile).size / 1024).toFixed(0)} KiB)`,
          },
        )
        ratioTarget(`account list painted, ${count.toLocaleString('en-US')} accounts, vs a blank page`, ms / blank, 2)
        rmSync(copyDir, { recursive: true, force: true })
        arrivals.push(...breakdown(loads))
      }
      const page = await openPage()
      try {
        await page.goto(shell.url)
        await page.waitForSelector(liveRows)
        const labels = ['Account 0', 'Account 1']
        const perSwitch = await keyboardSwitch(page, labels, 9)
        if (count === 2) twoAccounts = perSwitch
        const nodes = await page.evaluate<number>("document.getElementsByTagName('*').length")
        switches.push({ accounts: String(count), 'ms per switch (median of 9)': perSwitch.toFixed(1), 'vs 2 accounts': `${(perSwitch / twoAccounts).toFixed(2)}×`, 'DOM nodes': String(nodes) })
        if (count > 2) ratioTarget(`keyboard switch, ${count.toLocaleString('en-US')} accounts vs 2`, perSwitch / twoAccounts, 1.5)
        const typing = await typeToFilter(page, count, 5)
        if (count === 2) twoAccountsTyping = typing
        filtering.push({
          accounts: String(count),
          'first keystroke ms': typing.first.toFixed(1),
          'vs 2 accounts': `${(typing.first / twoAccountsTyping.first).toFixed(2)}×`,
          [`later keystrokes ms (median of ${String(5 * TYPED.length - 1)})`]: typing.later.toFixed(1),
          'vs 2 accounts ': `${(typing.later / twoAccountsTyping.later).toFixed(2)}×`,
        })
        // "Stays instant" has no figure of its own: held to the keyboard switch's. The first keystroke
        // after the page loaded (the filter's texts made then) is in the table above, not a target.
        if (count > 2) ratioTarget(`type-to-filter keystroke, ${count.toLocaleString('en-US')} accounts vs 2`, typing.later / twoAccountsTyping.later, 1.5)
      } finally {
        await page.close()
      }
    } finally {
      await shell.stop()
    }
  }
  console.log(`\nAccount list painted: navigation start → the paint that first showed the rows (medians of ${String(ROUNDS)} rounds, blank page, app and the copy of its first frame in turn)`)
  console.table(paint)
  console.log('\nWhere the time goes, 10,000 accounts (medians of the same loads)')
  console.table(arrivals)
  console.log('\nKeyboard switch on the list: ↓ then Enter → the next account’s heading painted')
  console.table(switches)
  console.log(`\nType to filter: a keystroke in the filter (“1”, “12”, “123”, “1234”, then emptied; 5 rounds) → the list of what it matches painted`)
  console.table(filtering)
}

export async function benchRenderer(): Promise<void> {
  const session = await startKeyringSession()
  const browser = await launchChromium()
  try {
    await figures(browser, session.env)
  } finally {
    await browser.close()
    await session.stop()
  }
}

if (import.meta.main) await benchRenderer()
