/**
 * The mobile PKCE sign-in (features/auth/mobile-auth): Teable's `/auth/mobile` page asks the
 * signed-in browser to allow the app, `POST /api/auth/mobile/code` makes a 5-minute single-use code
 * bound to the S256 challenge and the redirect (whose scheme must be in MOBILE_AUTH_REDIRECT_SCHEMES),
 * and the app's `POST /api/auth/mobile/exchange` turns code + verifier into a cookie session.
 * The page is the emulator's stand-in for Teable's web app (which signs in first when needed).
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

function makeCode(state: TeableState, user: User, redirectUri: string, challenge: string): string {
  const url = URL.parse(redirectUri)
  if (url === null || url.hash !== '') throw badRequest('Invalid redirect uri')
  const scheme = url.protocol.replace(/:$/, '')
  if (!state.mobileSchemes.includes(scheme)) throw badRequest(`Redirect scheme "${scheme}" is not allowed`)
  if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) throw badRequest('Invalid code challenge')
  const code = randomBytes(32).toString('base64url')
  state.issued.push(code)
  state.mobileCodes.set(code, { userId: user.id, challenge, redirectUri, expiresAt: state.now() + CODE_TTL_MS })
  return code
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
      const redirectUri = form.get('redirect_uri') ?? ''
      const code = makeCode(state, user, redirectUri, form.get('code_challenge') ?? '')
      const target = new URL(redirectUri)
      target.searchParams.set('code', code)
      const appState = form.get('state') ?? ''
      if (appState !== '') target.searchParams.set('state', appState)
      ctx.res.writeHead(302, { location: target.href, ...cookieHeader })
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
    const code = makeCode(state, user, stringField(body, 'redirectUri') ?? '', stringField(body, 'codeChallenge') ?? '')
    ctx.send(200, { code })
  }),
  route('POST', '/api/auth/mobile/exchange', async (state, ctx) => {
    const body = await ctx.json()
    const verifier = stringField(body, 'codeVerifier') ?? ''
    const code = stringField(body, 'code') ?? ''
    if (!VERIFIER.test(verifier)) throw badRequest('Invalid code verifier')
    const entry = state.mobileCodes.get(code)
    // Consumed at once: a wrong verifier burns the code.
    state.mobileCodes.delete(code)
    const challenge = createHash('sha256').update(verifier).digest('base64url')
    const user = entry && entry.expiresAt > state.now() && entry.challenge === challenge ? state.findById(entry.userId) : undefined
    if (user === undefined) throw badRequest('Invalid or expired code')
    startSession(state, ctx, user, 200)
  }),
]
