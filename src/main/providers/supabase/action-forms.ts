/**
 * The forms of a signed-in Supabase account (AccountAction); form id → its buttons:
 *   profile               'save'        display name and avatar URL (user metadata)
 *   change-password       'change', 'send-code'   current password and the reauthentication code when the server asks
 *   change-email          'send'        confirm-email-change  'confirm', 'resend'
 *   change-phone          'send'        confirm-phone-change  'confirm', 'resend'
 *   upgrade               'send'        (anonymous accounts) an email address to make the account permanent
 *   mfa-enroll            'start'       mfa-verify            'verify', 'cancel'
 *   mfa-phone-enroll      'start'       mfa-phone-verify      'verify', 'cancel'   a phone as the second factor (a texted code)
 *   mfa-factors           'remove'
 *   identities            'unlink'
 *   link-identity         'start'       finish-link           'finish', 'cancel'   another OAuth identity, in the browser
 *   sign-out-others       'others'      sign-out-everywhere   'global'
 */
import type { AccountAction, FormAction, FormFieldSpec } from '../../../shared/contract.ts'
import { choiceField } from '../choice-field.ts'
import { authenticatorCodeField } from '../../core/forms/qr-field.ts'
import { newPasswordFields } from './sign-in-forms.ts'

function form(id: string, group: AccountAction['group'], title: string, fields: FormFieldSpec[], actions: FormAction[], description?: string): AccountAction {
  return { id, group, form: { id, title, fields, actions, ...(description === undefined ? {} : { description }) } }
}

const confirmBox = (label: string): FormFieldSpec => ({ key: 'confirm', label, kind: 'checkbox', required: true, value: 'false' })

export function profileAction(values: { name: string; avatarUrl: string }): AccountAction {
  return form(
    'profile',
    'profile',
    'Edit profile',
    [
      { key: 'name', label: 'Display name', kind: 'text', required: false, value: values.name },
      { key: 'avatarUrl', label: 'Avatar URL', kind: 'text', required: false, value: values.avatarUrl, placeholder: 'https://…' },
    ],
    [{ id: 'save', label: 'Save profile' }],
  )
}

/** `codeBy`: where the server sends the reauthentication code (the email address, else the phone). */
export function passwordAction(hasPassword: boolean, codeBy: 'email' | 'phone' = 'email'): AccountAction {
  const ask = codeBy === 'email' ? 'Email me a verification code' : 'Text me a verification code'
  return form(
    'change-password',
    'security',
    hasPassword ? 'Change password' : 'Set a password',
    [
      ...(hasPassword ? [{ key: 'currentPassword', label: 'Current password', kind: 'password', required: false, help: 'Needed when the project asks for it.' } satisfies FormFieldSpec] : []),
      ...newPasswordFields(),
      { key: 'nonce', label: 'Verification code', kind: 'code', required: false, help: `Only when asked: the code sent by “${ask}”.` },
    ],
    [
      { id: 'change', label: hasPassword ? 'Change password' : 'Set password' },
      { id: 'send-code', label: ask, fields: [] },
    ],
    'You stay signed in here; the account’s other sessions are signed out.',
  )
}

/** `confirmed`: the address of a secure change whose code was already accepted (the form then asks only for the other one). */
export function emailActions(current: string, pending: string | null, confirmed: 'new' | 'current' | null = null): AccountAction[] {
  const actions = [
    form('change-email', 'security', 'Change email address', [{ key: 'email', label: 'New email address', kind: 'email', required: true }], [{ id: 'send', label: 'Send confirmation codes' }], current === '' ? undefined : `Now ${current}.`),
  ]
  if (pending !== null) {
    const newCode: FormFieldSpec = { key: 'newCode', label: `Code sent to ${pending}`, kind: 'code', required: true }
    const currentCode = (required: boolean): FormFieldSpec => ({ key: 'currentCode', label: `Code sent to ${current}`, kind: 'code', required, ...(required ? {} : { help: 'Needed when the project asks both addresses to confirm.' }) })
    const fields = confirmed === 'new' ? [currentCode(true)] : confirmed === 'current' || current === '' ? [newCode] : [newCode, currentCode(false)]
    actions.push(
      form(
        'confirm-email-change',
        'security',
        `Finish the change to ${pending}`,
        fields,
        [
          { id: 'confirm', label: 'Change email' },
          { id: 'resend', label: 'Send the codes again', fields: [] },
        ],
        confirmed === null ? undefined : `The code sent to ${confirmed === 'new' ? pending : current} is accepted.`,
      ),
    )
  }
  return actions
}

export function phoneActions(current: string, pending: string | null): AccountAction[] {
  const actions = [
    form('change-phone', 'security', current === '' ? 'Add a phone number' : 'Change phone number', [{ key: 'phone', label: 'New phone number', kind: 'text', required: true, placeholder: '+15550100' }], [{ id: 'send', label: 'Text me a code' }], current === '' ? undefined : `Now +${current}.`),
  ]
  if (pending !== null) {
    actions.push(
      form('confirm-phone-change', 'security', `Finish the change to +${pending}`, [{ key: 'code', label: 'Code from the text message', kind: 'code', required: true }], [
        { id: 'confirm', label: 'Change phone number' },
        { id: 'resend', label: 'Text me a new code', fields: [] },
      ]),
    )
  }
  return actions
}

