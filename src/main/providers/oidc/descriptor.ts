/** What the "Add account" screen shows for a generic OpenID Connect backend. */
import type { BackendDescriptor } from '../../../shared/contract.ts'
import { CONSENT_NEVER, CONSENT_WHEN_NEEDED, DEFAULT_REDIRECT_PATH, DEFAULT_SCOPES } from './config.ts'

/** Presets (ready-made configurations) are added by the shell. */
export const OIDC_DESCRIPTOR: Omit<BackendDescriptor, 'presets'> = {
  kind: 'oidc',
  title: 'OpenID Connect',
  description:
    'Any identity provider that publishes OpenID Connect discovery (Keycloak, Authentik, Zitadel, Auth0, Okta and others). ' +
    'You sign in in your own browser; Latchkey never sees your password.',
  signInLabel: 'Sign in with browser',
  fields: [
    { key: 'issuer', label: 'Issuer URL', kind: 'url', required: true, placeholder: 'https://id.example.com/realms/main' },
    { key: 'clientId', label: 'Client ID', kind: 'text', required: true, placeholder: 'latchkey-desktop' },
    {
      key: 'clientSecret',
      label: 'Client secret',
      kind: 'secret',
      required: false,
      help: 'Leave empty for a public client (the usual setup for a desktop app). Kept in the OS keychain.',
    },
    {
      key: 'scopes',
      label: 'Scopes',
      kind: 'text',
      required: false,
      defaultValue: DEFAULT_SCOPES,
      help: 'Separated by spaces; must include openid. offline_access asks for a refresh token (left out where the provider does not list it; Google is asked its own way).',
    },
    {
      key: 'consent',
      label: 'Ask for consent',
      kind: 'choice',
      required: false,
      defaultValue: CONSENT_WHEN_NEEDED,
      options: [
        { value: CONSENT_WHEN_NEEDED, label: 'When asking for a refresh token' },
        { value: CONSENT_NEVER, label: 'Never' },
      ],
      help:
        "The provider's consent page (prompt=consent) is asked for only with offline_access, which many providers " +
        'need before they issue a refresh token. “Never” leaves it to the provider.',
    },
    {
      key: 'redirectPort',
      label: 'Redirect port',
      kind: 'number',
      required: false,
      placeholder: 'any free port',
      help: 'Pin the local port only if your identity provider needs an exact redirect URI, e.g. http://127.0.0.1:8765/callback.',
    },
    {
      key: 'redirectPath',
      label: 'Redirect path',
      kind: 'text',
      required: false,
      defaultValue: DEFAULT_REDIRECT_PATH,
      help: 'The path of the redirect URI registered for this client.',
    },
  ],
}
