/**
 * The built renderer's index.html carries the app's styles in a `<style>` element instead of a
 * stylesheet link: the stylesheet blocked the first frame until a second request came back. Its
 * Content-Security-Policy meta element then allows that style, and only it, by hash (the main
 * process sends the same policy as a header).
 *
 * The app's script stays a file of its own (`assets/index-<hash>.js`, which the browser shell sends
 * with `Cache-Control: immutable`), with `//# allFunctionsCalledOnLoad` as its first line (see
 * `COMPILE_HINT`): Chromium then streams it in and compiles every function of it on a background
 * thread while the page is parsed and the bridge's first calls are out, and keeps the compiled code
 * (V8's code cache) for later loads. Written into the page instead, it was compiled on the page's
 * main thread, each function again when first called, and never cached.
 */
import type { Plugin } from 'vite'
import { hasPolicyMeta, withPagePolicy } from './src/main/security/content-security-policy.ts'

const STYLESHEET = /<link\b[^>]*\brel="stylesheet"[^>]*\bhref="\.?\/?([^"]+\.css)"[^>]*>/g

/**
 * V8's explicit compile hint (Chromium 136 on; a comment elsewhere): every function in the file is
 * compiled eagerly, off the main thread while the file streams in. Nearly all of the app's code runs
 * before its list is painted (the Svelte runtime, the app, the list), so compiling it lazily on the
 * main thread, function by function as first called, was the larger part of the page's own work.
 * It must be the file's first line, after minification: the entry chunk's `postBanner`.
 */
export const COMPILE_HINT = '//# allFunctionsCalledOnLoad'

function text(source: string | Uint8Array): string {
  return typeof source === 'string' ? source : new TextDecoder().decode(source)
}

export function inlinePage(): Plugin {
  return {
    name: 'latchkey-inline-page',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        const bundle = context.bundle
        if (!bundle) return html
        const inlined = html.replace(STYLESHEET, (tag, fileName: string) => {
          const asset = bundle[fileName]
          if (asset?.type !== 'asset') return tag
          const css = text(asset.source)
          if (/<\/style/i.test(css)) throw new Error(`${fileName} cannot go into the page: it holds "</style".`)
          Reflect.deleteProperty(bundle, fileName)
          return `<style>${css}</style>`
        })
        if (!hasPolicyMeta(inlined)) throw new Error('index.html has no Content-Security-Policy meta element.')
        return withPagePolicy(inlined)
      },
    },
  }
}
