/**
 * Just enough of a browser's cookie jar for `browser-login.ts`: one host, path matching, and
 * deletion by an expiry in the past. Not a general implementation (no domains, no SameSite).
 */

interface Cookie {
  name: string
  value: string
  path: string
}

export class CookieJar {
  readonly #cookies = new Map<string, Cookie>()

  /** Records the `Set-Cookie` headers of a response to `url`. */
  store(url: URL, setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim())
      const separator = pair.indexOf('=')
      if (separator <= 0) continue
      const cookie: Cookie = { name: pair.slice(0, separator), value: pair.slice(separator + 1), path: defaultPath(url) }
      let expired = false
      for (const attribute of attributes) {
        const [key = '', value = ''] = attribute.split('=', 2)
        const name = key.toLowerCase()
        if (name === 'path' && value.startsWith('/')) cookie.path = value
        if (name === 'max-age' && Number(value) <= 0) expired = true
        if (name === 'expires' && Date.parse(value) <= Date.now()) expired = true
      }
      const key = `${cookie.name};${cookie.path}`
      if (expired) this.#cookies.delete(key)
      else this.#cookies.set(key, cookie)
    }
  }

  /** The `Cookie` header for a request to `url`. */
  header(url: URL): string {
    return [...this.#cookies.values()]
      .filter((cookie) => pathMatches(url.pathname, cookie.path))
      .sort((a, b) => b.path.length - a.path.length)
      .map((cookie) => `${cookie.name}=${cookie.value}`)
      .join('; ')
  }
}

function defaultPath(url: URL): string {
  const last = url.pathname.lastIndexOf('/')
  return last <= 0 ? '/' : url.pathname.slice(0, last)
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true
  if (!requestPath.startsWith(cookiePath)) return false
  return cookiePath.endsWith('/') || requestPath.charAt(cookiePath.length) === '/'
}
