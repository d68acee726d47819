import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { commandFor, systemBrowser } from './system-browser.ts'
import { useTempDirs } from '../../dev/temp-dirs.ts'

const tempDir = useTempDirs()

const SIGN_IN_URL = 'https://id.example.com/authorize?client_id=app&state=s3cr3t-state-value&code_challenge=pkce-challenge-value&a=1&b=2;echo%20x'

/** A $BROWSER that records its pid and its argument, then stays up until told to stop (or its folder is gone). */
function recordingOpener(dir: string, exitCode = 0, linger = true): string {
  const script = join(dir, 'opener.cjs')
  writeFileSync(
    script,
    `const fs = require('fs')
fs.writeFileSync(${JSON.stringify(join(dir, 'pid'))}, String(process.pid))
fs.writeFileSync(${JSON.stringify(join(dir, 'args.json'))}, JSON.stringify(process.argv.slice(2)))
if (${String(linger)}) { const stop = ${JSON.stringify(join(dir, 'stop'))}; const t = setInterval(() => { if (fs.existsSync(stop) || !fs.existsSync(${JSON.stringify(dir)})) { clearInterval(t); process.exit(${String(exitCode)}) } }, 20) }
else process.exit(${String(exitCode)})
`,
  )
  return `${process.execPath} ${script}`
}

/** Tells a lingering opener to stop, and waits until it has (it may not have written its pid yet: the grace can end first on a busy machine). */
async function stopOpener(dir: string): Promise<void> {
  const pidFile = join(dir, 'pid')
  await expect.poll(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '', { timeout: 5000 }).toBe(true)
  const pid = readFileSync(pidFile, 'utf8')
  writeFileSync(join(dir, 'stop'), '')
  await expect.poll(() => existsSync(`/proc/${pid}`), { timeout: 5000 }).toBe(false)
}

describe('systemBrowser', () => {
  it('picks $BROWSER, then the platform opener, never a shell', () => {
    expect(commandFor({ BROWSER: 'firefox --new-tab' }, 'linux')).toEqual(['firefox', '--new-tab'])
    expect(commandFor({}, 'linux')).toEqual(['xdg-open'])
    expect(commandFor({}, 'darwin')).toEqual(['open'])
    expect(commandFor({}, 'win32')).toEqual(['rundll32', 'url.dll,FileProtocolHandler'])
  })

  it.runIf(process.platform === 'linux')('puts no sign-in URL, state or PKCE challenge on the command line of what it spawns', async () => {
    const dir = tempDir('lk-browser-')
    const pagesDir = join(dir, 'pages')
    const browser = systemBrowser({ env: { BROWSER: recordingOpener(dir) }, platform: 'linux', pagesDir, graceMs: 100 })
    const opened = browser.open(SIGN_IN_URL)
    await expect.poll(() => existsSync(join(dir, 'pid')), { timeout: 5000 }).toBe(true)
    // What every user of this machine can read while the opener runs.
    const cmdline = readFileSync(`/proc/${readFileSync(join(dir, 'pid'), 'utf8')}/cmdline`, 'utf8').split('\0')
    for (const part of ['s3cr3t-state-value', 'pkce-challenge-value', 'id.example.com', 'authorize']) {
      expect(cmdline.join(' ')).not.toContain(part)
    }
    await opened
    await stopOpener(dir)
    // It got a private page that forwards to the URL instead.
    const [page] = JSON.parse(readFileSync(join(dir, 'args.json'), 'utf8')) as string[]
    expect(page?.startsWith(pagesDir)).toBe(true)
    expect(statSync(page ?? '').mode & 0o777).toBe(0o600)
    expect(statSync(pagesDir).mode & 0o777).toBe(0o700)
    expect(readFileSync(page ?? '', 'utf8')).toContain(`content="0;url=${SIGN_IN_URL.replaceAll('&', '&amp;')}"`)
  })

  it('reports an opener that cannot start or exits with an error', async () => {
    const dir = tempDir('lk-browser-')
    const pagesDir = join(dir, 'pages')
    await expect(systemBrowser({ env: { BROWSER: join(dir, 'no-such-browser') }, platform: 'linux', pagesDir }).open(SIGN_IN_URL)).rejects.toThrow(
      /no-such-browser could not be started/,
    )
    await expect(systemBrowser({ env: { BROWSER: recordingOpener(dir, 3, false) }, platform: 'linux', pagesDir }).open(SIGN_IN_URL)).rejects.toThrow(
      /failed \(exit code 3\)/,
    )
  })

  it('counts an opener that exits cleanly, or is still running after the grace, as opened', async () => {
    const dir = tempDir('lk-browser-')
    const pagesDir = join(dir, 'pages')
    await expect(systemBrowser({ env: { BROWSER: recordingOpener(dir, 0, false) }, platform: 'linux', pagesDir }).open(SIGN_IN_URL)).resolves.toBeUndefined()
    const lingering = tempDir('lk-browser-')
    await expect(systemBrowser({ env: { BROWSER: recordingOpener(lingering) }, platform: 'linux', pagesDir, graceMs: 50 }).open(SIGN_IN_URL)).resolves.toBeUndefined()
    await stopOpener(lingering)
  })

  it('refuses what is not a web URL before starting anything', async () => {
    const pagesDir = join(tempDir('lk-browser-'), 'pages')
    await expect(systemBrowser({ env: { BROWSER: 'true' }, platform: 'linux', pagesDir }).open('file:///etc/passwd')).rejects.toThrow(/Refusing/)
    expect(existsSync(pagesDir)).toBe(false)
  })
})
