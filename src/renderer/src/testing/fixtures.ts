/** Plain data for renderer tests: accounts, details, backend descriptors and forms shaped like the real ones. */
import type { AccountAction, AccountDetail, AccountSummary, BackendDescriptor, FormSpec } from '../../../shared/contract.ts'

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
    renewal: 'automatic',
    storage: 'keychain',
    active: false,
    user: { subject: 'user-1', name: 'Alice Example', email: 'alice@example.test' },
    hasSession: true,
    canSignInAgain: true,
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

export const POCKETBASE_BACKEND: BackendDescriptor = {
  kind: 'pocketbase',
  title: 'PocketBase',
  description: 'A PocketBase server: email and password, one-time codes, multi-factor sign-in.',
  signInLabel: 'Continue',
  presets: [],
  fields: [
    { key: 'url', label: 'Server address', kind: 'url', required: true, placeholder: 'https://pb.example.com' },
    { key: 'collection', label: 'Collection', kind: 'text', required: true, defaultValue: 'users' },
  ],
}

/** The first sign-in step of a password backend. */
export const PASSWORD_FORM: FormSpec = {
  id: 'password',
  title: 'Sign in to pb.example.test',
  description: 'Use the email address and password of your account.',
  fields: [
    { key: 'email', label: 'Email', kind: 'email', required: true },
    { key: 'password', label: 'Password', kind: 'password', required: true },
  ],
  actions: [
    { id: 'sign-in', label: 'Sign in' },
    { id: 'send-code', label: 'Email me a code instead', fields: ['email'] },
  ],
}

/** A second factor: a code sent by email, valid for a few minutes. */
export function codeForm(overrides: Partial<FormSpec> = {}): FormSpec {
  return {
    id: 'otp',
    title: 'Enter the code we emailed you',
    fields: [{ key: 'code', label: 'Code', kind: 'code', required: true }],
    actions: [{ id: 'verify', label: 'Verify' }],
    expiresAt: new Date(Date.now() + 5 * 60_000).toISOString(),
    ...overrides,
  }
}

/** What a signed-in PocketBase account offers: profile, password, avatar, impersonation. */
export function accountActions(): AccountAction[] {
  return [
    {
      id: 'profile',
      group: 'profile',
      form: {
        id: 'profile',
        title: 'Edit profile',
        fields: [
          { key: 'name', label: 'Display name', kind: 'text', required: false, value: 'Alice Example' },
          { key: 'newsletter', label: 'Send me the newsletter', kind: 'checkbox', required: false, value: 'false' },
          {
            key: 'plan',
            label: 'Plan',
            kind: 'choice',
            required: true,
            value: 'free',
            options: [
              { value: 'free', label: 'Free' },
              { value: 'team', label: 'Team' },
            ],
          },
        ],
        actions: [{ id: 'save', label: 'Save profile' }],
      },
    },
    {
      id: 'password',
      group: 'security',
      form: {
        id: 'password',
        title: 'Change password',
        fields: [
          { key: 'oldPassword', label: 'Current password', kind: 'password', required: true },
          { key: 'password', label: 'New password', kind: 'new-password', required: true, minLength: 8 },
          { key: 'passwordConfirm', label: 'Repeat the new password', kind: 'new-password', required: true, sameAs: 'password' },
        ],
        actions: [{ id: 'change', label: 'Change password' }],
      },
    },
    {
      id: 'impersonate',
      group: 'admin',
      form: {
        id: 'impersonate',
        title: 'Sign in as another user',
        fields: [{ key: 'recordId', label: 'User ID', kind: 'text', required: true }],
        actions: [{ id: 'impersonate', label: 'Add as account' }],
      },
    },
  ]
}
