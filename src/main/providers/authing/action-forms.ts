/** The forms of a signed-in Authing account: profile, user-defined values, password, phone, email, authenticator. */
import type { AccountAction, FormFieldSpec } from '../../../shared/contract.ts'
import { authenticatorCodeField } from '../../core/forms/qr-field.ts'
import { newPasswordFields } from './sign-in-forms.ts'
import type { AuthingUser } from './user.ts'

/** The fields `updateUser` changes (UpdateUserInput), with their labels; email and phone have their own forms. */
export const PROFILE_FIELDS: readonly [string, string][] = [
  ['username', 'Username'],
  ['nickname', 'Nickname'],
  ['name', 'Name'],
  ['givenName', 'Given name'],
  ['familyName', 'Family name'],
  ['middleName', 'Middle name'],
  ['preferredUsername', 'Preferred username'],
  ['photo', 'Photo (URL)'],
  ['gender', 'Gender'],
  ['birthdate', 'Birthdate'],
  ['company', 'Company'],
  ['website', 'Website'],
  ['profile', 'Profile page'],
  ['locale', 'Language'],
  ['zoneinfo', 'Time zone'],
  ['address', 'Address'],
  ['streetAddress', 'Street address'],
  ['locality', 'Locality'],
  ['city', 'City'],
  ['province', 'Province'],
  ['region', 'Region'],
  ['postalCode', 'Postal code'],
  ['country', 'Country'],
]

export const UDV_TYPES = ['STRING', 'NUMBER', 'BOOLEAN', 'DATETIME', 'OBJECT'] as const
export type UdvType = (typeof UDV_TYPES)[number]

export interface UdvItem {
  key: string
  dataType: string
  value: string
  label: string | null
}

function current(user: AuthingUser, key: string): string | undefined {
  const value = user[key]
  return typeof value === 'string' && value !== '' ? value : undefined
}

function field(spec: FormFieldSpec, value: string | undefined): FormFieldSpec {
  return value === undefined ? spec : { ...spec, value }
}

export function profileAction(user: AuthingUser): AccountAction {
  const fields = PROFILE_FIELDS.map(([key, label]): FormFieldSpec => {
    if (key === 'gender') {
      return field(
        { key, label, kind: 'choice', required: false, options: [{ value: 'U', label: 'Not said' }, { value: 'F', label: 'Female' }, { value: 'M', label: 'Male' }] },
        current(user, key) ?? 'U',
      )
    }
    return field({ key, label, kind: 'text', required: false, ...(key === 'birthdate' ? { placeholder: 'YYYY-MM-DD' } : {}) }, current(user, key))
  })
  return { id: 'profile', group: 'profile', form: { id: 'profile', title: 'Edit profile', description: 'Your details in this app. Email and phone number change in Security.', fields, actions: [{ id: 'save', label: 'Save profile' }] } }
}

export function udvAction(items: UdvItem[]): AccountAction {
  const listed = items.length === 0 ? 'No values are set.' : `Set now: ${items.map((item) => `${item.label ?? item.key} (${item.key}, ${item.dataType.toLowerCase()}) = ${item.value}`).join('; ')}.`
  return {
    id: 'custom-data',
    group: 'profile',
    form: {
      id: 'custom-data',
      title: 'User-defined values',
      description: `Values of the fields the user pool defines. ${listed}`,
      fields: [
        { key: 'key', label: 'Field key', kind: 'text', required: true, help: 'The key of a field defined in the user pool, e.g. school.' },
        { key: 'value', label: 'Value', kind: 'text', required: false, help: 'A number, true/false, a date (YYYY-MM-DD) or JSON, as the type says.' },
        { key: 'type', label: 'Type', kind: 'choice', required: true, value: 'STRING', options: UDV_TYPES.map((type) => ({ value: type, label: type.charAt(0) + type.slice(1).toLowerCase() })) },
      ],
      actions: [
        { id: 'set', label: 'Set value' },
        { id: 'remove', label: 'Remove value', fields: ['key'] },
      ],
    },
  }
}

