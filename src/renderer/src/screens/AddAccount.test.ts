import { afterEach, describe, expect, it } from 'vitest'
import type { AuthStep, BackendDescriptor, Result } from '../../../shared/contract.ts'
import { FakeApi, failWith, succeed } from '../testing/fake-api.ts'
import { OIDC_BACKEND, PASSWORD_FORM, POCKETBASE_BACKEND, account, codeForm } from '../testing/fixtures.ts'
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
  click(button(one(root, 'aside'), 'Add account'))
  await until(() => field(root, 'Issuer URL'))
  return root
}

/** Holds `authBegin` until the test releases it (a slow discovery). */
function slowBegin(fake: FakeApi): () => void {
  let release = (): void => {}
  const gate = new Promise<void>((resolve) => (release = resolve))
  fake.override('authBegin', async (): Promise<Result<AuthStep>> => {
    await gate
    const expiresAt = new Date(Date.now() + 5 * 60_000).toISOString()
    return { ok: true, value: { kind: 'browser', attemptId: 'slow-1', host: 'id.example.test', expiresAt, url: 'https://id.example.test/authorize?state=s', redirectUri: 'http://127.0.0.1:50000/callback', openFailure: null } }
  })
  return release
}

const submitButton = (root: HTMLElement): HTMLButtonElement => button(root, 'Sign in with browser')

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
    expect(submitButton(root).getAttribute('aria-disabled')).toBe('false')
  })

  it('renders whatever backends come back, and the chosen one\'s own fields', async () => {
    const other: BackendDescriptor = {
      kind: 'pocketbase',
      title: 'PocketBase',
      description: 'A PocketBase server.',
      signInLabel: 'Sign in with password',
      presets: [],
      fields: [{ key: 'url', label: 'Server address', kind: 'url', required: true }],
    }
    rendered = await renderApp(new FakeApi({ backends: [OIDC_BACKEND, other] }).api)
    const root = rendered.root
    click(button(one(root, 'aside'), 'Add account'))
    await until(() => expect(root.querySelectorAll('input[type="radio"]')).toHaveLength(2))
    expect(root.querySelectorAll('input[type="radio"]:checked')).toHaveLength(0)
    expect(root.querySelectorAll('input:not([type="radio"])')).toHaveLength(0)
    expect(root.querySelector('button[type="submit"]')).toBeNull()

    const pocketbase = field(root, 'PocketBase A PocketBase server.')
    pocketbase.checked = true
    pocketbase.dispatchEvent(new Event('change', { bubbles: true }))
    await until(() => expect(field(root, 'Server address').type).toBe('url'))
    expect(root.querySelector('input[type="password"]')).toBeNull()
    expect(button(root, 'Sign in with password').getAttribute('aria-disabled')).toBe('false')
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
    click(submitButton(root))
    await until(() => expect(text(root)).toContain('Waiting for you to finish signing in at id.example.test…'))
    expect(submitButton(root).getAttribute('aria-disabled')).toBe('true')
    click(submitButton(root))
    expect(fake.callsOf('authBegin')).toHaveLength(1)
    fake.emit('auth:progress', { attemptId: 'attempt-1', stage: 'waiting-browser', message: 'Waiting for the browser.' })
    fake.emit('auth:progress', { attemptId: 'other', stage: 'waiting-browser', message: 'Someone else.' })
    await until(() => expect(text(one(root, '[data-testid="auth-progress"]'))).toBe('Waiting for the browser.'))
    expect(one(root, '[data-testid="auth-progress"]').getAttribute('aria-live')).toBe('polite')
    expect(text(one(root, '[data-testid="auth-countdown"]'))).toMatch(/^[45]:\d\d$/)

    click(button(root, 'Cancel'))
    expect(fake.callsOf('authCancel')).toEqual([{ attemptId: 'attempt-1' }])
    await until(() => expect(queryButton(root, 'Cancel')).toBeNull())
    expect(withRole(root, 'status', 'Sign-in cancelled')).toHaveLength(1)
    expect(submitButton(root).getAttribute('aria-disabled')).toBe('false')
    expect(document.activeElement).toBe(submitButton(root))
    expect(field(root, 'Issuer URL').value).toBe('https://id.example.test')
  })

  it('shows the sign-in address, Copy link, Open again and the redirect URI while waiting', async () => {
    const fake = new FakeApi({ backends: [OIDC_BACKEND] })
    const root = await openForm(fake)
    fillIn(root)
    click(submitButton(root))
    await until(() => expect(oneInput(root, '[data-testid="sign-in-address"]').value).toBe('https://id.example.test/authorize?state=s'))
    expect(field(root, 'Sign-in address').readOnly).toBe(true)
    expect(text(one(root, '[data-testid="redirect-uri"]'))).toBe('http://127.0.0.1:50000/callback')
    expect(root.querySelector('[data-testid="open-failure"]')).toBeNull()
    expect(button(root, 'Copy link')).toBeTruthy()
    click(button(root, 'Open again'))
    await until(() => expect(fake.callsOf('authOpenAgain')).toEqual([{ attemptId: 'attempt-1' }]))
  })

  it('says plainly when the browser could not be opened, and again after Open again', async () => {
    const fake = new FakeApi({ backends: [OIDC_BACKEND] })
    fake.openFailure = 'xdg-open failed (exit code 3).'
    const root = await openForm(fake)
    fillIn(root)
    click(submitButton(root))
    await until(() => expect(withRole(root, 'alert', 'could not open your browser: xdg-open failed (exit code 3).')).toHaveLength(1))
    expect(text(root)).toContain('Open the sign-in address below in a browser yourself.')
    expect(text(root)).not.toContain('The sign-in page was sent to your browser')
    fake.openFailure = null
    click(button(root, 'Open again'))
    await until(() => expect(root.querySelector('[data-testid="open-failure"]')).toBeNull())
    expect(text(root)).toContain('The sign-in page was sent to your browser')
  })

  it('cancels the waiting attempt with Escape inside the waiting panel', async () => {
    const fake = new FakeApi({ backends: [OIDC_BACKEND] })
    const root = await openForm(fake)
    fillIn(root)
    click(submitButton(root))
    await until(() => expect(text(root)).toContain('Waiting for you to finish signing in'))
    expect(document.activeElement).toBe(button(root, 'Cancel'))
    press(document.body, 'Escape')
    expect(fake.callsOf('authCancel')).toEqual([])
    press(button(root, 'Cancel'), 'Escape')
    expect(fake.callsOf('authCancel')).toEqual([{ attemptId: 'attempt-1' }])
    await until(() => expect(queryButton(root, 'Cancel')).toBeNull())
    expect(field(root, 'Account name').value).toBe('Work')
  })

  it('goes back on Escape, and brings back what was typed (but no secret) on return', async () => {
    const root = await openForm(new FakeApi({ backends: [OIDC_BACKEND], accounts: [account({ id: 'a', label: 'Home', active: true })] }))
    fillIn(root)
    press(field(root, 'Client ID'), 'Escape')
    await until(() => expect(root.querySelector('section.add')).toBeNull())
    await until(() => expect(document.activeElement).toBe(one(root, 'h1')))
    expect(text(one(root, 'h1'))).toBe('Home')

    click(button(one(root, 'aside'), 'Add account'))
    await until(() => field(root, 'Issuer URL'))
    expect(field(root, 'Issuer URL').value).toBe('https://id.example.test')
    expect(field(root, 'Client ID').value).toBe('latchkey-desktop')
    expect(field(root, 'Account name').value).toBe('Work')
    expect(field(root, 'Client secret').value).toBe('')
  })

  it('marks the address invalid and focuses it when the server there cannot be used', async () => {
    const fake = new FakeApi({ backends: [OIDC_BACKEND] })
    fake.override('authBegin', () => failWith('DISCOVERY_FAILED', 'The issuer has no OpenID Connect metadata.'))
    const root = await openForm(fake)
    fillIn(root)
    click(submitButton(root))
    await until(() => expect(document.activeElement).toBe(field(root, 'Issuer URL')))
    expect(field(root, 'Issuer URL').getAttribute('aria-invalid')).toBe('true')
    expect(describedText(field(root, 'Issuer URL'))).toBe('The issuer has no OpenID Connect metadata.')
    expect(withRole(root, 'alert', 'no OpenID Connect metadata')).toHaveLength(1)
    expect(field(root, 'Client ID').getAttribute('aria-invalid')).toBeNull()
  })

  it('offers Cancel while the sign-in is still starting, and cancels the attempt once it exists', async () => {
    const fake = new FakeApi({ backends: [OIDC_BACKEND] })
    const release = slowBegin(fake)
    const root = await openForm(fake)
    fillIn(root)
    click(submitButton(root))
    await until(() => expect(text(one(root, '[data-testid="auth-waiting"] h2'))).toBe('Contacting id.example.test…'))
    expect(text(root)).not.toContain('Opening your browser')
    click(button(root, 'Cancel'))
    await until(() => expect(withRole(root, 'status', 'Sign-in cancelled')).toHaveLength(1))
    expect(fake.callsOf('authCancel')).toEqual([])
    expect(field(root, 'Issuer URL').value).toBe('https://id.example.test')

    release()
    await until(() => expect(fake.callsOf('authCancel')).toEqual([{ attemptId: 'slow-1' }]))
    expect(fake.callsOf('authComplete')).toEqual([])
    expect(text(one(root, 'h1'))).toBe('Add an account')
  })

  it('cancels a starting attempt when the form is closed', async () => {
    const fake = new FakeApi({ backends: [OIDC_BACKEND] })
    const release = slowBegin(fake)
    const root = await openForm(fake)
    fillIn(root)
    click(submitButton(root))
    await until(() => button(root, 'Cancel'))
    click(button(root, 'Close'))
    expect(root.querySelector('form')).toBeNull()
    release()
    await until(() => expect(fake.callsOf('authCancel')).toEqual([{ attemptId: 'slow-1' }]))
  })

  it('does not go to the new account when the form was left before the sign-in ended', async () => {
    const fake = new FakeApi({ backends: [OIDC_BACKEND], accounts: [account({ id: 'a', label: 'Home', active: true })] })
    fake.override('authCancel', () => failWith('NOT_FOUND', 'That sign-in already ended.'))
    const root = await openForm(fake)
    fillIn(root)
    click(submitButton(root))
    await until(() => expect(text(root)).toContain('Waiting for you to finish signing in'))
    click(button(root, 'Close'))
    expect(fake.callsOf('authCancel')).toEqual([{ attemptId: 'attempt-1' }])
    fake.finishSignIn('attempt-1', account({ id: 'new', label: 'Work', active: false }))
    await until(() => expect(options(root)).toHaveLength(2))
    await until(() => expect(text(one(root, 'h1'))).toBe('Home'))
    expect(fake.callsOf('accountsSwitch')).toEqual([])
  })

  it('moves focus to the heading of the screen that follows Close', async () => {
    const root = await openForm(new FakeApi({ backends: [OIDC_BACKEND] }))
    expect(document.activeElement).toBe(one(root, 'h1'))
    click(button(root, 'Close'))
    await until(() => expect(document.activeElement).toBe(one(root, 'h1')))
    expect(text(one(root, 'h1'))).toBe('Welcome to Latchkey')
    expect(one(root, 'h1').getAttribute('tabindex')).toBe('-1')
  })

  it('shows the new account once the browser step is done, as the active one', async () => {
    const fake = new FakeApi({ backends: [OIDC_BACKEND] })
    const root = await openForm(fake)
    fillIn(root)
    click(button(root, 'Sign in with browser'))
    await until(() => expect(text(root)).toContain('Waiting for you to finish signing in'))
    fake.finishSignIn('attempt-1', account({ id: 'new', label: 'Work', active: false }))
    await until(() => expect(text(one(root, 'h1'))).toBe('Work'))
    expect(document.activeElement).toBe(one(root, 'h1'))
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
    await until(() => expect(text(root)).toContain('Waiting for you to finish signing in'))
    fake.failSignIn('attempt-1', { code: 'AUTH_DENIED', message: 'The identity provider denied the sign-in.' })
    await until(() => expect(withRole(root, 'alert', 'denied the sign-in')).toHaveLength(1))
    expect(field(root, 'Client ID').value).toBe('latchkey-desktop')
  })
})

