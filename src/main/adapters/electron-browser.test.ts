import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { electronBrowser } from './electron-browser.ts'
import { useTempDirs } from '../../dev/temp-dirs.ts'

const tempDir = useTempDirs()

const URL_WITH_STATE = 'https://id.example.com/authorize?state=s3cr3t&code_challenge=c'

/** Records what Electron's shell was asked to do (Electron itself cannot run in unit tests). */
function recordingShell(openPathAnswer = '') {
  const calls: { openExternal: string[]; openPath: string[] } = { openExternal: [], openPath: [] }
  return {
    calls,
    shell: {
      openExternal: (url: string) => {
        calls.openExternal.push(url)
        return Promise.resolve()
      },
      openPath: (path: string) => {
        calls.openPath.push(path)
        return Promise.resolve(openPathAnswer)
      },
    },
  }
}

describe('electronBrowser', () => {
  it('on Linux hands xdg-open a private forwarding page, never the URL', async () => {
    const pagesDir = join(tempDir('lk-eb-'), 'open')
    const { calls, shell } = recordingShell()
    await electronBrowser(shell, { platform: 'linux', pagesDir }).open(URL_WITH_STATE)
    expect(calls.openExternal).toEqual([])
    const [page] = calls.openPath
    expect(page?.startsWith(pagesDir)).toBe(true)
    expect(page).not.toContain('s3cr3t')
    expect(statSync(page ?? '').mode & 0o777).toBe(0o600)
    expect(readFileSync(page ?? '', 'utf8')).toContain('url=https://id.example.com/authorize?state=s3cr3t&amp;code_challenge=c')
  })

  it('on Windows and macOS uses openExternal, which passes no command line', async () => {
    for (const platform of ['win32', 'darwin'] as const) {
      const { calls, shell } = recordingShell()
      await electronBrowser(shell, { platform, pagesDir: '/nonexistent' }).open(URL_WITH_STATE)
      expect(calls.openExternal).toEqual([URL_WITH_STATE])
    }
  })

  it('reports a page the desktop could not open, and refuses non-web URLs', async () => {
    const pagesDir = join(tempDir('lk-eb-'), 'open')
    const { shell } = recordingShell('No application is registered as handling this file')
    await expect(electronBrowser(shell, { platform: 'linux', pagesDir }).open(URL_WITH_STATE)).rejects.toThrow(/No application/)
    await expect(electronBrowser(shell, { platform: 'linux', pagesDir }).open('javascript:alert(1)')).rejects.toThrow(/Refusing/)
  })
})
