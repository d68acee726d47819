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
    const form = otpCodeForm({ email: 'a@example.test', expiresAt: Date.UTC(2030, 0, 1, 0, 3), validForSeconds: 180, title: 'Sign in' })
    expect(form.expiresAt).toBe('2030-01-01T00:03:00.000Z')
    expect(form.description).toBe('We sent a code to a@example.test. Enter it here. It is valid for 3 minutes.')
  })
})
