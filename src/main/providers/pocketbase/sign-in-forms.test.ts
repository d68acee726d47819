import { describe, expect, it } from 'vitest'
import { credentialsForm, describeWindow, identityLabel, otpCodeForm } from './sign-in-forms.ts'

const provider = { name: 'github', displayName: 'GitHub', authURL: 'https://github.com/login/oauth/authorize?redirect_uri=', codeVerifier: 'v'.repeat(43) }

describe('PocketBase sign-in forms', () => {
  it.each([
    [['email'], 'Email', true],
    [['username'], 'Username', false],
    [['email', 'username'], 'Email or username', false],
    [['username', 'email'], 'Username or email', false],
  ])('labels the identity field for %j as %s', (fields, label, emailOnly) => {
    expect(identityLabel(fields)).toMatchObject({ label, emailOnly })
  })

  it('asks for a username in a text field when the collection signs in by username', () => {
    const form = credentialsForm({ id: 'password', title: 'Sign in', offer: { password: true, otp: false, oauth2: [provider] }, identityFields: ['username'] })
    expect(form.fields[0]).toEqual({ key: 'identity', label: 'Username', kind: 'text', required: true })
    expect(form.actions.map((action) => action.id)).toEqual(['password', 'oauth2:github'])
  })

  it('names the MFA window and dates the code form', () => {
    expect(describeWindow(600)).toBe('10-minute')
    expect(describeWindow(1800)).toBe('30-minute')
    const later = new Date(2030, 0, 1, 9, 41).getTime()
    const form = otpCodeForm({ email: 'a@example.test', host: 'pb.example.test', expiresAt: Date.UTC(2030, 0, 1, 0, 3), validForSeconds: 180, title: 'Sign in', newCodeAfter: later })
    expect(form.expiresAt).toBe('2030-01-01T00:03:00.000Z')
    expect(form.description).toBe(
      'If a@example.test has an account on pb.example.test, a code is on its way. Enter it here. It is valid for 3 minutes. ' +
        'If none arrives, ask for a new one; after 10 requests the server sends no more until 09:41 at the latest.',
    )
    const none = otpCodeForm({ email: 'a@example.test', host: 'pb.example.test', expiresAt: 0, validForSeconds: 180, title: 'Sign in', newCodeAfter: later, noNewCode: true })
    expect(none.description).toBe('pb.example.test sent no new code: it sends at most 10 that are still valid. Enter the last code it sent to a@example.test, or ask for a new one after 09:41.')
  })
})
