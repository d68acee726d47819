import { flushSync } from 'svelte'
import { afterEach, describe, expect, it } from 'vitest'
import type { FormSpec } from '../../../shared/contract.ts'
import { mountForm, type FormHarness } from '../testing/form-harness.svelte.ts'
import { PASSWORD_FORM, accountActions, codeForm } from '../testing/fixtures.ts'
import {
  button,
  click,
  control,
  describedText,
  field,
  nth,
  one,
  pickFile,
  press,
  setChecked,
  choose,
  text,
  typeInto,
  until,
  withRole,
} from '../testing/dom.ts'

const MB = 1024 * 1024
let harness: FormHarness | undefined
afterEach(() => harness?.destroy())

function show(form: FormSpec, options: { autofocus?: boolean } = {}): FormHarness {
  harness = mountForm(form, options)
  return harness
}

function actionForm(id: string): FormSpec {
  const found = accountActions().find((action) => action.id === id)
  if (!found) throw new Error(`no action ${id}`)
  return found.form
}

const EVERY_KIND: FormSpec = {
  id: 'everything',
  title: 'Every kind of field',
  description: 'One field of each kind.',
  fields: [
    { key: 'name', label: 'Name', kind: 'text', required: false, value: 'Alice', help: 'Shown to others.' },
    { key: 'email', label: 'Email', kind: 'email', required: true },
    { key: 'password', label: 'Password', kind: 'password', required: true },
    { key: 'next', label: 'New password', kind: 'new-password', required: true },
    { key: 'code', label: 'Code', kind: 'code', required: true },
    { key: 'age', label: 'Age', kind: 'number', required: false },
    { key: 'news', label: 'Newsletter', kind: 'checkbox', required: false, value: 'true' },
    {
      key: 'plan',
      label: 'Plan',
      kind: 'choice',
      required: true,
      value: 'team',
      options: [
        { value: 'free', label: 'Free' },
        { value: 'team', label: 'Team' },
      ],
    },
    { key: 'avatar', label: 'Picture', kind: 'image', required: false, accept: ['image/png', 'image/jpeg'], maxBytes: 5 * MB },
  ],
  actions: [{ id: 'save', label: 'Save' }],
}

