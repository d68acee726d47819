/**
 * When a page first showed something, watched from inside the page from its first byte rather than
 * polled from the bench: Playwright's polls come 20, 50, then 100 ms apart and each is a round trip,
 * which once added up to 100 ms to a page that renders with script and nothing to a static one.
 */
import type { Page } from '@playwright/test'

/** In the page (as text: the bench is type-checked without the DOM's types). */
const WATCH = `(selector) => {
  window.__painted = new Promise((resolve, reject) => {
    setTimeout(() => reject(new Error(selector + ' not painted within 120 s')), 120000)
    const seen = () => {
      if (!document.querySelector(selector)) return false
      const inPage = performance.now()
      // The frame after the one that laid it out: by then it has been painted.
      requestAnimationFrame(() => requestAnimationFrame(() => resolve({ sinceNavigation: performance.now(), epoch: performance.timeOrigin + performance.now(), seen: inPage })))
      return true
    }
    const watch = new MutationObserver(() => { if (seen()) watch.disconnect() })
    watch.observe(document, { childList: true, subtree: true, attributes: true })
  })
}`

export interface Painted {
  /** Milliseconds from the page's navigation start. */
  sinceNavigation: number
  /** The same moment in epoch milliseconds (`performance.timeOrigin + performance.now()`), comparable with the bench's own. */
  epoch: number
  /** Milliseconds from navigation start to when `selector` was first in the page (before it was painted). */
  seen: number
}

/** Opens `url` and answers when the first frame with `selector` in the page was painted. */
export async function painted(page: Page, url: string, selector: string): Promise<Painted> {
  await page.addInitScript(`(${WATCH})(${JSON.stringify(selector)})`)
  await page.goto(url)
  return page.evaluate<Painted>('window.__painted')
}
