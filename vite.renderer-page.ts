/**
 * The built renderer's index.html carries the app's styles in a `<style>` element and the app's
 * script in a `<script type="module">` element instead of a stylesheet link and a script file: the
 * page has all it needs to draw the list in its one response, instead of waiting for two more
 * requests (the stylesheet blocked the first frame; the script arrived, on a busy machine, tens of
 * milliseconds after the page). Its Content-Security-Policy meta element then allows that style
 * and that script, and only them, by hash (the main process sends the same policy as a header).
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Plugin } from 'vite'
import { hasPolicyMeta, withPagePolicy } from './src/main/security/content-security-policy.ts'

const STYLESHEET = /<link\b[^>]*\brel="stylesheet"[^>]*\bhref="\.?\/?([^"]+\.css)"[^>]*>/g
const MODULE_SCRIPT = /<script\b[^>]*\btype="module"[^>]*\bsrc="\.?\/?([^"]+\.js)"[^>]*><\/script>/g

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
        const inlined = html
          .replace(STYLESHEET, (tag, fileName: string) => {
            const asset = bundle[fileName]
            if (asset?.type !== 'asset') return tag
            const css = text(asset.source)
            if (/<\/style/i.test(css)) throw new Error(`${fileName} cannot go into the page: it holds "</style".`)
            Reflect.deleteProperty(bundle, fileName)
            return `<style>${css}</style>`
          })
          .replace(MODULE_SCRIPT, (tag, fileName: string) => {
            const chunk = bundle[fileName]
            // Only a chunk that imports nothing can stand alone in the page.
            if (chunk?.type !== 'chunk' || chunk.imports.length > 0 || chunk.dynamicImports.length > 0) return tag
            // "<script" or "</script" in the code would end (or escape) the element early.
            if (/<\/?script/i.test(chunk.code)) throw new Error(`${fileName} cannot go into the page: it holds "<script".`)
            Reflect.deleteProperty(bundle, fileName)
            // Files it names relative to itself (a worker's) stay where the build put them, next to
            // where it would have been: in the page, import.meta.url is the page's address instead.
            const selfUrl = `new URL(${JSON.stringify(`./${fileName}`)},document.baseURI).href`
            return `<script type="module">${chunk.code.replaceAll('import.meta.url', selfUrl)}</script>`
          })
        if (!hasPolicyMeta(inlined)) throw new Error('index.html has no Content-Security-Policy meta element.')
        return withPagePolicy(inlined)
      },
    },
  }
}

/**
 * The app's icon (build/icon.svg, the one the packages carry) as the page's icon, written into the
 * page as a data: address: a browser tab showing the browser shell has Latchkey's icon, and the
 * browser asks the shell for no /favicon.ico (a failed request, logged in the console, on every load).
 */
export function appIcon(file = resolve(import.meta.dirname, 'build/icon.svg')): Plugin {
  return {
    name: 'latchkey-app-icon',
    transformIndexHtml: () => [
      { tag: 'link', attrs: { rel: 'icon', type: 'image/svg+xml', href: `data:image/svg+xml;base64,${readFileSync(file).toString('base64')}` }, injectTo: 'head' },
    ],
  }
}
