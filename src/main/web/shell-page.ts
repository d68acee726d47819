/**
 * The page the browser shell serves at `/`: the built index.html with the bridge (web-bridge.js, a
 * classic script) written into its head, so the bridge runs while the page is parsed and its first
 * calls (the first page of accounts above all) go out before the app's script has arrived. The
 * page's policy allows that script and the page's inline styles by hash, nothing else inline; the
 * same policy goes in the page's meta element and in the response header.
 */
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pagePolicy, withPagePolicy } from '../security/content-security-policy.ts'
import { encodedOnce, type Encoded } from './compressed-files.ts'

export interface ShellPage {
  html: string
  policy: string
  /** The page as sent for a request's Accept-Encoding: brotli or gzip (each made once), else as it is. */
  encoded(acceptEncoding: string | undefined): Promise<Encoded>
  /**
   * The page a drawn first frame goes into (see framed-page.ts): the app's script, when it is in
   * the page, moved to a file of its own (`app`). In the page, the browser compiles and runs it
   * (hydrating the frame) as the parse ends, before the frame is painted; as a file, it arrives
   * after the parse, and the frame is painted first.
   */
  framable: { html: string; policy: string }
  /** That file's path and content; null when the app's script was not in the page. */
  app: { path: string; code: Buffer } | null
}

/** The app's script as the build writes it into the page (see vite.renderer-page.ts). */
const APP_SCRIPT = /<script type="module">([\s\S]*?)<\/script>/

export function shellPage(indexHtml: string, bridge: string): ShellPage {
  if (/<\/script/i.test(bridge)) throw new Error('The bridge cannot go into the page: it holds "</script".')
  // Before the page's first inline script or style (an app's script file, whose tag comes before
  // them, is asked for first), after the policy's meta element, which must come first to cover it.
  // It runs before the app, a module, which waits for the end of the parse.
  const at = indexHtml.search(/<script\b(?![^>]*\bsrc\s*=)[^>]*>|<style\b/i)
  const head = indexHtml.indexOf('</head>')
  if (head < 0) throw new Error('The page has no </head>.')
  const where = at >= 0 && at < head ? at : head
  const html = withPagePolicy(`${indexHtml.slice(0, where)}<script>${bridge}</script>${indexHtml.slice(where)}`)
  const script = APP_SCRIPT.exec(html)
  const code = script?.[1]
  const app = script && code !== undefined ? { path: `/assets/app-${createHash('sha256').update(code).digest('base64url').slice(0, 12)}.js`, code: Buffer.from(code) } : null
  const framableHtml = script && app ? withPagePolicy(html.slice(0, script.index) + `<script type="module" src="${app.path}"></script>` + html.slice(script.index + script[0].length)) : html
  return { html, policy: pagePolicy(html), encoded: encodedOnce(Buffer.from(html)), framable: { html: framableHtml, policy: pagePolicy(framableHtml) }, app }
}

/** Reads the built page and bridge once; a failed read is tried again on the next request. */
export function shellPageFrom(rendererDir: string): () => Promise<ShellPage | null> {
  let page: Promise<ShellPage | null> | null = null
  return () => {
    page ??= Promise.all([readFile(join(rendererDir, 'index.html'), 'utf8'), readFile(join(rendererDir, 'web-bridge.js'), 'utf8')]).then(
      ([html, bridge]) => shellPage(html, bridge),
      () => ((page = null), null),
    )
    return page
  }
}
