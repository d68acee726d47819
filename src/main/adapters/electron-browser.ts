/**
 * Opens sign-in and sign-out pages in the system browser (RFC 8252: never an embedded view).
 * Only the core calls this, with URLs a provider built; never a URL from the renderer.
 */
import { shell } from 'electron'
import type { ExternalBrowser } from '../core/ports.ts'
import { assertWebUrl } from './web-url.ts'

export const electronBrowser: ExternalBrowser = {
  async open(url) {
    // electronegativity: only URLs a provider built, and only http(s) (assertWebUrl); never renderer input
    await shell.openExternal(assertWebUrl(url))
  },
}
