import { afterEach, describe, expect, it } from 'vitest'
import type { BackendDescriptor, ProviderKind } from '../../../shared/contract.ts'
import { FakeApi, failWith } from '../testing/fake-api.ts'
import { OIDC_BACKEND, account } from '../testing/fixtures.ts'
import {
  button,
  click,
  describedText,
  field,
  one,
  oneInput,
  options,
  press,
  queryButton,
  renderApp,
  text,
  typeInto,
  until,
  withRole,
  type Rendered,
} from '../testing/dom.ts'

let rendered: Rendered | undefined
afterEach(() => rendered?.destroy())

async function openForm(fake: FakeApi): Promise<HTMLElement> {
  rendered = await renderApp(fake.api)
  const root = rendered.root
  click(button(root, 'Add account'))
  await until(() => field(root, 'Issuer URL'))
  return root
}

function fillIn(root: HTMLElement): void {
  typeInto(field(root, 'Issuer URL'), 'https://id.example.test')
  typeInto(field(root, 'Client ID'), 'latchkey-desktop')
  typeInto(field(root, 'Client secret'), 's3cret')
  typeInto(field(root, 'Account name'), 'Work')
}

describe('the add-account form', () => {
  it('renders the fields a backend describes, preselected when it is the only one', async () => {
    const root = await openForm(new FakeApi({ backends: [OIDC_BACKEND] }))
    expect(oneInput(root, 'input[type="radio"]').checked).toBe(true)
    expect(field(root, 'Issuer URL').type).toBe('url')
    expect(field(root, 'Client secret').type).toBe('password')
    expect(field(root, 'Scopes').value).toBe('openid profile email')
    expect(describedText(field(root, 'Client ID'))).toBe('From your identity provider.')
    expect(field(root, 'Account name').value).toBe('')
    expect(button(root, 'Sign in with browser').disabled).toBe(false)
  })

  it('renders whatever backends come back, and the chosen one\'s own fields', async () => {
    const other: BackendDescriptor = {
      kind: 'pocketbase' as ProviderKind,
      title: 'PocketBase',
      description: 'A PocketBase server.',
      signInLabel: 'Sign in with password',
      presets: [],
      fields: [{ key: 'url', label: 'Server address', kind: 'url', required: true }],
    }
    rendered = await renderApp(new FakeApi({ backends: [OIDC_BACKEND, other] }).api)
    const root = rendered.root
    click(button(root, 'Add account'))
    await until(() => expect(root.querySelectorAll('input[type="radio"]')).toHaveLength(2))
    expect(root.querySelectorAll('input[type="radio"]:checked')).toHaveLength(0)
    expect(root.querySelectorAll('input:not([type="radio"])')).toHaveLength(0)
    expect(root.querySelector('button[type="submit"]')).toBeNull()

    const pocketbase = field(root, 'PocketBase A PocketBase server.')
    pocketbase.checked = true
    pocketbase.dispatchEvent(new Event('change', { bubbles: true }))
    await until(() => expect(field(root, 'Server address').type).toBe('url'))
    expect(root.querySelector('input[type="password"]')).toBeNull()
    expect(button(root, 'Sign in with password').disabled).toBe(false)
  })

  it('asks for required fields before calling the backend', async () => {
    const fake = new FakeApi({ backends: [OIDC_BACKEND] })
    const root = await openForm(fake)
    click(button(root, 'Sign in with browser'))
    await until(() => expect(field(root, 'Issuer URL').getAttribute('aria-invalid')).toBe('true'))
    expect(describedText(field(root, 'Issuer URL'))).toContain('Issuer URL is required.')
    expect(fake.callsOf('authBegin')).toEqual([])
  })

  it('shows a VALIDATION error next to its field and keeps everything typed', async () => {
    const fake = new FakeApi({ backends: [OIDC_BACKEND] })
    fake.override('authBegin', () => failWith('VALIDATION', 'The issuer must use https.', 'config.issuer'))
    const root = await openForm(fake)
    fillIn(root)
    click(button(root, 'Sign in with browser'))
    await until(() => expect(field(root, 'Issuer URL').getAttribute('aria-invalid')).toBe('true'))
    expect(describedText(field(root, 'Issuer URL'))).toContain('The issuer must use https.')
    expect(field(root, 'Client ID').getAttribute('aria-invalid')).toBeNull()
    expect(field(root, 'Issuer URL').value).toBe('https://id.example.test')
    expect(field(root, 'Client ID').value).toBe('latchkey-desktop')
    expect(field(root, 'Client secret').value).toBe('s3cret')
    expect(field(root, 'Account name').value).toBe('Work')
    expect(fake.callsOf('authBegin')).toEqual([
      {
        kind: 'oidc',
        config: {
          issuer: 'https://id.example.test',
          clientId: 'latchkey-desktop',
          clientSecret: 's3cret',
          scopes: 'openid profile email',
        },
        label: 'Work',
      },
    ])
  })

  it('shows other errors in an alert and keeps the form filled', async () => {
    const fake = new FakeApi({ backends: [OIDC_BACKEND] })
    fake.override('authBegin', () => failWith('DISCOVERY_FAILED', 'The issuer has no OpenID Connect metadata.'))
    const root = await openForm(fake)
    fillIn(root)
    click(button(root, 'Sign in with browser'))
    await until(() => expect(withRole(root, 'alert', 'no OpenID Connect metadata')).toHaveLength(1))
    expect(field(root, 'Client ID').value).toBe('latchkey-desktop')
  })

  it('waits for the browser with a Cancel button that cancels the attempt', async () => {
    const fake = new FakeApi({ backends: [OIDC_BACKEND] })
    const root = await openForm(fake)
    fillIn(root)
    click(button(root, 'Sign in with browser'))
    await until(() => expect(text(root)).toContain('Waiting for you to finish signing in at id.example.test…'))
    expect(button(root, 'Sign in with browser').disabled).toBe(true)
    fake.emit('auth:progress', { attemptId: 'attempt-1', stage: 'waiting-browser', message: 'Waiting for the browser.' })
    fake.emit('auth:progress', { attemptId: 'other', stage: 'waiting-browser', message: 'Someone else.' })
    await until(() => expect(text(one(root, '[data-testid="auth-progress"]'))).toBe('Waiting for the browser.'))
    expect(one(root, '[data-testid="auth-progress"]').getAttribute('aria-live')).toBe('polite')
    expect(text(one(root, '[data-testid="auth-countdown"]'))).toMatch(/^[45]:\d\d$/)

    click(button(root, 'Cancel'))
    expect(fake.callsOf('authCancel')).toEqual([{ attemptId: 'attempt-1' }])
    await until(() => expect(queryButton(root, 'Cancel')).toBeNull())
    expect(withRole(root, 'status', 'Sign-in cancelled')).toHaveLength(1)
    expect(button(root, 'Sign in with browser').disabled).toBe(false)
    expect(field(root, 'Issuer URL').value).toBe('https://id.example.test')
  })

  it('cancels the waiting attempt with Escape', async () => {
    const fake = new FakeApi({ backends: [OIDC_BACKEND] })
    const root = await openForm(fake)
    fillIn(root)
    click(button(root, 'Sign in with browser'))
    await until(() => button(root, 'Cancel'))
    press(document.body, 'Escape')
    expect(fake.callsOf('authCancel')).toEqual([{ attemptId: 'attempt-1' }])
  })

  it('closes with Escape when nothing is running', async () => {
    const root = await openForm(new FakeApi({ backends: [OIDC_BACKEND] }))
    press(document.body, 'Escape')
    await until(() => expect(root.querySelector('form')).toBeNull())
  })

  it('shows the new account once the browser step is done, as the active one', async () => {
    const fake = new FakeApi({ backends: [OIDC_BACKEND] })
    const root = await openForm(fake)
    fillIn(root)
    click(button(root, 'Sign in with browser'))
    await until(() => button(root, 'Cancel'))
    fake.finishSignIn('attempt-1', account({ id: 'new', label: 'Work', active: false }))
    await until(() => expect(text(one(root, 'h1'))).toBe('Work'))
    expect(fake.callsOf('accountsSwitch')).toEqual([{ id: 'new' }])
    await until(() => expect(options(root).map((option) => option.getAttribute('aria-selected'))).toEqual(['true']))
  })

  it('offers ready-made settings and fills the form from them', async () => {
    const presets = [
      { name: 'Demo server', config: { issuer: 'http://127.0.0.1:4010', clientId: 'demo' } },
      { name: 'Staging', config: { issuer: 'https://staging.example.test', clientId: 'staging' } },
    ]
    const root = await openForm(new FakeApi({ backends: [{ ...OIDC_BACKEND, presets }] }))
    expect(field(root, 'Issuer URL').value).toBe('http://127.0.0.1:4010')
    expect(field(root, 'Scopes').value).toBe('openid profile email')
    typeInto(field(root, 'Scopes'), 'openid')
    click(button(root, 'Use Staging'))
    expect(field(root, 'Issuer URL').value).toBe('https://staging.example.test')
    expect(field(root, 'Client ID').value).toBe('staging')
    expect(field(root, 'Scopes').value).toBe('openid')
  })

  it('shows a failed browser step as an alert', async () => {
    const fake = new FakeApi({ backends: [OIDC_BACKEND] })
    const root = await openForm(fake)
    fillIn(root)
    click(button(root, 'Sign in with browser'))
    await until(() => button(root, 'Cancel'))
    fake.failSignIn('attempt-1', { code: 'AUTH_DENIED', message: 'The identity provider denied the sign-in.' })
    await until(() => expect(withRole(root, 'alert', 'denied the sign-in')).toHaveLength(1))
    expect(field(root, 'Client ID').value).toBe('latchkey-desktop')
  })
})