describe('signing in through form steps', () => {
  async function openPocketBase(fake: FakeApi): Promise<HTMLElement> {
    rendered = await renderApp(fake.api)
    const root = rendered.root
    click(button(one(root, 'aside'), 'Add account'))
    await until(() => field(root, 'Server address'))
    typeInto(field(root, 'Server address'), 'https://pb.example.test')
    return root
  }

  const stepPanel = (root: HTMLElement): HTMLElement => one(root, '[data-testid="auth-form-step"]')

  it('asks for the password, keeps the form on a refusal, then asks for a code, then waits for the browser', async () => {
    const fake = new FakeApi({ backends: [POCKETBASE_BACKEND] })
    fake.override('authBegin', () => succeed({ kind: 'form', attemptId: 'pb-1', form: PASSWORD_FORM }))
    const root = await openPocketBase(fake)
    click(button(root, 'Continue'))
    await until(() => expect(one(root, 'form[data-form-id="password"]')).toBeTruthy())
    expect(text(one(stepPanel(root), 'h2'))).toBe('Sign in to pb.example.test')
    expect(document.activeElement).toBe(field(stepPanel(root), 'Email'))
    expect(root.querySelector('[data-testid="auth-waiting"]')).toBeNull()

    fake.override('authContinue', () => failWith('AUTH_FAILED', 'The email or password is wrong.'))
    typeInto(field(stepPanel(root), 'Email'), 'alice@example.test')
    typeInto(field(stepPanel(root), 'Password'), 'wrong')
    press(field(stepPanel(root), 'Password'), 'Enter')
    await until(() => expect(withRole(stepPanel(root), 'alert', 'The email or password is wrong.')).toHaveLength(1))
    // The password is what to type again: marked invalid, described by the alert, and focused.
    expect(field(stepPanel(root), 'Password').getAttribute('aria-invalid')).toBe('true')
    expect(describedText(field(stepPanel(root), 'Password'))).toBe('The email or password is wrong.')
    await until(() => expect(document.activeElement).toBe(field(stepPanel(root), 'Password')))
    expect(field(stepPanel(root), 'Email').getAttribute('aria-invalid')).toBeNull()
    expect(one(root, 'form[data-form-id]').dataset.formId).toBe('password')
    expect(field(stepPanel(root), 'Email').value).toBe('alice@example.test')
    expect(field(stepPanel(root), 'Password').value).toBe('wrong')

    fake.override('authContinue', () => succeed({ kind: 'form', attemptId: 'pb-1', form: codeForm() }))
    typeInto(field(stepPanel(root), 'Password'), 'wonderland')
    click(button(stepPanel(root), 'Sign in'))
    await until(() => expect(one(root, 'form[data-form-id]').dataset.formId).toBe('otp'))
    expect(document.activeElement).toBe(field(stepPanel(root), 'Code'))
    expect(withRole(root, 'alert', 'wrong')).toHaveLength(0)
    expect(text(one(root, '[data-testid="form-expiry"]'))).toMatch(/^This step expires in [45] min \d+ s\.$/)
    expect(document.body.innerHTML).not.toContain('wonderland')

    const expiresAt = new Date(Date.now() + 5 * 60_000).toISOString()
    fake.override('authContinue', () => succeed({ kind: 'browser', attemptId: 'pb-1', host: 'pb.example.test', expiresAt, url: 'https://id.example.test/authorize?state=s', redirectUri: 'http://127.0.0.1:50000/callback', openFailure: null }))
    typeInto(field(stepPanel(root), 'Code'), '123456')
    click(button(stepPanel(root), 'Verify'))
    await until(() => expect(text(root)).toContain('Waiting for you to finish signing in at pb.example.test…'))
    expect(root.querySelector('[data-testid="auth-form-step"]')).toBeNull()
    expect(fake.callsOf('authComplete')).toEqual([{ attemptId: 'pb-1' }])
    expect(fake.callsOf('authContinue')).toEqual([
      { attemptId: 'pb-1', action: 'sign-in', values: { email: 'alice@example.test', password: 'wrong' } },
      { attemptId: 'pb-1', action: 'sign-in', values: { email: 'alice@example.test', password: 'wonderland' } },
      { attemptId: 'pb-1', action: 'verify', values: { code: '123456' } },
    ])

    fake.finishSignIn('pb-1', account({ id: 'pb-alice', label: 'Alice', provider: 'pocketbase', backend: 'pb.example.test' }))
    await until(() => expect(text(one(root, 'h1'))).toBe('Alice'))
    expect(fake.callsOf('accountsSwitch')).toEqual([{ id: 'pb-alice' }])
  })

  it('signs in directly when the form step is the last one', async () => {
    const fake = new FakeApi({ backends: [POCKETBASE_BACKEND] })
    fake.override('authBegin', () => succeed({ kind: 'form', attemptId: 'pb-1', form: PASSWORD_FORM }))
    const alice = account({ id: 'pb-alice', label: 'Alice', provider: 'pocketbase' })
    fake.override('authContinue', () => {
      fake.accounts = [alice]
      return succeed({ kind: 'done', account: alice })
    })
    const root = await openPocketBase(fake)
    click(button(root, 'Continue'))
    await until(() => field(stepPanel(root), 'Email'))
    typeInto(field(stepPanel(root), 'Email'), 'alice@example.test')
    typeInto(field(stepPanel(root), 'Password'), 'wonderland')
    click(button(stepPanel(root), 'Sign in'))
    await until(() => expect(text(one(root, 'h1'))).toBe('Alice'))
  })

  it('cancels at a form step, says so, and keeps the backend settings', async () => {
    const fake = new FakeApi({ backends: [POCKETBASE_BACKEND] })
    fake.override('authBegin', () => succeed({ kind: 'form', attemptId: 'pb-1', form: PASSWORD_FORM }))
    const root = await openPocketBase(fake)
    click(button(root, 'Continue'))
    await until(() => field(stepPanel(root), 'Email'))
    expect(button(root, 'Continue').getAttribute('aria-disabled')).toBe('true')
    typeInto(field(stepPanel(root), 'Password'), 'half typed')
    click(button(stepPanel(root), 'Cancel'))
    expect(fake.callsOf('authCancel')).toEqual([{ attemptId: 'pb-1' }])
    await until(() => expect(root.querySelector('[data-testid="auth-form-step"]')).toBeNull())
    expect(withRole(root, 'status', 'Sign-in cancelled')).toHaveLength(1)
    expect(field(root, 'Server address').value).toBe('https://pb.example.test')
    expect(document.activeElement).toBe(button(root, 'Continue'))
    expect(fake.callsOf('authContinue')).toEqual([])
  })

  it('shows the attempt’s progress below the form, announced as it comes, and why Cancel failed, keeping the step', async () => {
    const fake = new FakeApi({ backends: [POCKETBASE_BACKEND] })
    fake.override('authBegin', () => succeed({ kind: 'form', attemptId: 'pb-1', form: PASSWORD_FORM }))
    fake.override('authCancel', () => failWith('INTERNAL', 'Could not cancel.'))
    const root = await openPocketBase(fake)
    click(button(root, 'Continue'))
    await until(() => field(stepPanel(root), 'Email'))
    fake.emit('auth:progress', { attemptId: 'pb-1', stage: 'opening-browser', message: 'Asking the server.' })
    fake.emit('auth:progress', { attemptId: 'other', stage: 'opening-browser', message: 'Someone else.' })
    const progress = one(stepPanel(root), '[data-testid="auth-progress"]')
    await until(() => expect(text(progress)).toBe('Asking the server.'))
    expect(progress.getAttribute('aria-live')).toBe('polite')
    expect(withRole(stepPanel(root), 'alert', 'Could not cancel.')).toHaveLength(0)

    click(button(stepPanel(root), 'Cancel'))
    await until(() => expect(withRole(stepPanel(root), 'alert', 'Could not cancel.')).toHaveLength(1))
    expect(field(stepPanel(root), 'Email')).toBeTruthy()
  })

  it('says why Cancel failed while waiting for the browser, and keeps waiting', async () => {
    const fake = new FakeApi({ backends: [POCKETBASE_BACKEND] })
    fake.override('authCancel', () => failWith('INTERNAL', 'Could not cancel.'))
    const root = await openPocketBase(fake)
    click(button(root, 'Continue'))
    const waiting = (): HTMLElement => one(root, '[data-testid="auth-waiting"]')
    await until(() => expect(text(waiting())).toContain('Waiting for you to finish signing in'))
    click(button(waiting(), 'Cancel'))
    await until(() => expect(withRole(waiting(), 'alert', 'Could not cancel.')).toHaveLength(1))
    expect(button(waiting(), 'Cancel')).toBeTruthy()
  })

  it('ends the attempt with the error when the sign-in is gone', async () => {
    const fake = new FakeApi({ backends: [POCKETBASE_BACKEND] })
    fake.override('authBegin', () => succeed({ kind: 'form', attemptId: 'pb-1', form: codeForm() }))
    fake.override('authContinue', () => failWith('NOT_FOUND', 'That sign-in has ended. Start again.'))
    const root = await openPocketBase(fake)
    click(button(root, 'Continue'))
    await until(() => field(stepPanel(root), 'Code'))
    typeInto(field(stepPanel(root), 'Code'), '123456')
    click(button(stepPanel(root), 'Verify'))
    await until(() => expect(root.querySelector('[data-testid="auth-form-step"]')).toBeNull())
    expect(withRole(root, 'alert', 'That sign-in has ended. Start again.')).toHaveLength(1)
    expect(button(root, 'Continue').getAttribute('aria-disabled')).toBe('false')
  })
})
