/** The renderer's Content-Security-Policy (Electron checklist item 7), sent as a header too. */
import { createHash } from 'node:crypto'

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  // data: for picture previews (a chosen avatar, the current one fetched by the main process); never scripts.
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/** Inline `<script>` (without src) and `<style>` elements, with their exact text. */
const INLINE_SCRIPT = /<script\b(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script\s*>/gi
const INLINE_STYLE = /<style\b[^>]*>([\s\S]*?)<\/style\s*>/gi
const POLICY_META = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")[^"]*(")/i

function hashes(html: string, pattern: RegExp): string[] {
  return [...html.matchAll(pattern)].map((match) => `'sha256-${createHash('sha256').update(match[1] ?? '', 'utf8').digest('base64')}'`)
}

/**
 * The policy for one page: CONTENT_SECURITY_POLICY, where each inline script and style of the page
 * (the app's own, written in at build or start) is allowed by its SHA-256 hash and nothing else
 * inline is: no 'unsafe-inline', so a script injected into the page still cannot run.
 */
export function pagePolicy(html: string): string {
  const scripts = hashes(html, INLINE_SCRIPT)
  const styles = hashes(html, INLINE_STYLE)
  return CONTENT_SECURITY_POLICY.split('; ')
    .map((directive) => {
      if (directive === "script-src 'self'" && scripts.length > 0) return [directive, ...scripts].join(' ')
      if (directive === "style-src 'self'" && styles.length > 0) return [directive, ...styles].join(' ')
      return directive
    })
    .join('; ')
}

/** Whether the page has a `<meta http-equiv="Content-Security-Policy" content="…">`. */
export function hasPolicyMeta(html: string): boolean {
  return POLICY_META.test(html)
}

/** The page with its `<meta http-equiv="Content-Security-Policy">` (when it has one) set to `pagePolicy` of the page. */
export function withPagePolicy(html: string): string {
  const policy = pagePolicy(html)
  return html.replace(POLICY_META, (_, open: string, close: string) => `${open}${policy}${close}`)
}
