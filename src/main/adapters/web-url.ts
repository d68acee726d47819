/**
 * The only URLs ever handed to a browser: https anywhere, plain http only to this machine's
 * loopback (a local identity provider). Never file:, javascript:, or a custom scheme.
 */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]'])

export function assertWebUrl(url: string): string {
  const parsed = new URL(url)
  if (parsed.protocol === 'https:') return parsed.href
  if (parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname)) return parsed.href
  throw new Error(`Refusing to open ${parsed.protocol}//${parsed.host} in the browser`)
}
