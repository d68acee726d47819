/**
 * A stand-in for the person in the browser, for tests that need a sign-in without Chromium: drives
 * the login and consent pages of the local OpenID Connect server (`oidc-server.ts`) with plain
 * `fetch` and a small cookie jar, following redirects by hand, until the server redirects to the
 * app's loopback receiver, which it then visits like a browser would.
 */
import { CookieJar } from './oidc/cookie-jar.ts'

export interface BrowserLoginOptions {
  /** Press "Deny" on the consent page instead of "Allow". */
  deny?: boolean
}

const MAX_STEPS = 20

export async function completeBrowserLogin(
  authorizationUrl: string,
  user: { login: string; password: string },
  options: BrowserLoginOptions = {},
): Promise<void> {
  // Where the app listens: `redirect_uri`, or a broker's `redirect_to` (Supabase Auth signs in at another provider in between).
  const params = new URL(authorizationUrl).searchParams
  const redirectUri = new URL(params.get('redirect_uri') ?? params.get('redirect_to') ?? 'http://127.0.0.1/callback')
  const jar = new CookieJar()
  let request: { url: URL; form?: URLSearchParams } = { url: new URL(authorizationUrl) }
  let triedLogin = false

  for (let step = 0; step < MAX_STEPS; step++) {
    if (isRedirectTarget(request.url, redirectUri)) {
      const answer = await fetch(request.url)
      await answer.text()
      return
    }
    const response = await fetch(request.url, {
      method: request.form === undefined ? 'GET' : 'POST',
      body: request.form,
      headers: { cookie: jar.header(request.url) },
      redirect: 'manual',
    })
    jar.store(request.url, response.headers.getSetCookie())
    const location = response.headers.get('location')
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.text()
      request = { url: new URL(location, request.url) }
      continue
    }
    const html = await response.text()
    if (response.status !== 200) throw new Error(`The sign-in page answered HTTP ${String(response.status)}.`)
    const login = formAction(html, 'login')
    if (login !== null) {
      if (triedLogin) throw new Error('The sign-in page rejected the username or password.')
      triedLogin = true
      request = { url: new URL(login, request.url), form: new URLSearchParams({ login: user.login, password: user.password }) }
      continue
    }
    const consent = formAction(html, options.deny === true ? 'deny' : 'consent')
    if (consent === null) throw new Error('The page is neither a login nor a consent page.')
    request = { url: new URL(consent, request.url), form: new URLSearchParams() }
  }
  throw new Error('The sign-in did not reach the app after too many steps.')
}

function isRedirectTarget(url: URL, redirectUri: URL): boolean {
  return url.protocol === redirectUri.protocol && url.hostname === redirectUri.hostname && url.pathname === redirectUri.pathname && url.port === redirectUri.port
}

/** The action of the form marked `data-step="<step>"` on one of the server's own pages. */
function formAction(html: string, step: string): string | null {
  for (const [tag] of html.matchAll(/<form\b[^>]*>/g)) {
    if (!tag.includes(`data-step="${step}"`)) continue
    const action = /\baction="([^"]*)"/.exec(tag)?.[1]
    if (action !== undefined) return action.replaceAll('&amp;', '&')
  }
  return null
}