describe('DynamicForm', () => {
  it('draws every kind of field with a visible label and the hints browsers and password managers use', () => {
    const { root } = show(EVERY_KIND)
    expect(one(root, 'form').dataset.formId).toBe('everything')
    expect(text(one(root, 'h2'))).toBe('Every kind of field')
    expect(text(root)).toContain('One field of each kind.')
    expect(field(root, 'Name').value).toBe('Alice')
    expect(describedText(field(root, 'Name'))).toBe('Shown to others.')
    expect(field(root, 'Email').type).toBe('email')
    // A form that asks for an existing password is a sign-in: the email is the username.
    expect(field(root, 'Email').autocomplete).toBe('username')
    expect(field(root, 'Password').type).toBe('password')
    expect(field(root, 'Password').autocomplete).toBe('current-password')
    expect(field(root, 'New password').type).toBe('password')
    expect(field(root, 'New password').autocomplete).toBe('new-password')
    expect(field(root, 'Code').inputMode).toBe('numeric')
    expect(field(root, 'Code').autocomplete).toBe('one-time-code')
    expect(field(root, 'Age').type).toBe('number')
    expect(field(root, 'Newsletter').type).toBe('checkbox')
    expect(field(root, 'Newsletter').checked).toBe(true)
    const plan = control(root, 'Plan')
    expect(plan).toBeInstanceOf(HTMLSelectElement)
    expect(plan.value).toBe('team')
    expect(field(root, 'Picture').type).toBe('file')
    expect(field(root, 'Picture').accept).toBe('image/png,image/jpeg')
    expect(root.querySelector('img')).toBeNull()
  })

  it('checks required fields, minimum length and the repeated password before sending, next to each field', async () => {
    const { root, presses } = show(actionForm('password'))
    click(button(root, 'Change password'))
    const current = field(root, 'Current password')
    expect(current.getAttribute('aria-invalid')).toBe('true')
    expect(describedText(current)).toBe('Current password is required.')
    await until(() => expect(document.activeElement).toBe(current))

    typeInto(current, 'old secret')
    typeInto(field(root, 'New password'), 'short')
    typeInto(field(root, 'Repeat the new password'), 'short')
    click(button(root, 'Change password'))
    expect(current.getAttribute('aria-invalid')).toBeNull()
    expect(describedText(field(root, 'New password'))).toBe('New password must be at least 8 characters.')

    typeInto(field(root, 'New password'), 'long enough')
    typeInto(field(root, 'Repeat the new password'), 'long enouhg')
    click(button(root, 'Change password'))
    expect(describedText(field(root, 'Repeat the new password'))).toBe('Passwords do not match.')
    expect(presses).toHaveLength(0)

    typeInto(field(root, 'Repeat the new password'), 'long enough')
    click(button(root, 'Change password'))
    expect(root.querySelectorAll('[aria-invalid="true"]')).toHaveLength(0)
    expect(presses.map(({ action, values }) => ({ action, values }))).toEqual([
      { action: 'change', values: { oldPassword: 'old secret', password: 'long enough', passwordConfirm: 'long enough' } },
    ])
  })

  it('checks and sends only the fields of the button pressed', () => {
    const { root, presses } = show(PASSWORD_FORM)
    typeInto(field(root, 'Email'), ' alice@example.test ')
    click(button(root, 'Email me a code instead'))
    expect(field(root, 'Password').getAttribute('aria-invalid')).toBeNull()
    expect(presses.map(({ action, values }) => ({ action, values }))).toEqual([
      { action: 'send-code', values: { email: 'alice@example.test' } },
    ])
  })

  it('presses the first button on Enter in a field, never while a press is under way', () => {
    const { root, presses, props } = show(PASSWORD_FORM)
    typeInto(field(root, 'Email'), 'alice@example.test')
    typeInto(field(root, 'Password'), 'wonderland')
    press(field(root, 'Password'), 'Enter')
    expect(presses.map((entry) => entry.action)).toEqual(['sign-in'])

    press(field(root, 'Email'), 'Enter')
    expect(presses).toHaveLength(1)
    nth(presses, 0).settle(false)
    props.busy = true
    flushSync()
    press(field(root, 'Email'), 'Enter')
    expect(presses).toHaveLength(1)
  })

  it('says which button is working, and ignores the buttons until it is done', async () => {
    const { root, presses } = show(PASSWORD_FORM)
    typeInto(field(root, 'Email'), 'alice@example.test')
    typeInto(field(root, 'Password'), 'wonderland')
    const signIn = button(root, 'Sign in')
    click(signIn)
    expect(text(signIn)).toBe('Working…')
    expect(signIn.getAttribute('aria-disabled')).toBe('true')
    expect(button(root, 'Email me a code instead').getAttribute('aria-disabled')).toBe('true')
    expect(one(root, 'form').getAttribute('aria-busy')).toBe('true')
    click(button(root, 'Email me a code instead'))
    click(signIn)
    expect(presses).toHaveLength(1)
    nth(presses, 0).settle(false)
    await until(() => expect(text(signIn)).toBe('Sign in'))
    expect(signIn.getAttribute('aria-disabled')).toBe('false')
  })

  it('keeps everything typed through an error: a field error next to its field, others in an alert', async () => {
    const { root, presses, props } = show(PASSWORD_FORM)
    typeInto(field(root, 'Email'), 'alice@example.test')
    typeInto(field(root, 'Password'), 'wrong')
    click(button(root, 'Sign in'))
    props.error = { code: 'AUTH_FAILED', message: 'The email or password is wrong.' }
    nth(presses, 0).settle(false)
    await until(() => expect(withRole(root, 'alert', 'The email or password is wrong.')).toHaveLength(1))
    expect(field(root, 'Email').value).toBe('alice@example.test')
    expect(field(root, 'Password').value).toBe('wrong')

    props.error = { code: 'VALIDATION', message: 'That is not an email address.', field: 'values.email' }
    flushSync()
    expect(withRole(root, 'alert', '')).toHaveLength(0)
    expect(field(root, 'Email').getAttribute('aria-invalid')).toBe('true')
    expect(describedText(field(root, 'Email'))).toBe('That is not an email address.')
    await until(() => expect(document.activeElement).toBe(field(root, 'Email')))
    expect(field(root, 'Password').value).toBe('wrong')
  })

  it('forgets passwords and codes once a press went through or the form is replaced, and keeps the rest', async () => {
    const { root, presses, props } = show(PASSWORD_FORM)
    typeInto(field(root, 'Email'), 'alice@example.test')
    typeInto(field(root, 'Password'), 'wonderland')
    click(button(root, 'Sign in'))
    nth(presses, 0).settle(true)
    await until(() => expect(field(root, 'Password').value).toBe(''))
    expect(field(root, 'Email').value).toBe('alice@example.test')

    typeInto(field(root, 'Password'), 'typed again')
    props.form = { ...PASSWORD_FORM }
    flushSync()
    expect(field(root, 'Password').value).toBe('')
    expect(field(root, 'Email').value).toBe('alice@example.test')
  })

  it('keeps a password typed while a press that did not use it was under way', async () => {
    const { root, presses } = show(PASSWORD_FORM)
    typeInto(field(root, 'Email'), 'alice@example.test')
    click(button(root, 'Email me a code instead'))
    typeInto(field(root, 'Password'), 'typed meanwhile')
    nth(presses, 0).settle(true)
    await until(() => expect(button(root, 'Sign in').getAttribute('aria-disabled')).not.toBe('true'))
    expect(field(root, 'Password').value).toBe('typed meanwhile')
  })

  it('takes the values of a reloaded form, keeping what was typed where the backend did not change it', () => {
    const profile = actionForm('profile')
    const { root, props } = show(profile)
    setChecked(field(root, 'Send me the newsletter'), true)
    typeInto(field(root, 'Display name'), 'Typed name')
    props.form = {
      ...profile,
      fields: profile.fields.map((entry) => (entry.key === 'plan' ? { ...entry, value: 'team' } : entry)),
    }
    flushSync()
    expect(field(root, 'Display name').value).toBe('Typed name')
    expect(field(root, 'Send me the newsletter').checked).toBe(true)
    expect(control(root, 'Plan').value).toBe('team')
  })

  it('sends a checkbox as true/false and a choice as its value', () => {
    const { root, presses } = show(actionForm('profile'))
    setChecked(field(root, 'Send me the newsletter'), true)
    choose(control(root, 'Plan') as HTMLSelectElement, 'team')
    click(button(root, 'Save profile'))
    expect(nth(presses, 0).values).toEqual({ name: 'Alice Example', newsletter: 'true', plan: 'team' })
  })

  it('shows an authenticator QR code with its secret to copy, and sends only the code typed', () => {
    const { root, presses } = show({
      id: 'enroll',
      title: 'Set up an authenticator app',
      fields: [
        { key: 'qr', label: 'Authenticator secret', kind: 'qr', required: false, value: 'JBSWY3DPEHPK3PXP', preview: 'data:image/svg+xml;base64,PHN2Zy8+' },
        { key: 'code', label: 'Code from the app', kind: 'code', required: true },
      ],
      actions: [{ id: 'verify', label: 'Verify' }],
    })
    expect(one(root, 'img').getAttribute('alt')).toBe('QR code for Authenticator secret')
    const secret = field(root, 'Authenticator secret')
    expect(secret.readOnly).toBe(true)
    expect(secret.value).toBe('JBSWY3DPEHPK3PXP')
    expect(text(root)).not.toContain('optional')
    typeInto(field(root, 'Code from the app'), '123456')
    click(button(root, 'Verify'))
    expect(nth(presses, 0).values).toEqual({ code: '123456' })
  })

  it('refuses a picture of the wrong type or size before sending, and sends a good one with its preview', async () => {
    const form: FormSpec = {
      id: 'avatar',
      title: 'Picture',
      fields: [
        {
          key: 'avatar',
          label: 'Picture',
          kind: 'image',
          required: false,
          accept: ['image/png', 'image/jpeg'],
          maxBytes: 5 * MB,
          preview: 'data:image/png;base64,b2xk',
        },
      ],
      actions: [{ id: 'save', label: 'Save picture' }],
    }
    const { root, presses } = show(form)
    expect(one(root, 'img').getAttribute('alt')).toBe('Picture preview')
    expect(one(root, 'img').getAttribute('src')).toBe('data:image/png;base64,b2xk')
    const input = field(root, 'Picture')

    pickFile(input, new File(['GIF89a'], 'cat.gif', { type: 'image/gif' }))
    expect(describedText(input)).toBe('That file is a GIF file; choose a PNG or JPEG image.')
    expect(input.getAttribute('aria-invalid')).toBe('true')
    click(button(root, 'Save picture'))
    expect(presses).toHaveLength(0)

    pickFile(input, new File([new Uint8Array(Math.round(6.2 * MB))], 'huge.png', { type: 'image/png' }))
    expect(describedText(input)).toBe('That file is 6.2 MB; the limit is 5 MB.')
    click(button(root, 'Save picture'))
    expect(presses).toHaveLength(0)

    pickFile(input, new File(['new picture'], 'me.png', { type: 'image/png' }))
    const base64 = btoa('new picture')
    await until(() => expect(one(root, 'img').getAttribute('src')).toBe(`data:image/png;base64,${base64}`))
    expect(input.getAttribute('aria-invalid')).toBeNull()
    click(button(root, 'Save picture'))
    expect(nth(presses, 0).values).toEqual({ avatar: { name: 'me.png', type: 'image/png', base64 } })
  })

  it('counts down to when the step expires, and says when it has', async () => {
    const { root, props } = show(codeForm({ expiresAt: new Date(Date.now() + 90_000).toISOString() }))
    expect(text(one(root, '[data-testid="form-expiry"]'))).toMatch(/^This step expires in 1 min (29|30) s\.$/)
    props.form = codeForm({ expiresAt: new Date(Date.now() - 1000).toISOString() })
    await until(() => expect(withRole(root, 'alert', 'This step expired.')).toHaveLength(1))
  })

  it('focuses the first field of each new form when asked to', () => {
    const { root, props } = show(PASSWORD_FORM, { autofocus: true })
    expect(document.activeElement).toBe(field(root, 'Email'))
    field(root, 'Password').focus()
    props.error = { code: 'AUTH_FAILED', message: 'Wrong.' }
    flushSync()
    expect(document.activeElement).toBe(field(root, 'Password'))
    props.form = codeForm()
    flushSync()
    expect(document.activeElement).toBe(field(root, 'Code'))
  })
})
