/** Plain data for renderer tests: accounts, details and a backend descriptor shaped like the real ones. */
import type { AccountDetail, AccountSummary, BackendDescriptor } from '../../../shared/contract.ts'

/** A token-looking string: tests assert it never reaches the DOM. */
export const SECRET_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.secret-access-token-value.sig'

export function account(overrides: Partial<AccountSummary> = {}): AccountSummary {
  return {
    id: 'acc-1',
    label: 'Work',
    provider: 'oidc',
    backend: 'id.example.test',
    status: 'signed-in',
    attention: null,
    expiresAt: new Date(Date.now() + 4 * 60_000 + 30_000).toISOString(),
    storage: 'keychain',
    active: false,
    user: { subject: 'user-1', name: 'Alice Example', email: 'alice@example.test' },
    ...overrides,
  }
}

export function detailOf(summary: AccountSummary, overrides: Partial<AccountDetail> = {}): AccountDetail {
  const now = Math.floor(Date.now() / 1000)
  return {
    account: summary,
    profile: [
      { key: 'name', label: 'Name', value: summary.user.name ?? '' },
      { key: 'email', label: 'Email', value: summary.user.email ?? '' },
    ],
    tokens: [
      {
        kind: 'access',
        claims: { sub: summary.user.subject, scope: 'openid profile', exp: now + 270, iat: now - 30 },
        scopes: ['openid', 'profile'],
        issuedAt: new Date((now - 30) * 1000).toISOString(),
        expiresAt: summary.expiresAt,
      },
      {
        kind: 'id',
        claims: { sub: summary.user.subject, email: summary.user.email, aud: ['latchkey'] },
        scopes: [],
        issuedAt: new Date((now - 30) * 1000).toISOString(),
        expiresAt: summary.expiresAt,
      },
    ],
    config: [
      { key: 'issuer', label: 'Issuer URL', value: `https://${summary.backend}` },
      { key: 'clientId', label: 'Client ID', value: 'latchkey-desktop' },
    ],
    lastRefreshAt: null,
    canRevoke: true,
    ...overrides,
  }
}

export const OIDC_BACKEND: BackendDescriptor = {
  kind: 'oidc',
  title: 'OpenID Connect',
  description: 'Any identity provider that speaks OpenID Connect.',
  signInLabel: 'Sign in with browser',
  presets: [],
  fields: [
    { key: 'issuer', label: 'Issuer URL', kind: 'url', required: true, placeholder: 'https://id.example.com' },
    { key: 'clientId', label: 'Client ID', kind: 'text', required: true, help: 'From your identity provider.' },
    { key: 'clientSecret', label: 'Client secret', kind: 'secret', required: false },
    { key: 'scopes', label: 'Scopes', kind: 'text', required: false, defaultValue: 'openid profile email' },
  ],
}
