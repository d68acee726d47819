import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { REDIRECT_PAGE_LIFETIME_MS, sweepRedirectPages, writeOneOffRedirectPage } from './redirect-page.ts'

const folders: string[] = []
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

function pagesDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-open-'))
  folders.push(dir)
  return dir
}

/** Makes a file look as if it was written `ageMs` before `now`. */
function age(file: string, now: number, ageMs: number): void {
  const at = new Date(now - ageMs)
  utimesSync(file, at, at)
}

describe('forwarding pages left behind by a crash', () => {
  it('are removed once older than their lifetime; newer ones and other files stay', () => {
    const dir = pagesDir()
    const now = Date.now()
    const leftover = writeOneOffRedirectPage(dir, 'http://127.0.0.1:9/authorize?state=left-over-state')
    age(leftover, now, REDIRECT_PAGE_LIFETIME_MS + 1000)
    const current = writeOneOffRedirectPage(dir, 'http://127.0.0.1:9/authorize?state=current-state')
    age(current, now, REDIRECT_PAGE_LIFETIME_MS - 1000)
    const other = join(dir, 'notes.html')
    writeFileSync(other, 'not a forwarding page')
    age(other, now, 10 * REDIRECT_PAGE_LIFETIME_MS)

    expect(sweepRedirectPages(dir, now)).toBe(1)
    expect(existsSync(leftover)).toBe(false)
    expect(readdirSync(dir).sort()).toEqual([current.slice(dir.length + 1), 'notes.html'].sort())
  })

  it('sweeps a folder that does not exist without failing', () => {
    expect(sweepRedirectPages(join(pagesDir(), 'missing'))).toBe(0)
  })
})
