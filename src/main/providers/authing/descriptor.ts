/** What the "Add account" screen shows for an Authing app. */
import type { BackendDescriptor } from '../../../shared/contract.ts'
import { DEFAULT_REDIRECT_PATH } from './config.ts'

/** Presets (ready-made configurations) are added by the shell. */
export const AUTHING_DESCRIPTOR: Omit<BackendDescriptor, 'presets'> = {
  kind: 'authing',
  title: 'Authing',
  description:
    'An Authing app (authing.cn or a private deployment). Sign in with email, username or phone and a password, a code by text ' +
    'message or email, or in your browser — whatever the app allows — with the second step the account or the app asks for ' +
    '(authenticator app or recovery code, or a texted or emailed code) and a new password when the administrator asks for one.',
  signInLabel: 'Continue',
  fields: [
    { key: 'appHost', label: 'App host', kind: 'url', required: true, placeholder: 'https://my-app.authing.cn' },
    { key: 'userPoolId', label: 'User pool ID', kind: 'text', required: true, help: 'Settings → Basic settings in the Authing console.' },
    { key: 'appId', label: 'App ID', kind: 'text', required: true, help: 'Applications → your app → App ID.' },
    {
      key: 'redirectPort',
      label: 'Browser sign-in port',
      kind: 'number',
      required: false,
      placeholder: 'no browser sign-in',
      help:
        'To sign in in your browser, register the callback http://127.0.0.1:<this port>/callback (exactly, port included) ' +
        'as a login callback URL of the app. Leave empty to sign in with a password or code only.',
    },
    {
      key: 'redirectPath',
      label: 'Callback path',
      kind: 'text',
      required: false,
      defaultValue: DEFAULT_REDIRECT_PATH,
      help: 'The path of that registered callback URL.',
    },
    {
      key: 'oidcClientId',
      label: 'OIDC client ID',
      kind: 'text',
      required: false,
      placeholder: 'the app ID',
      help: 'Only if the app’s OIDC client ID differs from its app ID.',
    },
  ],
}
