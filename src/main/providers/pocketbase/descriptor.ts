/** What the "Add account" screen shows for a PocketBase or BosBase server. */
import type { BackendDescriptor } from '../../../shared/contract.ts'
import { DEFAULT_COLLECTION } from './config.ts'

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
  ],
}
