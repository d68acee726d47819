/**
 * Opens a URL in the person's browser from plain Node (the browser shell): the command in $BROWSER
 * when set (the usual convention), else the platform's opener. Never through a shell.
 */
import { spawn } from 'node:child_process'
import { isAbsolute } from 'node:path'
import type { ExternalBrowser } from '../core/ports.ts'
import { assertWebUrl } from './web-url.ts'

export interface SystemBrowser extends ExternalBrowser {
  /** Opens a local file (the browser shell's launch page) by its absolute path. */
  openFile(path: string): Promise<void>
}

export function systemBrowser(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): SystemBrowser {
  const launch = (target: string): Promise<void> => {
    const [command = 'xdg-open', ...args] = commandFor(env, platform)
    return new Promise<void>((resolve, reject) => {
      const child = spawn(command, [...args, target], { stdio: 'ignore', detached: platform !== 'win32' })
      child.once('error', (error) => reject(new Error(`Could not start ${command}: ${error.message}`)))
      child.once('spawn', () => {
        child.unref()
        resolve()
      })
    })
  }
  return {
    open: async (url) => launch(assertWebUrl(url)),
    openFile: (path) => (isAbsolute(path) ? launch(path) : Promise.reject(new Error('Not an absolute path'))),
  }
}

/** The opener, as an argument list (the URL stays one argument, & and all). */
export function commandFor(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
  const custom = env.BROWSER?.trim()
  if (custom) return custom.split(/\s+/)
  if (platform === 'darwin') return ['open']
  if (platform === 'win32') return ['rundll32', 'url.dll,FileProtocolHandler']
  return ['xdg-open']
}
