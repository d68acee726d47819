import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { metaPolicy } from '../security/content-security-policy.ts'
import { shellPage } from './shell-page.ts'

const INDEX = `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; style-src 'self'" /><script type="module" crossorigin src="./assets/index-abc.js"></script><style>body{margin:0}</style></head><body><div id="app"></div></body></html>`
const BRIDGE = '(function(){window.latchkey={}})();'
const hash = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`

describe('the browser shell’s page', () => {
  it('holds the bridge as a script of its own after the app’s script tag, allowed by hash in the header and the meta element', () => {
    const page = shellPage(INDEX, BRIDGE)
    const at = page.html.indexOf(`<script>${BRIDGE}</script>`)
    expect(at).toBeGreaterThan(page.html.indexOf('assets/index-abc.js'))
    expect(at).toBeLessThan(page.html.indexOf('<style>'))
    expect(page.policy).toContain(`script-src 'self' ${hash(BRIDGE)}`)
    expect(page.policy).toContain(`style-src 'self' ${hash('body{margin:0}')}`)
    expect(page.html).toContain(`content="${metaPolicy(page.policy)}"`)
  })

  it('puts the bridge before an app script that is in the page, so it runs as soon as the parser reaches it', () => {
    const inline = INDEX.replace('<script type="module" crossorigin src="./assets/index-abc.js"></script>', '<script type="module">import.meta</script>')
    const page = shellPage(inline, BRIDGE)
    expect(page.html.indexOf(`<script>${BRIDGE}</script>`)).toBeLessThan(page.html.indexOf('<script type="module">'))
    expect(page.policy).toContain(`script-src 'self' ${hash(BRIDGE)} ${hash('import.meta')}`)
  })

  it('has a page for a drawn frame whose app script is a file of its own, allowed as such and no longer by hash', () => {
    const inline = INDEX.replace('<script type="module" crossorigin src="./assets/index-abc.js"></script>', () => '<script type="module">app($&)</script>')
    const page = shellPage(inline, BRIDGE)
    expect(page.app?.path).toMatch(/^\/assets\/app-[\w-]{12}\.js$/)
    expect(page.app?.code.toString()).toBe('app($&)')
    expect(page.framable.html).toContain(`<script>${BRIDGE}</script><script type="module" src="${page.app?.path ?? ''}"></script>`)
    expect(page.framable.policy).toContain(`script-src 'self' ${hash(BRIDGE)};`)
    expect(page.framable.html).toContain(`content="${metaPolicy(page.framable.policy)}"`)
    // A page whose app script is a file already has nothing to move.
    expect(shellPage(INDEX, BRIDGE).app).toBeNull()
  })

  it('refuses a bridge that would end its script element early', () => {
    expect(() => shellPage(INDEX, 'var a = "</script><script>alert(1)"')).toThrow(/<\/script/)
    expect(() => shellPage('<html><body></body></html>', BRIDGE)).toThrow(/head/)
  })
})
