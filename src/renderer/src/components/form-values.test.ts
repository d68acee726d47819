import { describe, expect, it } from 'vitest'
import type { FormFieldSpec, FormSpec } from '../../../shared/contract.ts'
import { PASSWORD_FORM, accountActions, codeForm } from '../testing/fixtures.ts'
import {
  carriedValues,
  checkAction,
  checkFile,
  errorField,
  formatBytes,
  initialValues,
  valuesFor,
  withoutSecrets,
} from './form-values.ts'

const MB = 1024 * 1024

function formOf(id: string): FormSpec {
  const found = accountActions().find((action) => action.id === id)
  if (!found) throw new Error(`no action ${id}`)
  return found.form
}

const AVATAR: FormFieldSpec = {
  key: 'avatar',
  label: 'Picture',
  kind: 'image',
  required: false,
  accept: ['image/png', 'image/jpeg', 'image/webp'],
  maxBytes: 5 * MB,
}

describe('initialValues', () => {
  it('starts from the values the backend gives, with checkboxes as true/false', () => {
    expect(initialValues(formOf('profile'))).toEqual({ name: 'Alice Example', newsletter: 'false', plan: 'free' })
    expect(initialValues(PASSWORD_FORM)).toEqual({ email: '', password: '' })
  })
})

describe('checkAction', () => {
  const password = formOf('password')
  const change = { id: 'change', label: 'Change password' }

  it('asks for required fields, then minimum lengths, then matching confirmations', () => {
    expect(checkAction(password, change, { oldPassword: '', password: '', passwordConfirm: '' }, {})).toEqual({
      oldPassword: 'Current password is required.',
      password: 'New password is required.',
      passwordConfirm: 'Repeat the new password is required.',
    })
    expect(checkAction(password, change, { oldPassword: 'old', password: 'short', passwordConfirm: 'short' }, {})).toEqual({
      password: 'New password must be at least 8 characters.',
    })
    expect(checkAction(password, change, { oldPassword: 'old', password: 'long enough', passwordConfirm: 'long enougH' }, {})).toEqual({
      passwordConfirm: 'Passwords do not match.',
    })
    expect(checkAction(password, change, { oldPassword: 'old', password: 'long enough', passwordConfirm: 'long enough' }, {})).toEqual({})
  })

  it('checks only the fields the pressed button sends', () => {
    const sendCode = PASSWORD_FORM.actions[1]
    if (!sendCode) throw new Error('no second action')
    expect(checkAction(PASSWORD_FORM, sendCode, { email: 'a@example.test', password: '' }, {})).toEqual({})
    expect(checkAction(PASSWORD_FORM, sendCode, { email: ' ', password: 'x' }, {})).toEqual({ email: 'Email is required.' })
  })

  it('takes a required picture as given when one is picked or the account already has one', () => {
    const form: FormSpec = { id: 'avatar', title: 'Picture', fields: [{ ...AVATAR, required: true }], actions: [{ id: 'save', label: 'Save' }] }
    const save = { id: 'save', label: 'Save' }
    expect(checkAction(form, save, {}, {})).toEqual({ avatar: 'Picture is required.' })
    const picked = { avatar: { value: { name: 'me.png', type: 'image/png', base64: 'AA==' }, dataUrl: 'data:image/png;base64,AA==' } }
    expect(checkAction(form, save, {}, picked)).toEqual({})
    const withPreview: FormSpec = { ...form, fields: [{ ...AVATAR, required: true, preview: 'data:image/png;base64,AA==' }] }
    expect(checkAction(withPreview, save, {}, {})).toEqual({})
  })

  it('wants a required checkbox ticked and a number to be a number', () => {
    const form: FormSpec = {
      id: 'terms',
      title: 'Terms',
      fields: [
        { key: 'agree', label: 'I agree', kind: 'checkbox', required: true },
        { key: 'age', label: 'Age', kind: 'number', required: false },
      ],
      actions: [{ id: 'go', label: 'Go' }],
    }
    const go = { id: 'go', label: 'Go' }
    expect(checkAction(form, go, { agree: 'false', age: 'ten' }, {})).toEqual({ agree: 'I agree is required.', age: 'Age must be a number.' })
    expect(checkAction(form, go, { agree: 'true', age: '' }, {})).toEqual({})
  })
})

