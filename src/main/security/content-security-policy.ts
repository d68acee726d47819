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

/**
 * Inline `<script>` (without src) and `<style>` elements, with their exact text. A data block
 * (`type="application/json"`) is no script: the browser never runs it, and it is not allowed.
 */
const INLINE_SCRIPT = /<script\b(?![^>]*\b(?:src\s*=|type="application\/json"))[^>]*>([\s\S]*?)<\/script\s*>/gi
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

/**
 * Directives a policy in a `<meta>` element cannot carry (CSP Level 3, §3.3): the browser ignores
 * them there and says so in the console as an error on every load. The header carries them.
 */
const HEADER_ONLY = new Set(['frame-ancestors', 'report-uri', 'sandbox'])

/** `policy` as a page's `<meta>` element gives it: without the directives only a header can give. */
export function metaPolicy(policy: string): string {
  return policy
    .split('; ')
    .filter((directive) => !HEADER_ONLY.has(directive.split(' ')[0] ?? ''))
    .join('; ')
}

/** The page with its `<meta http-equiv="Content-Security-Policy">` (when it has one) set to `pagePolicy` of the page. */
export function withPagePolicy(html: string): string {
  return withPolicy(html, pagePolicy(html))
}

/** An element's opening tag, and a style attribute in one (markup as a server renderer writes it: values in double quotes, escaped). */
const OPENING_TAG = /<[a-z][^\s/>]*(?:\s+[^\s"'>/=]+(?:="[^"]*")?)*\s*\/?>/gi
const STYLE_ATTRIBUTE = /\sstyle="([^"]*)"/i
const ENTITIES: Record<string, string> = { '&amp;': '&', '&quot;': '"', '&lt;': '<', '&gt;': '>', '&#39;': "'" }

/**
 * `policy` allowing, besides what it allows, the style attributes of `markup` (a first frame drawn
 * by the main process: the list's rows are placed by a style attribute each), each by the hash of
 * its exact value ('unsafe-hashes' is what lets a hash allow an attribute): still no
 * 'unsafe-inline', so a style attribute written in any other way does not apply. Only opening tags
 * are read, so text that looks like an attribute (a label) allows nothing.
 */
export function withStyleAttributes(policy: string, markup: string): string {
  const values = new Set<string>()
  for (const [tag] of markup.matchAll(OPENING_TAG)) {
    const value = STYLE_ATTRIBUTE.exec(tag)?.[1]
    if (value !== undefined) values.add(value.replace(/&(?:amp|quot|lt|gt|#39);/g, (entity) => ENTITIES[entity] ?? entity))
  }
  if (values.size === 0) return policy
  const allowed = [...values].map((value) => `'sha256-${createHash('sha256').update(value, 'utf8').digest('base64')}'`)
  return policy
    .split('; ')
    .map((directive) => (directive.startsWith('style-src ') ? [directive, "'unsafe-hashes'", ...allowed].join(' ') : directive))
    .join('; ')
}

/**
 * The page with its `<meta http-equiv="Content-Security-Policy">` (when it has one) set to
 * `policy`, as a meta element takes it (see metaPolicy); the page's header sends all of `policy`.
 */
export function withPolicy(html: string, policy: string): string {
  const meta = metaPolicy(policy)
  return html.replace(POLICY_META, (_, open: string, close: string) => `${open}${meta}${close}`)
}
