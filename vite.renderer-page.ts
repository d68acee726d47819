/**
 * The built renderer's index.html carries the app's styles in a `<style>` element instead of a
 * stylesheet link: the page paints without waiting for a second request, which the first frame
 * otherwise did (the stylesheet blocks it). Its Content-Security-Policy meta element then allows
 * that style, and only it, by hash (the main process sends the same policy as a header).
 */
import type { Plugin } from 'vite'
import { hasPolicyMeta, withPagePolicy } from './src/main/security/content-security-policy.ts'

const STYLESHEET = /<link\b[^>]*\brel="stylesheet"[^>]*\bhref="\.?\/?([^"]+\.css)"[^>]*>/g

export function inlineStyles(): Plugin {
  return {
    name: 'latchkey-inline-styles',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        const bundle = context.bundle
        if (!bundle) return html
        const inlined = html.replace(STYLESHEET, (tag, fileName: string) => {
          const asset = bundle[fileName]
          if (asset?.type !== 'asset') return tag
          Reflect.deleteProperty(bundle, fileName)
          const css = typeof asset.source === 'string' ? asset.source : new TextDecoder().decode(asset.source)
          if (/<\/style/i.test(css)) throw new Error(`${fileName} cannot be inlined: it holds "</style".`)
          return `<style>${css}</style>`
        })
        if (!hasPolicyMeta(inlined)) throw new Error('index.html has no Content-Security-Policy meta element.')
        return withPagePolicy(inlined)
      },
    },
  }
}
