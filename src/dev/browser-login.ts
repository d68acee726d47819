/**
 * A stand-in for the person in the browser, for tests that need a sign-in without Chromium: drives
 * the login and consent pages of the local OpenID Connect server (`oidc-server.ts`, its forms marked
 * `data-step`), of Keycloak (its own theme's forms) or of the zitadel/oidc example provider (a
 * login form only) with plain `fetch` and a small cookie jar,
 * following redirects by hand, until the server redirects to the app's loopback receiver, which it
 * then visits like a browser would.
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
    const login = loginForm(html, user)
    if (login !== null) {
      if (triedLogin) throw new Error('The sign-in page rejected the username or password.')
      triedLogin = true
      request = { url: new URL(login.action, request.url), form: login.fields }
      continue
    }
    const consent = consentForm(html, options.deny === true)
    if (consent === null) throw new Error('The page is neither a login nor a consent page.')
    request = { url: new URL(consent.action, request.url), form: consent.fields }
  }
  throw new Error('The sign-in did not reach the app after too many steps.')
}

function isRedirectTarget(url: URL, redirectUri: URL): boolean {
  return url.protocol === redirectUri.protocol && url.hostname === redirectUri.hostname && url.pathname === redirectUri.pathname && url.port === redirectUri.port
}

interface PageForm {
  action: string
  fields: URLSearchParams
}

interface Form {
  tag: string
  body: string
}

function forms(html: string): Form[] {
  return [...html.matchAll(/(<form\b[^>]*>)([\s\S]*?)<\/form>/g)].map(([, tag = '', body = '']) => ({ tag, body }))
}

function attribute(tag: string, name: string): string | null {
  const value = new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1]
  return value === undefined ? null : value.replaceAll('&amp;', '&')
}

/** The form's hidden fields (Keycloak's consent carries its code in one) and `extra`. */
function filled(form: Form, extra: Record<string, string>): PageForm | null {
  const action = attribute(form.tag, 'action')
  if (action === null) return null
  const fields = new URLSearchParams()
  for (const [input] of form.body.matchAll(/<input\b[^>]*>/g)) {
    const name = attribute(input, 'name')
    if (name !== null && attribute(input, 'type') === 'hidden') fields.set(name, attribute(input, 'value') ?? '')
  }
  for (const [name, value] of Object.entries(extra)) fields.set(name, value)
  return { action, fields }
}

/** The login form: the local server's (`login`, `password`), Keycloak's or the zitadel/oidc example's (`username`, `password`). */
function loginForm(html: string, user: { login: string; password: string }): PageForm | null {
  for (const form of forms(html)) {
    if (form.tag.includes('data-step="login"')) return filled(form, { login: user.login, password: user.password })
    if (form.tag.includes('id="kc-form-login"') || form.tag.includes('action="/login/username"')) return filled(form, { username: user.login, password: user.password })
  }
  return null
}

/** The button that allows or denies: the local server's forms, or Keycloak's consent form (its `accept` or `cancel`). */
function consentForm(html: string, deny: boolean): PageForm | null {
  for (const form of forms(html)) {
    if (form.tag.includes(`data-step="${deny ? 'deny' : 'consent'}"`)) return filled(form, {})
    if (/\baction="[^"]*\/login-actions\/consent\b/.test(form.tag)) return filled(form, deny ? { cancel: 'No' } : { accept: 'Yes' })
  }
  return null
}
