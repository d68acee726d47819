/**
 * A page with a first frame in it: the markup in #app, the answers before the page's first inline
 * script (which the bridge is), and a policy that allows the frame's style attributes by hash and
 * nothing that only looks like one.
 */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { metaPolicy, pagePolicy } from '../security/content-security-policy.ts'
import { withFirstFrame } from './framed-page.ts'

const HTML =
  '<html><head><meta http-equiv="Content-Security-Policy" content="x" /><script>bridge()</script><script type="module">app()</script></head><body><div id="app"></div></body></html>'
const ANSWERS = '<script type="application/json" id="latchkey-first-answers">{"a":"\\u003c/script>"}</script>'
const hash = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`

describe('a page with its first frame', () => {
  it('has the markup in #app, the answers first in the head, and one policy in the header and the meta element', () => {
    const page = { html: HTML, policy: pagePolicy(HTML) }
    const markup = '<div class="spacer" style="height: 880px;"><div role="option" title="a &quot;b&quot; > c" style="transform: translateY(88px);">A &amp; B</div></div>'
    const framed = withFirstFrame(page, { markup, answers: ANSWERS })
    expect(framed.html).toContain(`<head><meta http-equiv="Content-Security-Policy" content="${metaPolicy(framed.policy)}" />${ANSWERS}<script>bridge()</script>`)
    expect(framed.html).toContain(`<body><div id="app">${markup}</div></body>`)
    // The scripts are allowed as before (the data block is no script); each style attribute by its hash.
    expect(framed.policy).toContain(`script-src 'self' ${hash('bridge()')} ${hash('app()')};`)
    expect(framed.policy).toContain(`'unsafe-hashes' ${hash('height: 880px;')} ${hash('transform: translateY(88px);')};`)
    expect(framed.policy).not.toContain('unsafe-inline')
  })

  it('allows no style that is only text in the frame (a label)', () => {
    const page = { html: HTML, policy: pagePolicy(HTML) }
    const framed = withFirstFrame(page, { markup: '<span title="x"> style="color: red"</span> style="color: red"', answers: ANSWERS })
    expect(framed.policy).toBe(page.policy)
  })

  it('does not go into a page without an empty #app', () => {
    const html = HTML.replace('<div id="app"></div>', '<div id="app">x</div>')
    expect(() => withFirstFrame({ html, policy: pagePolicy(html) }, { markup: '<p>A</p>', answers: ANSWERS })).toThrow(/#app/)
  })
})
