/**
 * The page the browser shell opens: a private file that forwards to the shell's address with its
 * key. Opening the file keeps the key off the opener's command line, where other users of this
 * machine could read it.
 */
import { join } from 'node:path'
import { writeRedirectPage } from '../adapters/redirect-page.ts'

export function launchPagePath(dataDir: string): string {
  return join(dataDir, 'open-latchkey.html')
}

export function writeLaunchPage(dataDir: string, url: string): string {
  return writeRedirectPage(launchPagePath(dataDir), url)
}
