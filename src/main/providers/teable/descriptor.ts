/** What the "Add account" screen shows for a Teable server. */
import type { BackendDescriptor } from '../../../shared/contract.ts'
import { DEFAULT_SESSION_DAYS, TEABLE_CLOUD_URL } from './config.ts'

export const TEABLE_DESCRIPTOR: Omit<BackendDescriptor, 'presets'> = {
  kind: 'teable',
  title: 'Teable',
  description:
    'Teable cloud or a self-hosted Teable. Sign in with email and password (or create an account) for the profile and security ' +
    'settings, and keep a personal access token for the data API and other tools — or both.',
  signInLabel: 'Continue',
  fields: [
    { key: 'url', label: 'Server address', kind: 'url', required: false, defaultValue: TEABLE_CLOUD_URL, placeholder: TEABLE_CLOUD_URL },
    {
      key: 'token',
      label: 'Personal access token',
      kind: 'secret',
      required: false,
      placeholder: 'teable_acc…',
      help: 'Paste one from Teable’s Access tokens page to use the data API. It is kept in the keychain.',
    },
    {
      key: 'sessionDays',
      label: 'Session lifetime (days)',
      kind: 'number',
      required: false,
      defaultValue: String(DEFAULT_SESSION_DAYS),
      help: 'How long the server keeps an unused session (BACKEND_SESSION_EXPIRES_IN). Latchkey uses the session well before then.',
    },
  ],
}
