/**
 * The browser shell runs in a terminal, often on a machine where no browser opens (a server, a
 * container). Every sign-in page it opens is also printed there, in one line, so the person can
 * open it by hand.
 *
 * Printed, not logged: the address carries the attempt's `state` and PKCE challenge but no token
 * (the code verifier and the receiver stay in this process). The terminal is the person's own and
 * the address dies with the attempt (minutes); the JSON log is a file that outlives it and gets
 * attached to bug reports, so the address never goes there. Sign-out pages are not printed: their
 * address can carry an ID token (`id_token_hint`).
 */
import type { ExternalBrowser } from '../core/ports.ts'

export function announcingBrowser(browser: ExternalBrowser, print: (line: string) => void): ExternalBrowser {
  return {
    async open(url, purpose) {
      try {
        await browser.open(url, purpose)
      } catch (error) {
        if (purpose === 'sign-in') {
          const reason = error instanceof Error ? error.message : String(error)
          print(`Latchkey could not open your browser (${reason}). To sign in, open this address: ${url}`)
        }
        throw error
      }
      if (purpose === 'sign-in') print(`Sign-in page sent to your browser. If it did not open, open this address: ${url}`)
    },
  }
}