describe('valuesFor', () => {
  it('sends the pressed button\'s fields, trimmed except passwords, and a picture only when one was picked', () => {
    const [signIn, sendCode] = PASSWORD_FORM.actions
    if (!signIn || !sendCode) throw new Error('no actions')
    const typed = { email: ' alice@example.test ', password: ' pass word ' }
    expect(valuesFor(PASSWORD_FORM, signIn, typed, {})).toEqual({ email: 'alice@example.test', password: ' pass word ' })
    expect(valuesFor(PASSWORD_FORM, sendCode, typed, {})).toEqual({ email: 'alice@example.test' })

    const form: FormSpec = { id: 'p', title: 'P', fields: [AVATAR], actions: [{ id: 'save', label: 'Save' }] }
    const save = { id: 'save', label: 'Save' }
    expect(valuesFor(form, save, {}, {})).toEqual({})
    const file = { name: 'me.png', type: 'image/png', base64: 'AA==' }
    expect(valuesFor(form, save, {}, { avatar: { value: file, dataUrl: 'data:image/png;base64,AA==' } })).toEqual({ avatar: file })
  })
})

describe('carriedValues and withoutSecrets', () => {
  it('empties passwords and codes, keeps other typing, and takes new values from the backend', () => {
    const profile = formOf('profile')
    const reloaded: FormSpec = {
      ...profile,
      fields: profile.fields.map((field) => (field.key === 'plan' ? { ...field, value: 'team' } : field)),
    }
    expect(carriedValues(profile, reloaded, { name: 'Alice typed', newsletter: 'true', plan: 'free' })).toEqual({
      name: 'Alice typed',
      newsletter: 'true',
      plan: 'team',
    })
    expect(carriedValues(PASSWORD_FORM, codeForm(), { email: 'a@example.test', password: 'secret' })).toEqual({ code: '' })
    expect(carriedValues(PASSWORD_FORM, { ...PASSWORD_FORM }, { email: 'a@example.test', password: 'secret' })).toEqual({
      email: 'a@example.test',
      password: '',
    })
    expect(withoutSecrets(PASSWORD_FORM, { email: 'a@example.test', password: 'secret' })).toEqual({ email: 'a@example.test', password: '' })
    // Only what was there at the press is used up: a password typed since stays.
    const atPress = { email: 'a@example.test', password: '' }
    expect(withoutSecrets(PASSWORD_FORM, { email: 'a@example.test', password: 'typed since' }, atPress)).toEqual({ email: 'a@example.test', password: 'typed since' })
    expect(withoutSecrets(PASSWORD_FORM, { email: 'a@example.test', password: 'secret' }, { ...atPress, password: 'secret' })).toEqual({ email: 'a@example.test', password: '' })
  })
})

describe('checkFile', () => {
  it('refuses a file of another type, naming the ones accepted', () => {
    expect(checkFile(AVATAR, { type: 'image/gif', size: 10 })).toBe('That file is a GIF file; choose a PNG, JPEG or WEBP image.')
    expect(checkFile(AVATAR, { type: 'application/pdf', size: 10 })).toBe('That file is not a picture (application/pdf); choose a PNG, JPEG or WEBP image.')
    expect(checkFile(AVATAR, { type: '', size: 10 })).toBe('That file is of a type Latchkey cannot tell; choose a PNG, JPEG or WEBP image.')
    expect(checkFile({ ...AVATAR, accept: ['image/*'] }, { type: 'image/gif', size: 10 })).toBeNull()
  })

  it('refuses a file over the limit, saying both sizes', () => {
    expect(checkFile(AVATAR, { type: 'image/png', size: Math.round(6.2 * MB) })).toBe('That file is 6.2 MB; the limit is 5 MB.')
    expect(checkFile(AVATAR, { type: 'image/png', size: 5 * MB + 1 })).toBe(
      'That file is 5,242,881 bytes; the limit is 5,242,880 bytes.',
    )
    expect(checkFile(AVATAR, { type: 'image/png', size: 5 * MB })).toBeNull()
  })

  it('formats sizes the way people read them', () => {
    expect(formatBytes(800)).toBe('800 bytes')
    expect(formatBytes(12.5 * 1024)).toBe('12.5 KB')
    expect(formatBytes(3 * MB)).toBe('3 MB')
  })
})

describe('errorField', () => {
  it('finds the form field a VALIDATION error names, with or without "values."', () => {
    expect(errorField({ code: 'VALIDATION', message: 'x', field: 'values.email' }, PASSWORD_FORM)).toBe('email')
    expect(errorField({ code: 'VALIDATION', message: 'x', field: 'password' }, PASSWORD_FORM)).toBe('password')
    expect(errorField({ code: 'VALIDATION', message: 'x', field: 'attemptId' }, PASSWORD_FORM)).toBeNull()
    expect(errorField({ code: 'AUTH_FAILED', message: 'x', field: 'password' }, PASSWORD_FORM)).toBeNull()
    expect(errorField(null, PASSWORD_FORM)).toBeNull()
  })
})
