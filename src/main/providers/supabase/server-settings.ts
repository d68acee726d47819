/**
 * GET /settings: which sign-in methods the project has turned on (internal/api/settings.go), so the
 * sign-in form offers only those. auth-js has no call for it. An answer without Supabase Auth's
 * shape means the URL points somewhere else.
 */
import { z } from 'zod'
import type { SupabaseSettings } from './config.ts'
import { notSupabase, rateLimited, unreachable } from './errors.ts'
import { retryAtFrom } from '../../core/retry-at.ts'
import { httpFetch } from '../http-fetch.ts'
import { REQUEST_TIMEOUT_MS } from './client.ts'

const schema = z.object({
  external: z.record(z.string(), z.boolean()),
  disable_signup: z.boolean(),
  mailer_autoconfirm: z.boolean(),
  phone_autoconfirm: z.boolean().optional(),
})

export interface ServerSettings {
  email: boolean
  phone: boolean
  anonymous: boolean
  signup: boolean
  autoconfirm: boolean
  /** Enabled OAuth providers, e.g. ['github', 'keycloak']. */
  oauth: string[]
}

/** The settings keys that are not OAuth providers. */
const NOT_OAUTH = new Set(['email', 'phone', 'anonymous_users', 'saml'])

export async function loadServerSettings(settings: SupabaseSettings, now: number): Promise<ServerSettings> {
  let response: Response
  try {
    response = await httpFetch(`${settings.authUrl}/settings`, {
      headers: { apikey: settings.apiKey, accept: 'application/json' },
      timeoutMs: REQUEST_TIMEOUT_MS,
      redirect: 'error',
    })
  } catch {
    throw unreachable(settings.host)
  }
  if (response.status === 429) {
    const retryAt = retryAtFrom(response.headers, now)
    throw rateLimited({ status: 429, code: 'over_request_rate_limit', message: '', ...(retryAt === null ? {} : { retryAt }) }, settings.host, now)
  }
  const body: unknown = response.ok ? await response.json().catch(() => null) : null
  const parsed = schema.safeParse(body)
  if (!parsed.success) throw notSupabase(settings.host)
  const { external } = parsed.data
  return {
    email: external.email === true,
    phone: external.phone === true,
    anonymous: external.anonymous_users === true,
    signup: !parsed.data.disable_signup,
    autoconfirm: parsed.data.mailer_autoconfirm,
    oauth: Object.entries(external)
      .filter(([name, on]) => on && !NOT_OAUTH.has(name))
      .map(([name]) => name)
      .sort(),
  }
}

const DISPLAY: Readonly<Record<string, string>> = {
  github: 'GitHub',
  gitlab: 'GitLab',
  linkedin_oidc: 'LinkedIn',
  slack_oidc: 'Slack',
  workos: 'WorkOS',
}

/** What auth-js adds for a provider: Keycloak (and other OpenID Connect servers) answer userinfo only for an `openid` token. */
export function oauthOptions(provider: string): { scopes?: string } {
  return provider === 'keycloak' ? { scopes: 'openid' } : {}
}

/** "GitHub", "Keycloak", "Google". */
export function providerDisplayName(name: string): string {
  return DISPLAY[name] ?? name.charAt(0).toUpperCase() + name.slice(1)
}
