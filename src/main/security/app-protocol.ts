/**
 * Serves the renderer from the privileged `app://latchkey/` scheme instead of file:// (Electron
 * checklist item 18), with the CSP as a response header.
 */
import { readFile } from 'node:fs/promises'
import type { Protocol } from 'electron'
import { contentTypeOf, resolveStaticPath } from '../static-files.ts'
import type { Logger } from '../core/ports.ts'
import { withFirstFrameOrNone, type FirstFrame } from '../web/framed-page.ts'
import { CONTENT_SECURITY_POLICY, pagePolicy } from './content-security-policy.ts'

export const APP_SCHEME = 'app'
export const APP_ORIGIN = 'app://latchkey'

export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
} as const

/**
 * `firstFrame`: the account list's first frame for the page being asked for (src/main/web/first-frame.ts),
 * drawn into index.html; null serves the page as built.
 */
export function serveRenderer(protocol: Protocol, rendererDir: string, logger: Logger, firstFrame: () => Promise<FirstFrame | null> = () => Promise.resolve(null)): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url)
    const path = url.host === 'latchkey' ? resolveStaticPath(rendererDir, url.pathname) : null
    if (!path) return new Response('Not found', { status: 404 })
    try {
      const isPage = path.endsWith('index.html')
      const [body, frame] = await Promise.all([readFile(path), isPage ? firstFrame() : null])
      const headers = { 'content-type': contentTypeOf(path), 'x-content-type-options': 'nosniff' }
      if (!path.endsWith('.html')) return new Response(body, { headers: { ...headers, 'content-security-policy': CONTENT_SECURITY_POLICY } })
      // A page's own inline scripts and styles (written in at build) are allowed by hash, nothing else inline.
      const html = body.toString('utf8')
      const page = { html, policy: pagePolicy(html) }
      const served = (frame && withFirstFrameOrNone(page, frame, logger)) ?? page
      return new Response(served.html, { headers: { ...headers, 'content-security-policy': served.policy, 'cache-control': 'no-store' } })
    } catch {
      return new Response('Not found', { status: 404 })
    }
  })
}
