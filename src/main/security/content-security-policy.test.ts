import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY, metaPolicy, pagePolicy, withPagePolicy } from './content-security-policy.ts'

const hash = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`
const directive = (policy: string, name: string): string => policy.split('; ').find((d) => d.startsWith(`${name} `)) ?? ''

describe('a page’s policy', () => {
  it('is the renderer’s policy for a page without inline scripts or styles', () => {
    expect(pagePolicy('<html><head><script type="module" src="./a.js"></script></head></html>')).toBe(CONTENT_SECURITY_POLICY)
  })

  it('allows each inline script and style of the page by its hash, and nothing else inline', () => {
    const script = 'window.x = 1'
    const style = 'body{margin:0}'
    const policy = pagePolicy(`<head><script src="./a.js"></script><script>${script}</script><style>${style}</style></head>`)
    expect(directive(policy, 'script-src')).toBe(`script-src 'self' ${hash(script)}`)
    expect(directive(policy, 'style-src')).toBe(`style-src 'self' ${hash(style)}`)
    expect(policy).not.toContain('unsafe-inline')
    // Everything else is as strict as before.
    expect(policy.split('; ').filter((d) => !/^(script|style)-src /.test(d))).toEqual(CONTENT_SECURITY_POLICY.split('; ').filter((d) => !/^(script|style)-src /.test(d)))
  })

  it('writes the policy into the page’s meta element, leaving a page without one as it is', () => {
    const page = `<head><meta\n  http-equiv="Content-Security-Policy"\n  content="default-src 'none'"\n/><style>p{}</style></head>`
    const written = withPagePolicy(page)
    expect(written).toContain(`content="${metaPolicy(pagePolicy(page))}"`)
    expect(pagePolicy(written)).toBe(pagePolicy(page))
    expect(withPagePolicy('<head><style>p{}</style></head>')).toBe('<head><style>p{}</style></head>')
  })

  it('leaves out of the meta element what only a header can carry (the browser ignores it there, with an error on every load), and nothing else', () => {
    const policy = pagePolicy('<head><style>p{}</style></head>')
    expect(policy).toContain("frame-ancestors 'none'")
    const meta = metaPolicy(policy)
    expect(meta.split('; ')).toEqual(policy.split('; ').filter((d) => !d.startsWith('frame-ancestors ')))
    expect(metaPolicy("default-src 'none'; sandbox; report-uri /r; img-src 'self'")).toBe("default-src 'none'; img-src 'self'")
    const written = withPagePolicy(`<head><meta http-equiv="Content-Security-Policy" content="x" /><style>p{}</style></head>`)
    expect(written).not.toContain('frame-ancestors')
    expect(written).toContain(directive(policy, 'style-src'))
  })
})
