/**
 * The page the browser shell opens: a private file that forwards to the shell's address with its
 * key. Opening the file keeps the key off the opener's command line, where other users of this
 * machine could read it.
 */
import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export function writeLaunchPage(dataDir: string, url: string): string {
  const file = join(dataDir, 'open-latchkey.html')
  const href = url.replaceAll('&', '&amp;').replaceAll('"', '&quot;')
  const html = `<!doctype html><meta charset="utf-8"><meta name="referrer" content="no-referrer"><meta http-equiv="refresh" content="0;url=${href}"><title>Latchkey</title><a href="${href}">Open Latchkey</a>\n`
  writeFileSync(file, html, { mode: 0o600 })
  chmodSync(file, 0o600)
  return file
}
