import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { commandFor, systemBrowser } from './system-browser.ts'

describe('systemBrowser', () => {
  it('picks $BROWSER, then the platform opener, never a shell', () => {
    expect(commandFor({ BROWSER: 'firefox --new-tab' }, 'linux')).toEqual(['firefox', '--new-tab'])
    expect(commandFor({}, 'linux')).toEqual(['xdg-open'])
    expect(commandFor({}, 'darwin')).toEqual(['open'])
    expect(commandFor({}, 'win32')).toEqual(['rundll32', 'url.dll,FileProtocolHandler'])
  })

  it('hands the URL over as one argument, & and all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lk-browser-'))
    const out = join(dir, 'args.json')
    const script = `require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.argv.slice(1)))`
    const browser = systemBrowser({ BROWSER: `${process.execPath} -e ${script.replaceAll(' ', '')}` }, 'linux')
    await browser.open('https://id.example.com/authorize?a=1&b=2;echo%20x')
    await expect.poll(() => readFileSync(out, 'utf8'), { timeout: 5000 }).toBe(JSON.stringify(['https://id.example.com/authorize?a=1&b=2;echo%20x']))
  })

  it('refuses what is not a web URL before starting anything', async () => {
    await expect(systemBrowser({ BROWSER: 'true' }, 'linux').open('file:///etc/passwd')).rejects.toThrow(/Refusing/)
  })
})
