/** What the "Add account" screen shows for a PocketBase or BosBase server. */
import type { BackendDescriptor } from '../../../shared/contract.ts'
import { DEFAULT_COLLECTION, OAUTH2_VIA_LOOPBACK, OAUTH2_VIA_SERVER } from './config.ts'

/** Presets (ready-made configurations) are added by the shell. */
export const POCKETBASE_DESCRIPTOR: Omit<BackendDescriptor, 'presets'> = {
  kind: 'pocketbase',
  title: 'PocketBase / BosBase',
  description:
    'A PocketBase server, or a BosBase server (a PocketBase fork). Sign in with a password, a code sent by email, ' +
    'or one of the server’s OAuth2 providers in your browser — whatever the server has turned on.',
  signInLabel: 'Continue',
  fields: [
    { key: 'url', label: 'Server address', kind: 'url', required: true, placeholder: 'https://pb.example.com' },
    {
      key: 'collection',
      label: 'Collection',
      kind: 'text',
      required: false,
      defaultValue: DEFAULT_COLLECTION,
      help: 'The auth collection to sign in to. Use _superusers for a superuser (admin) account.',
    },
    {
      key: 'oauth2Redirect',
      label: 'OAuth2 redirect',
      kind: 'choice',
      required: false,
      defaultValue: OAUTH2_VIA_SERVER,
      options: [
        { value: OAUTH2_VIA_SERVER, label: 'Through the server' },
        { value: OAUTH2_VIA_LOOPBACK, label: 'To this computer' },
      ],
      help:
        "Where the server's OAuth2 providers send your browser back. Through the server: its own /api/oauth2-redirect, " +
        'which PocketBase asks administrators to register at each provider. To this computer: http://127.0.0.1:<any port>/callback, ' +
        'for providers registered that way.',
    },
  ],
}
