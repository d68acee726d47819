/**
 * A private page that forwards the browser to a URL. Openers get this file's path instead of the
 * URL, so the URL (a launch key, a sign-in's `state` and PKCE challenge) never lands on a command
 * line, where every user of the machine can read it in /proc/<pid>/cmdline.
 */
import { randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export function writeRedirectPage(file: string, url: string, title = 'Latchkey'): string {
  const href = url.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;')
  const html =
    `<!doctype html><meta charset="utf-8"><meta name="referrer" content="no-referrer">` +
    `<meta http-equiv="refresh" content="0;url=${href}"><title>${title}</title><a href="${href}">Continue</a>\n`
  writeFileSync(file, html, { mode: 0o600 })
  // An existing file keeps its mode on write; make sure it is private either way.
  chmodSync(file, 0o600)
  return file
}

/** How long a forwarding page stays on disk: long enough for a slow browser start. */
export const REDIRECT_PAGE_LIFETIME_MS = 120_000

/** Writes a one-off forwarding page in `dir` (created 0700) and removes it after a while. */
export function writeOneOffRedirectPage(dir: string, url: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const file = writeRedirectPage(join(dir, `open-${randomBytes(8).toString('hex')}.html`), url)
  setTimeout(() => rmSync(file, { force: true }), REDIRECT_PAGE_LIFETIME_MS).unref()
  return file
}

const ONE_OFF_PAGE = /^open-[0-9a-f]{16}\.html$/

/**
 * Removes forwarding pages older than their lifetime, which a crash (or a kill) left behind with
 * their sign-in or sign-out URLs in them. Gives the number removed; a missing folder is empty.
 */
export function sweepRedirectPages(dir: string, now = Date.now()): number {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return 0
  }
  let removed = 0
  for (const name of names) {
    if (!ONE_OFF_PAGE.test(name)) continue
    const file = join(dir, name)
    try {
      if (now - statSync(file).mtimeMs < REDIRECT_PAGE_LIFETIME_MS) continue
      rmSync(file, { force: true })
      removed += 1
    } catch {
      // Gone already (another sweep, or its own timer).
    }
  }
  return removed
}

/** Sweeps `dir` now and then every lifetime, while the app runs; gives the function that stops it. */
export function keepRedirectPagesSwept(dir: string): () => void {
  sweepRedirectPages(dir)
  const timer = setInterval(() => sweepRedirectPages(dir), REDIRECT_PAGE_LIFETIME_MS)
  timer.unref()
  return () => clearInterval(timer)
}

/** Where the forwarding pages go inside a data folder. */
export function redirectPagesDir(dataDir: string): string {
  return join(dataDir, 'open')
}