export function upgradeAction(): AccountAction {
  return form(
    'upgrade',
    'security',
    'Keep this account: add an email address',
    [{ key: 'email', label: 'Email address', kind: 'email', required: true }],
    [{ id: 'send', label: 'Add email address' }],
    'This account is anonymous: it is lost when signed out. Add an email address (and then a password) to keep it.',
  )
}

export function mfaActions(options: { verified: { id: string; name: string }[]; enrolling: { qr: FormFieldSpec } | null; phoneEnrolling: string | null; aal: string }): AccountAction[] {
  const actions: AccountAction[] = []
  if (options.enrolling !== null) {
    actions.push(
      form(
        'mfa-verify',
        'security',
        'Finish setting up the authenticator',
        [options.enrolling.qr, authenticatorCodeField()],
        [
          { id: 'verify', label: 'Verify and turn on' },
          { id: 'cancel', label: 'Cancel the setup', fields: [] },
        ],
        'Scan the QR code with your authenticator app (or type the secret into it), then enter the 6-digit code it shows.',
      ),
    )
  } else {
    actions.push(form('mfa-enroll', 'security', 'Add an authenticator app', [{ key: 'name', label: 'Name for it', kind: 'text', required: false, placeholder: 'Phone' }], [{ id: 'start', label: 'Set up an authenticator app' }], `This session: ${options.aal}.`))
  }
  if (options.phoneEnrolling !== null) {
    actions.push(
      form(
        'mfa-phone-verify',
        'security',
        `Finish adding ${options.phoneEnrolling} as a second factor`,
        [{ key: 'code', label: 'Code from the text message', kind: 'code', required: true }],
        [
          { id: 'verify', label: 'Verify and turn on' },
          { id: 'cancel', label: 'Cancel', fields: [] },
        ],
        `Enter the code texted to ${options.phoneEnrolling}.`,
      ),
    )
  } else {
    actions.push(
      form(
        'mfa-phone-enroll',
        'security',
        'Add a phone as a second factor',
        [{ key: 'phone', label: 'Phone number', kind: 'text', required: true, placeholder: '+15550100' }],
        [{ id: 'start', label: 'Text me a code' }],
        'Signing in then also asks for a code texted to this phone (if the project allows phones as a second factor).',
      ),
    )
  }
  if (options.verified.length > 0) {
    actions.push(
      form(
        'mfa-factors',
        'security',
        'Second factors',
        [choiceField('factor', 'Second factor', options.verified.map((factor) => ({ value: factor.id, label: factor.name })))],
        [{ id: 'remove', label: 'Remove this second factor' }],
        'Removing one needs a session that used the second factor (aal2).',
      ),
    )
  }
  return actions
}

export function identitiesAction(identities: { id: string; label: string }[]): AccountAction {
  return form(
    'identities',
    'security',
    'Linked sign-in methods',
    [choiceField('identity', 'Sign-in method', identities.map((identity) => ({ value: identity.id, label: identity.label })))],
    [{ id: 'unlink', label: 'Unlink this method' }],
  )
}

/** Link one of the project's OAuth providers to this account (manual linking), or finish the linking under way. */
export function linkActions(options: { providers: { id: string; name: string }[]; linking: string | null }): AccountAction[] {
  if (options.linking !== null) {
    return [
      form(
        'finish-link',
        'security',
        `Finish linking ${options.linking}`,
        [],
        [
          { id: 'finish', label: 'Finish linking' },
          { id: 'cancel', label: 'Cancel linking' },
        ],
        `Sign in with ${options.linking} in the browser that opened; when it says you can close the tab, press “Finish linking”.`,
      ),
    ]
  }
  if (options.providers.length === 0) return []
  return [
    form(
      'link-identity',
      'security',
      'Link another sign-in method',
      [choiceField('provider', 'Service', options.providers.map((provider) => ({ value: provider.id, label: provider.name })))],
      [{ id: 'start', label: 'Link in the browser' }],
      'You sign in with that service in your browser; afterwards either way of signing in opens this account.',
    ),
  ]
}

export function signOutActions(host: string, tokenUntil: string): AccountAction[] {
  return [
    form(
      'sign-out-others',
      'security',
      'Sign out my other sessions',
      [confirmBox('Yes, sign out every other device and browser')],
      [{ id: 'others', label: 'Sign out other sessions' }],
      `Ends every other session of this account on ${host} (other devices, browsers, apps). This one stays signed in.${tokenUntil}`,
    ),
    form(
      'sign-out-everywhere',
      'security',
      'Sign out everywhere',
      [confirmBox('Yes, sign out everywhere, here too')],
      [{ id: 'global', label: 'Sign out everywhere' }],
      `Ends every session of this account on ${host}, this one included: you will need to sign in again.${tokenUntil}`,
    ),
  ]
}
