/**
 * Opens a URL in the person's browser from plain Node (the browser shell): the command in $BROWSER
 * when set (the usual convention), else the platform's opener.
 */
import { spawn } from 'node:child_process'
import type { ExternalBrowser } from '../core/ports.ts'
import { assertWebUrl } from './web-url.ts'

export function systemBrowser(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): ExternalBrowser {
  return {
    open(url) {
      const target = assertWebUrl(url)
      const [command, ...args] = commandFor(env, platform)
      return new Promise<void>((resolve, reject) => {
        const child = spawn(command as string, [...args, target], { stdio: 'ignore', detached: platform !== 'win32' })
        child.once('error', (error) => reject(new Error(`Could not start ${command}: ${error.message}`)))
        child.once('spawn', () => {
          child.unref()
          resolve()
        })
      })
    },
  }
}

function commandFor(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
  const custom = env.BROWSER?.trim()
  if (custom) return custom.split(/\s+/)
  if (platform === 'darwin') return ['open']
  if (platform === 'win32') return ['cmd', '/c', 'start', '""']
  return ['xdg-open']
}
