/**
 * The login and consent pages ORY Hydra sends the browser to (Hydra has no login UI of its own):
 * a password form for the demo users and a consent page with Allow and Deny, marked the way
 * browser-login.ts finds them (`data-step="login"`, `"consent"`, `"deny"`). Each answer goes back
 * to Hydra through its admin API, which says where the browser goes next. A logout request is
 * accepted at once. The challenge travels in the form's action URL, as Hydra's own example does.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { readBodyUpTo } from '../request-body.ts'
import { claimsOf, type DemoUser } from '../oidc/demo-users.ts'
import { consentPage, loginPage, PAGE_HEADERS } from '../oidc/pages.ts'

/** Which ID-token and userinfo claims each scope grants (OpenID Connect Core §5.4). */
const SCOPE_CLAIMS: Record<string, readonly string[]> = {
  profile: ['name', 'given_name', 'family_name', 'preferred_username'],
  email: ['email', 'email_verified'],
}

export function createLoginApp(adminUrl: () => string, users: readonly DemoUser[]): Server {
  const admin = async (method: 'GET' | 'PUT', path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(`${adminUrl()}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const answer = (await response.json()) as Record<string, unknown>
    if (!response.ok) throw new Error(`Hydra admin ${method} ${path.split('?')[0] ?? ''}: HTTP ${String(response.status)} ${JSON.stringify(answer.error ?? null)}`)
    return answer
  }
  const follow = (response: ServerResponse, answer: Record<string, unknown>): void => {
    response.writeHead(302, { location: String(answer.redirect_to) }).end()
  }

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    const post = request.method === 'POST'
    const form = new URLSearchParams(post ? ((await readBodyUpTo(request, 64 * 1024)) ?? '').toString() : '')
    const decision = url.searchParams.get('decision')
    if (url.pathname === '/login') {
      const challenge = url.searchParams.get('login_challenge') ?? ''
      const query = `login_challenge=${encodeURIComponent(challenge)}`
      const login = await admin('GET', `/admin/oauth2/auth/requests/login?${query}`)
      if (login.skip === true) {
        follow(response, await admin('PUT', `/admin/oauth2/auth/requests/login/accept?${query}`, { subject: login.subject }))
        return
      }
      if (post && decision === 'abort') {
        follow(response, await admin('PUT', `/admin/oauth2/auth/requests/login/reject?${query}`, { error: 'access_denied', error_description: 'The person cancelled the sign-in.' }))
        return
      }
      const user = users.find((candidate) => candidate.id === form.get('login') && candidate.password === form.get('password'))
      if (post && user !== undefined) {
        follow(response, await admin('PUT', `/admin/oauth2/auth/requests/login/accept?${query}`, { subject: user.id, remember: false }))
        return
      }
      html(
        response,
        loginPage({
          action: `/login?${query}`,
          abortAction: `/login?${query}&decision=abort`,
          ...(post ? { login: form.get('login') ?? '', error: 'Wrong username or password.' } : {}),
        }),
      )
      return
    }
    if (url.pathname === '/consent') {
      const challenge = url.searchParams.get('consent_challenge') ?? ''
      const query = `consent_challenge=${encodeURIComponent(challenge)}`
      const consent = await admin('GET', `/admin/oauth2/auth/requests/consent?${query}`)
      const scopes = Array.isArray(consent.requested_scope) ? consent.requested_scope.map(String) : []
      if (post && decision === 'deny') {
        follow(response, await admin('PUT', `/admin/oauth2/auth/requests/consent/reject?${query}`, { error: 'access_denied', error_description: 'The person declined the request.' }))
        return
      }
      if ((post && decision === 'allow') || consent.skip === true) {
        const user = users.find((candidate) => candidate.id === consent.subject)
        const claims = user === undefined ? {} : claimsOf(user)
        const granted = Object.fromEntries(Object.entries(claims).filter(([name]) => scopes.some((scope) => SCOPE_CLAIMS[scope]?.includes(name))))
        follow(
          response,
          await admin('PUT', `/admin/oauth2/auth/requests/consent/accept?${query}`, {
            grant_scope: scopes,
            grant_access_token_audience: consent.requested_access_token_audience ?? [],
            remember: false,
            session: { id_token: granted },
          }),
        )
        return
      }
      const client = consent.client as { client_name?: unknown } | undefined
      html(
        response,
        consentPage({
          action: `/consent?${query}&decision=allow`,
          abortAction: `/consent?${query}&decision=deny`,
          userName: String(consent.subject),
          clientName: typeof client?.client_name === 'string' && client.client_name !== '' ? client.client_name : 'The app',
          scopes,
        }),
      )
      return
    }
    if (url.pathname === '/logout') {
      const query = `logout_challenge=${encodeURIComponent(url.searchParams.get('logout_challenge') ?? '')}`
      follow(response, await admin('PUT', `/admin/oauth2/auth/requests/logout/accept?${query}`))
      return
    }
    response.writeHead(404).end()
  }

  return createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' })
      response.end(error instanceof Error ? error.message : 'error')
    })
  })
}

function html(response: ServerResponse, body: string): void {
  response.writeHead(200, PAGE_HEADERS).end(body)
}
