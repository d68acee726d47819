/**
 * The rules every backend applies to a server address the person typed: a full https URL, or plain
 * http only towards a loopback host (local test and demo servers), and nothing in it that does not
 * belong in a base address (a query, a fragment, credentials).
 */

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]'])

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase())
}

export interface ServerUrlWording {
  /** What the address is called in messages, e.g. 'issuer URL' or 'server address'. */
  noun: string
  /** A sample address for the "Enter a full URL such as …" message. */
  example: string
}

/** Why `value` cannot be used as a server's base address, or null when it can. */
export function serverUrlProblem(value: string, wording: ServerUrlWording): string | null {
  const url = URL.parse(value)
  if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:')) return `Enter a full URL such as ${wording.example}.`
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) return `Use an https:// ${wording.noun}.`
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    return `The ${wording.noun} cannot contain a query, a fragment or credentials.`
  }
  return null
}
