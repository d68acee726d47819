/**
 * Narrow windows: the browser shell has no minimum width. jsdom lays nothing out, so these tests
 * read the style rules that apply at a given window width and check what they promise.
 */
import { compile } from 'svelte/compiler'
import { afterEach, describe, expect, it } from 'vitest'
import appSource from './App.svelte?raw'
import fieldListSource from './components/FieldList.svelte?raw'

/** Media queries measure rem against the browser default, not the page's own font size. */
const MEDIA_REM_PX = 16

/**
 * The global stylesheet as written. Vitest hands CSS imports (even `?raw`) over empty, so the test,
 * which runs in Node, reads the file itself; the page never does this.
 */
function globalCss(): string {
  const { process } = globalThis as unknown as {
    process: { getBuiltinModule(id: 'node:fs'): { readFileSync(path: string, encoding: 'utf8'): string } }
  }
  const path = decodeURIComponent(new URL(import.meta.url).pathname).replace(/[^/]+$/, 'app.css')
  return process.getBuiltinModule('node:fs').readFileSync(path, 'utf8')
}

/** The CSS a component ships, as the compiler emits it. */
function componentCss(source: string, filename: string): string {
  return compile(source, { css: 'external', filename }).css?.code ?? ''
}

function sheetOf(css: string): CSSStyleSheet {
  const style = document.createElement('style')
  style.textContent = css
  document.head.append(style)
  if (!style.sheet) throw new Error('jsdom did not parse the style sheet')
  return style.sheet
}

/** Whether a media condition like "(max-width: 40rem)" holds in a window this wide. */
function mediaHolds(condition: string, widthPx: number): boolean {
  const match = /^\(max-width:\s*([\d.]+)(rem|px)\)$/.exec(condition.trim())
  if (!match) return false
  const limit = Number(match[1]) * (match[2] === 'rem' ? MEDIA_REM_PX : 1)
  return widthPx <= limit
}

/** The last value `property` is given for rules whose selector starts with `selector`, in a window this wide. */
function declared(css: string, selector: string, property: string, widthPx: number): string {
  let value = ''
  const visit = (rules: CSSRuleList): void => {
    for (const rule of rules) {
      if (rule instanceof CSSMediaRule) {
        if (mediaHolds(rule.media.mediaText, widthPx)) visit(rule.cssRules)
      } else if (rule instanceof CSSStyleRule && rule.selectorText.split(',').some((entry) => entry.trim().startsWith(selector))) {
        value = rule.style.getPropertyValue(property) || value
      }
    }
  }
  visit(sheetOf(css).cssRules)
  return value
}

/** The tracks of a grid template, split at spaces outside parentheses. */
function tracks(template: string): string[] {
  const found: string[] = []
  let depth = 0
  let current = ''
  for (const char of template.trim()) {
    if (char === '(') depth += 1
    if (char === ')') depth -= 1
    if (char === ' ' && depth === 0) {
      if (current) found.push(current)
      current = ''
    } else current += char
  }
  if (current) found.push(current)
  return found
}

afterEach(() => {
  for (const style of document.head.querySelectorAll('style')) style.remove()
})

describe('the layout in a narrow window', () => {
  it('puts the switcher above the account at 480 px, and beside it on a wide screen', () => {
    const css = componentCss(appSource, 'App.svelte')
    expect(tracks(declared(css, '.app', 'grid-template-columns', 1200))).toHaveLength(2)
    expect(tracks(declared(css, '.app', 'grid-template-columns', 480))).toHaveLength(1)
    expect(declared(css, '.app', 'height', 480)).not.toBe('100vh')
  })

  it('lets banner text and buttons wrap instead of pushing the page sideways', () => {
    sheetOf(globalCss())
    const banner = document.createElement('div')
    banner.className = 'banner'
    document.body.append(banner)
    expect(getComputedStyle(banner).flexWrap).toBe('wrap')
    banner.remove()
  })

  it('keeps the label column of field lists to a share of the width, so values need not wrap letter by letter', () => {
    const [labels, values] = tracks(declared(componentCss(fieldListSource, 'FieldList.svelte'), 'dl', 'grid-template-columns', 480))
    const share = /(\d+(?:\.\d+)?)%/.exec(labels ?? '')
    expect(share, `label column "${labels}" has no upper share`).not.toBeNull()
    expect(Number(share?.[1])).toBeLessThanOrEqual(50)
    expect(values).toMatch(/1fr/)
  })
})
