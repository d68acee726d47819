/**
 * A page with the account list's first frame in it (drawn by first-frame.ts). Apart from the
 * drawing, so the servers that put a frame into their page load no renderer until they draw one.
 */
import type { Logger } from '../core/ports.ts'
import { withPolicy, withStyleAttributes } from '../security/content-security-policy.ts'

export interface FirstFrame {
  /** The app's markup, for the page's `#app` element. */
  markup: string
  /** The answers it was drawn with, as a `<script type="application/json">` element. */
  answers: string
}

/**
 * The page (`html`, under `policy`) with the frame in it: the markup in `#app`, the answers before
 * the page's first inline script (the browser shell's bridge reads them as it runs), and the
 * policy (in the header and the page's meta element) allowing the frame's style attributes, which
 * place the rows, by hash. Throws when the page has no empty `#app` or no inline script.
 */
export function withFirstFrame(page: { html: string; policy: string }, frame: FirstFrame): { html: string; policy: string } {
  const app = page.html.indexOf(EMPTY_APP)
  const script = page.html.search(/<script\b(?![^>]*\bsrc\s*=)[^>]*>/i)
  if (app < 0 || script < 0 || script > app) throw new Error('The page has no empty #app element, or no inline script before it.')
  const policy = withStyleAttributes(page.policy, frame.markup)
  const html =
    page.html.slice(0, script) + frame.answers + page.html.slice(script, app) + `<div id="app">${frame.markup}</div>` + page.html.slice(app + EMPTY_APP.length)
  return { html: withPolicy(html, policy), policy }
}

/** withFirstFrame, or null (logged) when the page cannot take the frame: each shell then serves the page as it is. */
export function withFirstFrameOrNone(page: { html: string; policy: string }, frame: FirstFrame, logger: Logger): { html: string; policy: string } | null {
  try {
    return withFirstFrame(page, frame)
  } catch (error) {
    logger.error('web.first-frame-failed', { error: error instanceof Error ? error.message : String(error) })
    return null
  }
}

const EMPTY_APP = '<div id="app"></div>'
