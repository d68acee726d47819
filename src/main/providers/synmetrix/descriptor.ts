/** What the "Add account" screen shows for a Synmetrix server (its auth is hasura-backend-plus). */
import type { BackendDescriptor } from '../../../shared/contract.ts'
import { HASURA_DEFAULT_NAMESPACE, SYNMETRIX_NAMESPACE } from './config.ts'

export const SYNMETRIX_DESCRIPTOR: Omit<BackendDescriptor, 'presets'> = {
  kind: 'synmetrix',
  title: 'Synmetrix',
  description:
    'A Synmetrix server (its sign-in is hasura-backend-plus). Sign in with a password or an emailed sign-in link, ' +
    'or create an account; an authenticator code is asked for when the account has one.',
  signInLabel: 'Continue',
  fields: [
    { key: 'url', label: 'Synmetrix address', kind: 'url', required: true, placeholder: 'https://app.synmetrix.org' },
    {
      key: 'claimsNamespace',
      label: 'Hasura claims namespace',
      kind: 'text',
      required: false,
      defaultValue: SYNMETRIX_NAMESPACE,
      help: `Where the token keeps the Hasura roles: ${SYNMETRIX_NAMESPACE} on Synmetrix, ${HASURA_DEFAULT_NAMESPACE} on most other hasura-backend-plus servers.`,
    },
    {
      key: 'linkPort',
      label: 'Sign-in link return port',
      kind: 'number',
      required: false,
      help:
        'Only when the server’s success redirect (REDIRECT_URL_SUCCESS) is http://127.0.0.1:<port>/synmetrix: a sign-in link opened ' +
        'in the browser then comes back to Latchkey. Leave empty to paste links from the email.',
    },
  ],
}
