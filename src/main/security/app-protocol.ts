/**
 * Serves the renderer from the privileged `app://latchkey/` scheme instead of file:// (Electron
 * checklist item 18), with the CSP as a response header.
 */
import { readFile } from 'node:fs/promises'
import type { Protocol } from 'electron'
import { contentTypeOf, resolveStaticPath } from '../static-files.ts'
import { CONTENT_SECURITY_POLICY, pagePolicy } from './content-security-policy.ts'

export const APP_SCHEME = 'app'
export const APP_ORIGIN = 'app://latchkey'

export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
} as const

export function serveRenderer(protocol: Protocol, rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url)
    const path = url.host === 'latchkey' ? resolveStaticPath(rendererDir, url.pathname) : null
    if (!path) return new Response('Not found', { status: 404 })
    try {
      const body = await readFile(path)
      return new Response(body, {
        headers: {
          'content-type': contentTypeOf(path),
          // A page's own inline styles (written in at build) are allowed by hash, nothing else inline.
          'content-security-policy': path.endsWith('.html') ? pagePolicy(body.toString('utf8')) : CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
        },
      })
    } catch {
      return new Response('Not found', { status: 404 })
    }
  })
}
