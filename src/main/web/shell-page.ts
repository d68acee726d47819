/**
 * The page the browser shell serves at `/`: the built index.html with the bridge (web-bridge.js, a
 * classic script) written into its head, so the bridge runs while the page is parsed and its first
 * calls (the first page of accounts above all) go out before the app's script has arrived. The
 * page's policy allows that script and the page's inline styles by hash, nothing else inline; the
 * same policy goes in the page's meta element and in the response header.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pagePolicy, withPagePolicy } from '../security/content-security-policy.ts'
import { encodedOnce, type Encoded } from './compressed-files.ts'

export interface ShellPage {
  html: string
  policy: string
  /** The page as sent for a request's Accept-Encoding: brotli or gzip (each made once), else as it is. */
  encoded(acceptEncoding: string | undefined): Promise<Encoded>
}

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
  return { html, policy: pagePolicy(html), encoded: encodedOnce(Buffer.from(html)) }
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
