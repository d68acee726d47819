/**
 * The forms of a signed-in Synmetrix account (AccountAction). Form id → its one button:
 *   role                   'save'     the Hasura role other tools should use (from the token's allowed roles)
 *   change-password        'change'   current + new password
 *   change-email           'change'   new address (direct, or a confirmation email where the server asks for one)
 *   confirm-email-change   'confirm'  the ticket from that email
 *   request-password-reset 'send'     confirm-password-reset 'confirm'   (where the server has lost password on)
 *   mfa-generate           'generate' a new authenticator secret;  mfa-enable 'enable' (QR + secret + code)
 *   mfa-disable            'disable'  with a code
 *   sign-out-everywhere    'sign-out' revoke-refresh-tokens 'revoke'
 */
import type { AccountAction, FormFieldSpec, FormSpec } from '../../../shared/contract.ts'
import { authenticatorCodeField } from '../../core/forms/qr-field.ts'
import { newPasswordPair } from '../new-password-pair.ts'
import { MIN_PASSWORD_LENGTH } from './sign-in-forms.ts'

export function roleAction(roles: string[], current: string): AccountAction {
  return {
    id: 'role',
    group: 'profile',
    form: {
      id: 'role',
      title: 'Role for other tools',
      description: 'The Hasura role that tools taking a token from Latchkey should use with this account. Latchkey remembers it for this account.',
      fields: [{ key: 'role', label: 'Role', kind: 'choice', required: true, value: current, options: roles.map((role) => ({ value: role, label: role })) }],
      actions: [{ id: 'save', label: 'Use this role' }],
    },
  }
}

const newPasswordFields = (): FormFieldSpec[] => newPasswordPair(MIN_PASSWORD_LENGTH)

export function securityActions(options: { email: string | null; enrollment: { qr: FormFieldSpec } | null }): AccountAction[] {
  const actions: AccountAction[] = [
    security('change-password', 'Change password', [
      {
        key: 'oldPassword',
        label: 'Current password',
        kind: 'password',
        required: false,
        help: 'Leave empty if this account has no password yet (it was made by a sign-in link).',
      },
      ...newPasswordFields(),
    ], {
      id: 'change',
      label: 'Change password',
    }, 'Other devices stay signed in: this server does not end sessions when the password changes.'),
    security('change-email', 'Change email address', [{ key: 'newEmail', label: 'New email address', kind: 'email', required: true }], { id: 'change', label: 'Change email' }),
    security('confirm-email-change', 'Finish the email change', [{ key: 'ticket', label: 'Ticket from the confirmation email', kind: 'code', required: true }], {
      id: 'confirm',
      label: 'Confirm the new address',
    }, 'Only needed where the server sends a confirmation email first.'),
    security('request-password-reset', 'Reset password by email', [{ key: 'email', label: 'Email', kind: 'email', required: true, value: options.email ?? '' }], {
      id: 'send',
      label: 'Email me a reset ticket',
    }, 'Only where the server has lost-password emails turned on.'),
    security('confirm-password-reset', 'Finish a password reset', [{ key: 'ticket', label: 'Ticket from the reset email', kind: 'code', required: true }, ...newPasswordFields()], {
      id: 'confirm',
      label: 'Set the new password',
    }),
  ]
  if (options.enrollment === null) {
    actions.push(security('mfa-generate', 'Set up an authenticator app', [], { id: 'generate', label: 'New authenticator secret' },
      'Shows a QR code and a secret for your authenticator app. If codes are already on, this replaces the secret: the old entry in your app stops working.'))
  } else {
    actions.push(security('mfa-enable', 'Turn on authenticator codes', [options.enrollment.qr, authenticatorCodeField()], {
      id: 'enable',
      label: 'Turn on',
    }, 'Add this secret to your authenticator app (scan the QR code or type the secret), then enter the code it shows.'))
  }
  actions.push(
    security('mfa-disable', 'Turn off authenticator codes', [authenticatorCodeField()], { id: 'disable', label: 'Turn off' }),
    security('sign-out-everywhere', 'Sign out on all devices', [], { id: 'sign-out', label: 'Sign out everywhere' },
      'Deletes every refresh token of this account, on every device, and Latchkey forgets this session. Access tokens already issued stay valid until they expire.'),
    security('revoke-refresh-tokens', 'Revoke all refresh tokens', [], { id: 'revoke', label: 'Revoke all refresh tokens' },
      'A security step: no device can renew its session any more, this one included. Latchkey keeps the current access token until it expires, then asks you to sign in.'),
  )
  return actions
}

function security(id: string, title: string, fields: FormFieldSpec[], action: { id: string; label: string }, description?: string): AccountAction {
  const form: FormSpec = { id, title, ...(description === undefined ? {} : { description }), fields, actions: [action] }
  return { id, group: 'security', form }
}
