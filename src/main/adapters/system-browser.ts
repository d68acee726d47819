/**
 * Opens a URL in the person's browser from plain Node (the browser shell): the command in $BROWSER
 * when set (the usual convention), else the platform's opener. Never through a shell, and never
 * with the URL itself as an argument: the opener gets the path of a private (0600) page that
 * forwards to the URL, so no other user can read a sign-in's `state` from /proc/<pid>/cmdline.
 *
 * Opening fails when the opener cannot start or exits with an error soon after; an opener still
 * running after a short grace (a browser that stays in the foreground) counts as opened.
 */
import { spawn } from 'node:child_process'
import { isAbsolute } from 'node:path'
import type { ExternalBrowser } from '../core/ports.ts'
import { writeOneOffRedirectPage } from './redirect-page.ts'
import { assertWebUrl } from './web-url.ts'

export interface SystemBrowser extends ExternalBrowser {
  /** Opens a local file (the browser shell's launch page) by its absolute path. */
  openFile(path: string): Promise<void>
}

export interface SystemBrowserOptions {
  env?: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
  /** A private folder for the forwarding pages (the data folder's `open/`). */
  pagesDir: string
  /** How long an opener may run before it counts as opened. Default 2 s. */
  graceMs?: number
}

const DEFAULT_GRACE_MS = 2000

export function systemBrowser(options: SystemBrowserOptions): SystemBrowser {
  const env = options.env ?? process.env
  const platform = options.platform ?? process.platform
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS
  const launch = (target: string): Promise<void> => {
    const [command = 'xdg-open', ...args] = commandFor(env, platform)
    return new Promise<void>((resolve, reject) => {
      const child = spawn(command, [...args, target], { stdio: 'ignore', detached: platform !== 'win32' })
      let grace: NodeJS.Timeout | undefined
      child.once('error', (error) => {
        clearTimeout(grace)
        reject(new Error(`${command} could not be started (${error.message}).`))
      })
      child.once('spawn', () => {
        grace = setTimeout(() => {
          child.unref()
          resolve()
        }, graceMs)
        grace.unref()
      })
      child.once('exit', (code, signal) => {
        clearTimeout(grace)
        if (code === 0) resolve()
        else reject(new Error(`${command} failed (${signal ?? `exit code ${String(code)}`}).`))
      })
    })
  }
  return {
    open: async (url) => launch(writeOneOffRedirectPage(options.pagesDir, assertWebUrl(url))),
    openFile: (path) => (isAbsolute(path) ? launch(path) : Promise.reject(new Error('Not an absolute path'))),
  }
}

/** The opener, as an argument list. */
export function commandFor(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
  const custom = env.BROWSER?.trim()
  if (custom) return custom.split(/\s+/)
  if (platform === 'darwin') return ['open']
  if (platform === 'win32') return ['rundll32', 'url.dll,FileProtocolHandler']
  return ['xdg-open']
}