export function passwordAction(): AccountAction {
  return {
    id: 'change-password',
    group: 'security',
    form: {
      id: 'change-password',
      title: 'Change password',
      description: 'Leave the current password empty only if the account never had one (registered by phone code).',
      fields: [{ key: 'oldPassword', label: 'Current password', kind: 'password', required: false }, ...newPasswordFields(true)],
      actions: [{ id: 'change', label: 'Change password' }],
    },
  }
}

export function resetAction(user: AuthingUser): AccountAction {
  const options = [user.email, user.phone].filter((value): value is string => typeof value === 'string' && value !== '').map((value) => ({ value, label: value }))
  return {
    id: 'reset-password',
    group: 'security',
    form: {
      id: 'reset-password',
      title: 'Reset password with a code',
      description: 'A code goes to your email or phone; with it you set a new password without the current one.',
      fields: [
        { key: 'target', label: 'Send the code to', kind: 'choice', required: true, options, ...(options[0] === undefined ? {} : { value: options[0].value }) },
        { key: 'code', label: 'Code', kind: 'code', required: true },
        ...newPasswordFields(true),
      ],
      actions: [
        { id: 'send', label: 'Send code', fields: ['target'] },
        { id: 'reset', label: 'Set new password' },
      ],
    },
  }
}

/** Bind a first phone / email, or change it (with the old one's code when the pool asks), and unbind. */
export function contactActions(user: AuthingUser, channel: 'phone' | 'email'): AccountAction[] {
  const noun = channel === 'phone' ? 'phone number' : 'email address'
  const label = channel === 'phone' ? 'Phone number' : 'Email'
  const kind = channel === 'phone' ? 'text' : 'email'
  const value = current(user, channel)
  if (value === undefined) {
    return [
      {
        id: `bind-${channel}`,
        group: 'security',
        form: {
          id: `bind-${channel}`,
          title: `Add a ${noun}`,
          description: `We send a code to the ${noun}; enter it to add it to your account.`,
          fields: [
            { key: channel, label, kind, required: true },
            { key: 'code', label: 'Code', kind: 'code', required: true },
          ],
          actions: [
            { id: 'send', label: 'Send code', fields: [channel] },
            { id: 'bind', label: `Add ${noun}` },
          ],
        },
      },
    ]
  }
  return [
    {
      id: `update-${channel}`,
      group: 'security',
      form: {
        id: `update-${channel}`,
        title: `Change ${noun}`,
        description: `Now ${value}. A code goes to the new ${noun}; if the app also asks to confirm the current one, send a code there too.`,
        fields: [
          { key: channel, label: `New ${noun}`, kind, required: true },
          { key: 'code', label: 'Code sent to the new one', kind: 'code', required: true },
          { key: 'oldCode', label: 'Code sent to the current one', kind: 'code', required: false },
        ],
        actions: [
          { id: 'send', label: 'Send code to the new one', fields: [channel] },
          { id: 'send-old', label: 'Send code to the current one', fields: [] },
          { id: 'update', label: `Change ${noun}`, fields: [channel, 'code', 'oldCode'] },
        ],
      },
    },
    {
      id: `unbind-${channel}`,
      group: 'security',
      form: {
        id: `unbind-${channel}`,
        title: `Remove ${noun}`,
        description: `Removes ${value} from your account. Not possible when it is the only way to sign in.`,
        fields: [],
        actions: [{ id: 'unbind', label: `Remove ${noun}` }],
      },
    },
  ]
}

export function authenticatorAction(enrolment: { enrolled: true } | { enrolled: false; qr: FormFieldSpec }): AccountAction {
  if (enrolment.enrolled) {
    return {
      id: 'authenticator',
      group: 'security',
      form: { id: 'authenticator', title: 'Authenticator app', description: 'Sign-ins ask for a code from your authenticator app.', fields: [], actions: [{ id: 'disable', label: 'Turn off the authenticator step' }] },
    }
  }
  return {
    id: 'authenticator',
    group: 'security',
    form: {
      id: 'authenticator',
      title: 'Authenticator app',
      description: 'Add a second step to sign-ins: scan the code with an authenticator app, then enter the code it shows.',
      fields: [enrolment.qr, authenticatorCodeField()],
      actions: [{ id: 'confirm', label: 'Turn on', fields: ['code'] }],
    },
  }
}
