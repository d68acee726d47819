/** What the "Add account" screen shows for a Supabase project (or a self-hosted Supabase Auth server). */
import type { BackendDescriptor } from '../../../shared/contract.ts'

export const SUPABASE_DESCRIPTOR: Omit<BackendDescriptor, 'presets'> = {
  kind: 'supabase',
  title: 'Supabase',
  description:
    'A Supabase project (or a self-hosted Supabase Auth server). Sign in with a password, a code or link by email, ' +
    'a code by text message, one of the project’s OAuth providers in your browser, or anonymously — whatever the project has turned on.',
  signInLabel: 'Continue',
  fields: [
    { key: 'url', label: 'Project URL', kind: 'url', required: true, placeholder: 'https://abcdefghijklmnop.supabase.co', help: 'A hosted project’s URL, or the address of a self-hosted Auth server.' },
    {
      key: 'apiKey',
      label: 'Anon or publishable key',
      kind: 'text',
      required: true,
      help: 'The public key from the project’s API settings. Never the service_role or secret key.',
    },
  ],
}
