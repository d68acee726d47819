/**
 * The mobile PKCE sign-in (features/auth/mobile-auth, @teable/openapi auth/mobile-auth): the app
 * opens `/auth/mobile?code_challenge=…&state=…&redirect_uri=…`; that page has the signed-in browser
 * call `POST /api/auth/mobile/code {codeChallenge, state, redirectUri}`, which makes a 5-minute
 * single-use code bound to the S256 challenge (43 base64url characters) and answers 201
 * `{redirectUrl}` = the redirect with `code` and `state` appended; the redirect's scheme must be in
 * MOBILE_AUTH_REDIRECT_SCHEMES (400 `redirect_uri scheme "http" is not allowed`) and carry no
 * fragment. The app's `POST /api/auth/mobile/exchange {code, codeVerifier}` burns the code first,
 * then checks the verifier (400 `Invalid code_verifier`), and signs the request in (200, the user,
 * the session cookie). The page is the emulator's stand-in for Teable's web app (which signs in
 * first when needed).
 */
import { createHash, randomBytes } from 'node:crypto'
import { badRequest, forbidden, TeableError } from '../errors.ts'
import { sessionCookie, setCookie, stringField } from '../http.ts'
import type { Ctx } from '../http.ts'
import type { TeableState, User } from '../state.ts'
import { startSession } from './sign-in.ts'
import { route } from './table.ts'

const CODE_TTL_MS = 5 * 60_000
const VERIFIER = /^[\w\-.~]{43,128}$/

/** The app redirect URL carrying a new code and the app's state (what `POST /api/auth/mobile/code` answers). */
function makeCode(state: TeableState, user: User, redirectUri: string, challenge: string, appState: string): string {
  if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) throw badRequest('Invalid code_challenge')
  if (appState === '' || appState.length > 256) throw badRequest('Invalid state')
  const url = URL.parse(redirectUri)
  if (url === null) throw badRequest('Invalid redirect_uri')
  const scheme = url.protocol.replace(/:$/, '').toLowerCase()
  if (!state.mobileSchemes.includes(scheme)) throw badRequest(`redirect_uri scheme "${scheme}" is not allowed`)
  if (url.hash !== '') throw badRequest('redirect_uri must not carry a fragment')
  const code = randomBytes(32).toString('base64url')
  state.issued.push(code)
  state.mobileCodes.set(code, { userId: user.id, challenge, redirectUri, expiresAt: state.now() + CODE_TTL_MS })
  url.searchParams.set('code', code)
  url.searchParams.set('state', appState)
  return url.href
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${String(c.charCodeAt(0))};`)
}

function sendPage(ctx: Ctx, status: number, html: string, headers: Record<string, string> = {}): void {
  ctx.res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers })
  ctx.res.end(html)
}

function browserUser(state: TeableState, ctx: Ctx): User | undefined {
  const session = state.sessionOf(sessionCookie(ctx.req.headers.cookie))
  return session ? state.findById(session.userId) : undefined
}

async function formValues(ctx: Ctx): Promise<URLSearchParams> {
  const chunks: Buffer[] = []
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) chunks.push(chunk)
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
}

export const MOBILE_ROUTES = [
  route('GET', '/auth/mobile', (state, ctx) => {
    const query = ctx.url.searchParams
    const user = browserUser(state, ctx)
    const hidden = ['redirect_uri', 'code_challenge', 'state']
      .map((key) => `<input type="hidden" name="${key}" value="${escape(query.get(key) ?? '')}">`)
      .join('')
    const credentials = user
      ? `<p>Signed in as ${escape(user.email)}.</p>`
      : '<p><label>Email <input name="email" type="email" autocomplete="username"></label></p><p><label>Password <input name="password" type="password" autocomplete="current-password"></label></p>'
    sendPage(ctx, 200, page('Allow the app to sign in to Teable', `<form method="post" action="/auth/mobile">${hidden}${credentials}<button type="submit">Allow</button></form>`))
  }),
  route('POST', '/auth/mobile', async (state, ctx) => {
    const form = await formValues(ctx)
    let user = browserUser(state, ctx)
    let cookieHeader: Record<string, string> = {}
    if (user === undefined) {
      const found = state.findByEmail(form.get('email') ?? '')
      if (found?.password == null || found.password !== form.get('password')) {
        return sendPage(ctx, 400, page('Sign-in failed', '<p>Email or password is incorrect.</p>'))
      }
      user = found
      cookieHeader = { 'set-cookie': setCookie(state.newSession(user.id), state) }
    }
    try {
      const redirectUrl = makeCode(state, user, form.get('redirect_uri') ?? '', form.get('code_challenge') ?? '', form.get('state') ?? '')
      ctx.res.writeHead(302, { location: redirectUrl, ...cookieHeader })
      ctx.res.end()
    } catch (error) {
      const message = error instanceof TeableError ? error.message : 'Something went wrong'
      sendPage(ctx, 400, page('This app cannot sign in here', `<p role="alert">${escape(message)}</p>`), cookieHeader)
    }
  }),
  route('POST', '/api/auth/mobile/code', async (state, ctx) => {
    if (ctx.req.headers.authorization !== undefined) throw forbidden()
    const user = browserUser(state, ctx)
    if (user === undefined) throw new TeableError(401, 'unauthorized', 'Unauthorized')
    const body = await ctx.json()
    const redirectUrl = makeCode(state, user, stringField(body, 'redirectUri') ?? '', stringField(body, 'codeChallenge') ?? '', stringField(body, 'state') ?? '')
    ctx.send(201, { redirectUrl })
  }),
  route('POST', '/api/auth/mobile/exchange', async (state, ctx) => {
    const body = await ctx.json()
    const verifier = stringField(body, 'codeVerifier') ?? ''
    const code = stringField(body, 'code') ?? ''
    // The request schema: a verifier of 43-128 unreserved characters.
    if (!VERIFIER.test(verifier) || code === '') throw badRequest('Invalid code_verifier')
    const entry = state.mobileCodes.get(code)
    // Consumed before the verifier is checked: a wrong verifier burns the code (one guess per code).
    state.mobileCodes.delete(code)
    if (entry === undefined || entry.expiresAt <= state.now()) throw badRequest('Invalid or expired code')
    if (createHash('sha256').update(verifier).digest('base64url') !== entry.challenge) throw badRequest('Invalid code_verifier')
    const user = state.findById(entry.userId)
    if (user === undefined) throw badRequest('Invalid or expired code')
    startSession(state, ctx, user, 200)
  }),
]
