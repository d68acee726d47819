/**
 * What the oidc-provider servers here (the OpenID Connect test and demo server, and the Authing
 * emulator's OIDC side) set up alike: the password asked on every sign-in, the interaction pages at
 * /interaction/<uid>, revocation only by the client a token was issued to, RP-initiated logout and
 * error pages of our own, no CORS, and a record of every token the token endpoint hands out. Each
 * server adds its clients, scopes, claims, keys, account lookup, rotation and token lifetimes.
 */
import type Provider from 'oidc-provider'
import { interactionPolicy } from 'oidc-provider'
import type { KoaContextWithOIDC } from 'oidc-provider'
import { errorPage, logoutPage, signedOutPage } from './pages.ts'

/** The claims settings every server here starts from: `sub` for openid, no acr / auth_time / iss / sid claims. */
export const BASE_CLAIMS = { acr: null, auth_time: null, iss: null, sid: null, openid: ['sub'] }

/** The shared part of an oidc-provider configuration (spread it first, then add the server's own). */
export function sharedConfiguration(): Record<string, unknown> & { features: Record<string, unknown> } {
  const policy = interactionPolicy.base()
  // Ask for the password on every authorization, even when a browser session exists.
  policy
    .get('login')
    ?.checks.push(
      new interactionPolicy.Check('fresh_login', 'every sign-in asks for the password', (ctx: KoaContextWithOIDC) =>
        ctx.oidc.result?.login === undefined ? interactionPolicy.Check.REQUEST_PROMPT : interactionPolicy.Check.NO_NEED_TO_PROMPT,
      ),
    )
  return {
    interactions: { policy, url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true, allowedPolicy: (_ctx: unknown, client: { clientId: string }, token: { clientId?: string }) => token.clientId === client.clientId },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx: { body: unknown; host: string }, form: string) => {
          ctx.body = logoutPage(form, ctx.host)
        },
        postLogoutSuccessSource: (ctx: { body: unknown }) => {
          ctx.body = signedOutPage()
        },
      },
    },
    clientBasedCORS: () => false,
    renderError: (ctx: { type: string; body: unknown }, out: { error_description?: string; error?: string }) => {
      ctx.type = 'html'
      ctx.body = errorPage(out.error_description ?? out.error ?? 'The request could not be handled.')
    },
  }
}

/** Adds every access, refresh and ID token the token endpoint answers with to `issued` (tests look for leaks of them). */
export function recordIssuedTokens(provider: Provider, issued: string[]): void {
  provider.use(async (ctx, next) => {
    await next()
    if (ctx.path !== '/token' || typeof ctx.body !== 'object' || ctx.body === null) return
    const body = ctx.body as Record<string, unknown>
    for (const name of ['access_token', 'refresh_token', 'id_token']) {
      const token = body[name]
      if (typeof token === 'string') issued.push(token)
    }
  })
}
