/**
 * Opens sign-in and sign-out pages in the system browser (RFC 8252: never an embedded view).
 * Only the core calls this, with URLs a provider built; never a URL from the renderer.
 *
 * On Windows and macOS `shell.openExternal` hands the URL to the OS without a command line. On
 * Linux it runs xdg-open with the URL as an argument, readable by every local user in
 * /proc/<pid>/cmdline; there the browser gets the path of a private page that forwards to the URL.
 */
import type { Shell } from 'electron'
import type { ExternalBrowser } from '../core/ports.ts'
import { writeOneOffRedirectPage } from './redirect-page.ts'
import { assertWebUrl } from './web-url.ts'

export function electronBrowser(
  shell: Pick<Shell, 'openExternal' | 'openPath'>,
  options: { platform: NodeJS.Platform; pagesDir: string },
): ExternalBrowser {
  return {
    async open(url) {
      const target = assertWebUrl(url)
      if (options.platform === 'win32' || options.platform === 'darwin') {
        // electronegativity: only URLs a provider built, and only http(s) (assertWebUrl); never renderer input
        await shell.openExternal(target)
        return
      }
      const problem = await shell.openPath(writeOneOffRedirectPage(options.pagesDir, target))
      if (problem !== '') throw new Error(problem)
    },
  }
}
