/**
 * When a page first showed something, watched from inside the page from its first byte rather than
 * polled from the bench: Playwright's polls come 20, 50, then 100 ms apart and each is a round trip,
 * which once added up to 100 ms to a page that renders with script and nothing to a static one.
 *
 * "Painted" is the browser's own paint time (Paint Timing's first-contentful-paint) when that paint
 * came after the element was in the page: every paint from then on shows it. Otherwise (something
 * was painted before it, a loading screen say) it is the frame after the one that laid the element
 * out, as two animation frames tell. The two agree on a page whose main thread is free after the
 * element arrives; on a page whose script runs a long task right after its first paint (a page
 * drawn by the server, then taken over by its script), the second animation frame waits for that
 * task although the first frame was already on screen. Both moments are returned.
 */
import type { Page } from '@playwright/test'

/** In the page (as text: the bench is type-checked without the DOM's types). */
const WATCH = `(selector) => {
  window.__painted = new Promise((resolve, reject) => {
    setTimeout(() => reject(new Error(selector + ' not painted within 120 s')), 120000)
    const contentful = () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null
    const seen = () => {
      if (!document.querySelector(selector)) return false
      const inPage = performance.now()
      // The frame after the one that laid it out: by then it has been painted.
      requestAnimationFrame(() => requestAnimationFrame(() => {
        const nextFrame = performance.now()
        // The paint's own entry comes once the frame is on screen: looked for a little longer if not yet there.
        const settle = (tries) => {
          const paint = contentful()
          if (paint === null && tries > 0) return setTimeout(() => settle(tries - 1), 10)
          const at = paint !== null && paint >= inPage ? paint : nextFrame
          resolve({ sinceNavigation: at, epoch: performance.timeOrigin + at, seen: inPage, nextFrame })
        }
        settle(20)
      }))
      return true
    }
    const watch = new MutationObserver(() => { if (seen()) watch.disconnect() })
    watch.observe(document, { childList: true, subtree: true, attributes: true })
  })
}`

export interface Painted {
  /** Milliseconds from the page's navigation start to the paint that first showed `selector` (see the top of this file). */
  sinceNavigation: number
  /** The same moment in epoch milliseconds (`performance.timeOrigin + …`), comparable with the bench's own. */
  epoch: number
  /** Milliseconds from navigation start to when `selector` was first in the page (before it was painted). */
  seen: number
  /** Milliseconds from navigation start to the second animation frame after it was in the page. */
  nextFrame: number
}

/** Opens `url` and answers when the first frame with `selector` in the page was painted. */
export async function painted(page: Page, url: string, selector: string): Promise<Painted> {
  await page.addInitScript(`(${WATCH})(${JSON.stringify(selector)})`)
  await page.goto(url)
  return page.evaluate<Painted>('window.__painted')
}
