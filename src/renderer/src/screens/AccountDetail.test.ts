import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AccountAction, AccountSummary, ActionOutcome, Result } from '../../../shared/contract.ts'
import { FakeApi, failWith, succeed } from '../testing/fake-api.ts'
import { PASSWORD_FORM, SECRET_TOKEN, account, accountActions, detailOf } from '../testing/fixtures.ts'
import {
  button,
  click,
  describedText,
  field,
  nth,
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
const writeText = vi.fn<(value: string) => Promise<void>>()

beforeEach(() => {
  writeText.mockReset().mockResolvedValue(undefined)
  Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
})
afterEach(() => rendered?.destroy())

async function showAccount(summary: Partial<AccountSummary> = {}): Promise<{ fake: FakeApi; root: HTMLElement }> {
  const fake = new FakeApi({ accounts: [account({ id: 'a', label: 'Work', active: true, ...summary })] })
  rendered = await renderApp(fake.api)
  const root = rendered.root
  await until(() => one(root, '[data-testid="token-access"]'))
  return { fake, root }
}

describe('the account detail', () => {
  it('is headed by the account’s name while its details load, and when they fail to load', async () => {
    const fake = new FakeApi({ accounts: [account({ id: 'a', label: 'Work', active: true })] })
    let answer = (): void => {}
    fake.override('accountsDetail', () => new Promise((resolve) => (answer = () => resolve({ ok: false, error: { code: 'NETWORK', message: 'Latchkey did not answer.' } }))))
    rendered = await renderApp(fake.api)
    const root = rendered.root
    await until(() => expect(withRole(root, 'status', 'Loading account…')).toHaveLength(1))
    expect(text(one(root, 'h1'))).toBe('Work')
    answer()
    await until(() => expect(text(root)).toContain('Latchkey did not answer.'))
    expect(text(one(root, 'h1'))).toBe('Work')
    expect(root.querySelectorAll('h1')).toHaveLength(1)
  })

  it('shows the account, its storage, profile, configuration and tokens', async () => {
    const { root } = await showAccount()
    expect(text(one(root, 'h1'))).toBe('Work')
    expect(text(one(root, '[data-testid="backend"]'))).toBe('id.example.test')
    expect(text(one(root, '[aria-label="Account details"] [data-testid="status-badge"]'))).toBe('Signed in')
    expect(text(one(root, '[data-testid="storage"]'))).toBe('Stored in the system keychain')
    expect(text(one(root, '[data-testid="profile"]'))).toContain('alice@example.test')
    expect(text(one(root, '[data-testid="config"]'))).toContain('https://id.example.test')
    const access = one(root, '[data-testid="token-access"]')
    expect(text(access)).toContain('openid')
    expect(text(one(access, '[data-testid="expiry-countdown"]'))).toMatch(/^expires in 4 min \d+ s$/)
    expect(text(one(access, '[data-testid="claims-access"]'))).toContain('openid profile')
    expect(text(one(root, '[data-testid="claims-id"]'))).toContain('alice@example.test')
    // An ID token is not granted scopes: it shows none, rather than "none reported".
    const idToken = one(root, '[data-testid="token-id"]')
    expect([...access.querySelectorAll('dt')].map(text)).toContain('Scopes')
    expect([...idToken.querySelectorAll('dt')].map(text)).toEqual(['Issued', 'Expires'])
  })

  it('says when a session lives in memory only', async () => {
    const { root } = await showAccount({ storage: 'memory-only' })
    expect(text(one(root, '[data-testid="storage"]'))).toBe('Memory only — this session ends when Latchkey quits')
  })

  it('copies a token only on click, through the clipboard, without showing it', async () => {
    const { fake, root } = await showAccount()
    expect(fake.callsOf('accountsCopyToken')).toEqual([])
    click(button(root, 'Copy access token'))
    expect(fake.callsOf('accountsCopyToken')).toEqual([{ id: 'a', kind: 'access' }])
    await until(() => expect(withRole(root, 'status', 'Copied')).toHaveLength(1))
    expect(writeText).toHaveBeenCalledWith(SECRET_TOKEN)
    expect(document.body.innerHTML).not.toContain(SECRET_TOKEN)
  })

  it('does not touch the clipboard when the main process already copied', async () => {
    const { fake, root } = await showAccount()
    fake.override('accountsCopyToken', () => succeed({ delivered: 'clipboard' }))
    click(button(root, 'Copy ID token'))
    await until(() => expect(withRole(root, 'status', 'Copied')).toHaveLength(1))
    expect(fake.callsOf('accountsCopyToken')).toEqual([{ id: 'a', kind: 'id' }])
    expect(writeText).not.toHaveBeenCalled()
  })

  it('shows a banner with "Sign in again" when the account needs attention, and signs in again', async () => {
    const { fake, root } = await showAccount({
      status: 'needs-attention',
      attention: { reason: 'revoked', message: 'The server revoked this session.', since: new Date().toISOString() },
    })
    const [banner] = withRole(root, 'alert', 'The server revoked this session.')
    if (!banner) throw new Error('no attention banner')
    click(button(banner, 'Sign in again'))
    expect(fake.callsOf('authReauth')).toEqual([{ id: 'a' }])
    await until(() => expect(text(root)).toContain('Waiting for you to finish signing in at id.example.test…'))

    fake.finishSignIn('attempt-1', account({ id: 'a', label: 'Work', active: true }))
    await until(() => {
      expect(withRole(root, 'alert', 'revoked')).toHaveLength(0)
      expect(queryButton(root, 'Cancel')).toBeNull()
    })
    expect(text(one(root, '[aria-label="Account details"] [data-testid="status-badge"]'))).toBe('Signed in')
  })

  it('signs in again through a form step, with its error kept in the form', async () => {
    const { fake, root } = await showAccount({ status: 'signed-out', expiresAt: null, provider: 'pocketbase' })
    fake.override('authReauth', () => succeed({ kind: 'form' as const, attemptId: 'pb-2', form: PASSWORD_FORM }))
    click(button(root, 'Sign in again'))
    const step = (): HTMLElement => one(root, '[data-testid="auth-form-step"]')
    await until(() => expect(document.activeElement).toBe(field(step(), 'Email')))
    typeInto(field(step(), 'Email'), 'alice@example.test')
    typeInto(field(step(), 'Password'), 'wrong')
    fake.override('authContinue', () => failWith('RATE_LIMITED', 'Too many tries. Wait a minute.'))
    click(button(step(), 'Sign in'))
    await until(() => expect(withRole(step(), 'alert', 'Too many tries.')).toHaveLength(1))
    expect(field(step(), 'Password').value).toBe('wrong')

    fake.override('authContinue', () => {
      const back = account({ id: 'a', label: 'Work', provider: 'pocketbase', active: true })
      fake.accounts = [back]
      return succeed({ kind: 'done' as const, account: back })
    })
    typeInto(field(step(), 'Password'), 'wonderland')
    click(button(step(), 'Sign in'))
    await until(() => expect(root.querySelector('[data-testid="auth-form-step"]')).toBeNull())
    await until(() => expect(text(one(root, '[aria-label="Account details"] [data-testid="status-badge"]'))).toBe('Signed in'))
    expect(fake.callsOf('authContinue')).toHaveLength(2)
    expect(document.body.innerHTML).not.toContain('wonderland')
  })

  it('cancels a sign-in-again from the waiting state, says so, and focuses "Sign in again"', async () => {
    const { fake, root } = await showAccount({ status: 'signed-out', expiresAt: null })
    click(button(root, 'Sign in again'))
    await until(() => expect(text(root)).toContain('Waiting for you to finish signing in at id.example.test…'))
    click(button(root, 'Cancel'))
    expect(fake.callsOf('authCancel')).toEqual([{ attemptId: 'attempt-1' }])
    await until(() => expect(queryButton(root, 'Cancel')).toBeNull())
    expect(withRole(root, 'alert', '')).toHaveLength(0)
    expect(withRole(root, 'status', 'Sign-in cancelled.')).toHaveLength(1)
    await until(() => expect(document.activeElement).toBe(button(root, 'Sign in again')))
  })

  it('cancels the wait with Escape only inside the waiting panel', async () => {
    const { fake, root } = await showAccount({ status: 'signed-out', expiresAt: null })
    click(button(root, 'Sign in again'))
    await until(() => expect(text(root)).toContain('Waiting for you to finish signing in'))
    press(document.body, 'Escape')
    expect(fake.callsOf('authCancel')).toEqual([])
    press(button(root, 'Cancel'), 'Escape')
    expect(fake.callsOf('authCancel')).toEqual([{ attemptId: 'attempt-1' }])
  })

  it('says "Contacting …" with a Cancel button until the sign-in has started', async () => {
    const { fake, root } = await showAccount({ status: 'signed-out', expiresAt: null })
    const { opened, open } = gate()
    fake.override('authReauth', async () => {
      await opened
      return succeed({ kind: 'browser' as const, attemptId: 'slow-1', host: 'id.example.test', expiresAt: new Date(Date.now() + 60_000).toISOString(), url: 'https://id.example.test/authorize?state=s', redirectUri: 'http://127.0.0.1:50000/callback', openFailure: null })
    })
    click(button(root, 'Sign in again'))
    await until(() => expect(text(one(root, '[data-testid="auth-waiting"] h2'))).toBe('Contacting id.example.test…'))
    click(button(root, 'Cancel'))
    await until(() => expect(withRole(root, 'status', 'Sign-in cancelled.')).toHaveLength(1))
    open()
    await until(() => expect(fake.callsOf('authCancel')).toEqual([{ attemptId: 'slow-1' }]))
  })

  it('signs out and reports honestly what the server did', async () => {
    const { fake, root } = await showAccount()
    fake.override('authSignOut', () =>
      succeed({ revokedOnServer: false, browserLogout: 'not-offered', message: 'Signed out on this device.' }),
    )
    click(button(root, 'Sign out'))
    expect(fake.callsOf('authSignOut')).toEqual([{ id: 'a' }])
    const outcome = (): string => text(one(root, '[data-testid="sign-out-outcome"]'))
    await until(() => expect(outcome()).toContain('Signed out on this device.'))
    expect(outcome()).toContain('did not confirm revoking')
    expect(one(root, '[data-testid="sign-out-outcome"]').getAttribute('role')).toBe('status')
    expect(one(root, '[data-testid="sign-out-outcome"]').dataset.revoked).toBe('false')
  })

  it('keeps focus on "Sign out" while it works, and ignores more clicks', async () => {
    const { fake, root } = await showAccount()
    const { opened, open } = gate()
    fake.override('authSignOut', async () => {
      await opened
      fake.accounts = fake.accounts.map((entry) => ({ ...entry, status: 'signed-out' as const, expiresAt: null }))
      fake.changeList(fake.accounts)
      return succeed({ revokedOnServer: true, browserLogout: 'not-offered' as const, message: 'Signed out.' })
    })
    const signOut = button(root, 'Sign out')
    signOut.focus()
    click(signOut)
    expect(signOut.getAttribute('aria-disabled')).toBe('true')
    click(signOut)
    expect(fake.callsOf('authSignOut')).toHaveLength(1)
    open()
    await until(() => expect(one(root, '[data-testid="sign-out-outcome"]').dataset.revoked).toBe('true'))
    expect(document.activeElement).toBe(button(root, 'Sign out'))
  })

  it('refreshes on request and shows the new expiry', async () => {
    const { fake, root } = await showAccount()
    const later = new Date(Date.now() + 60 * 60_000).toISOString()
    const { opened, open } = gate()
    fake.override('accountsRefresh', async ({ id }) => {
      await opened
      fake.accounts = fake.accounts.map((entry) => ({ ...entry, expiresAt: later }))
      return succeed(fake.accounts.find((entry) => entry.id === id) ?? account())
    })
    const refresh = button(root, 'Refresh now')
    refresh.focus()
    click(refresh)
    expect(refresh.getAttribute('aria-disabled')).toBe('true')
    click(refresh)
    expect(fake.callsOf('accountsRefresh')).toEqual([{ id: 'a' }])
    expect(document.activeElement).toBe(refresh)
    open()
    const countdown = (): HTMLElement => one(root, '[data-testid="token-access"] [data-testid="expiry-countdown"]')
    await until(() => expect(countdown().dataset.expiresAt).toBe(later))
    expect(text(countdown())).toMatch(/^expires in 59 min \d+ s$/)
    expect(document.activeElement).toBe(button(root, 'Refresh now'))

    fake.override('accountsRefresh', () => failWith('NETWORK', 'The server cannot be reached.'))
    click(button(root, 'Refresh now'))
    await until(() => expect(withRole(root, 'alert', 'The server cannot be reached.')).toHaveLength(1))
  })

  it('focuses the account shown next after removing, or "Add account" when none is left', async () => {
    const fake = new FakeApi({ accounts: [account({ id: 'a', label: 'Work', active: true }), account({ id: 'b', label: 'Home' })] })
    rendered = await renderApp(fake.api)
    const root = rendered.root
    await until(() => one(root, '[data-testid="token-access"]'))
    click(button(root, 'Remove'))
    click(button(root, 'Remove account'))
    await until(() => expect(text(one(root, 'h1'))).toBe('Home'))
    expect(document.activeElement).toBe(one(root, '[role="option"][data-account-id="b"]'))

    await until(() => one(root, '[data-testid="token-access"]'))
    click(button(root, 'Remove'))
    click(button(root, 'Remove account'))
    await until(() => expect(options(root)).toHaveLength(0))
    const welcome = one(root, '.pane')
    await until(() => expect(document.activeElement).toBe(button(welcome, 'Add account')))
  })

  it('removes only after the inline confirmation', async () => {
    const { fake, root } = await showAccount()
    click(button(root, 'Remove'))
    expect(fake.callsOf('accountsRemove')).toEqual([])
    expect(document.activeElement).toBe(button(root, 'Remove account'))
    click(button(root, 'Keep it'))
    expect(queryButton(root, 'Remove account')).toBeNull()
    expect(document.activeElement).toBe(button(root, 'Remove'))

    click(button(root, 'Remove'))
    click(button(root, 'Remove account'))
    expect(fake.callsOf('accountsRemove')).toEqual([{ id: 'a' }])
    await until(() => expect(text(root)).toContain('No accounts yet'))
  })

  it('renames inline: Enter saves, Escape cancels, errors stay next to the input', async () => {
    const { fake, root } = await showAccount()
    click(button(root, 'Rename'))
    const input = oneInput(root, 'input[aria-label="New account name"]')
    expect(document.activeElement).toBe(input)
    typeInto(input, 'Changed')
    press(input, 'Escape')
    expect(text(one(root, 'h1'))).toBe('Work')
    expect(fake.callsOf('accountsRename')).toEqual([])

    click(button(root, 'Rename'))
    fake.override('accountsRename', () => failWith('VALIDATION', 'That name is too long.', 'label'))
    const second = oneInput(root, 'input[aria-label="New account name"]')
    typeInto(second, 'Way too long')
    press(second, 'Enter')
    await until(() => expect(second.getAttribute('aria-invalid')).toBe('true'))
    expect(text(root)).toContain('That name is too long.')
    expect(second.value).toBe('Way too long')

    fake.override('accountsRename', ({ id, label }) => succeed(account({ id, label, active: true })))
    typeInto(second, 'Client work')
    press(second, 'Enter')
    await until(() => expect(text(one(root, 'h1'))).toBe('Client work'))
    expect(fake.callsOf('accountsRename')).toEqual([
      { id: 'a', label: 'Way too long' },
      { id: 'a', label: 'Client work' },
    ])
  })

  it('reloads its detail only when its own summary changes', async () => {
    const { fake, root } = await showAccount()
    const before = fake.callsOf('accountsDetail').length
    fake.changeList([...fake.accounts, account({ id: 'b', label: 'Home' })])
    fake.changeList([...fake.accounts, account({ id: 'b', label: 'Home, renamed' })])

    const later = new Date(Date.now() + 30 * 60_000).toISOString()
    fake.accounts = fake.accounts.map((entry) => ({ ...entry, expiresAt: later }))
    fake.changeList(fake.accounts)
    const countdown = (): HTMLElement => one(root, '[data-testid="token-access"] [data-testid="expiry-countdown"]')
    await until(() => expect(countdown().dataset.expiresAt).toBe(later))
    expect(fake.callsOf('accountsDetail')).toHaveLength(before + 1)
  })
})

describe('what the account can do beyond sign-in', () => {
  async function showActions(
    summary: Partial<AccountSummary> = {},
    actions: AccountAction[] = accountActions(),
  ): Promise<{ fake: FakeApi; root: HTMLElement }> {
    const fake = new FakeApi({
      accounts: [account({ id: 'a', label: 'Work', provider: 'pocketbase', active: true, ...summary })],
      actions: { a: actions },
    })
    rendered = await renderApp(fake.api)
    const root = rendered.root
    await until(() => one(root, '[aria-label="Account details"]'))
    return { fake, root }
  }

  /** The button that opens and closes an action's disclosure. */
  function toggleOf(root: HTMLElement, title: string): HTMLButtonElement {
    const found = [...root.querySelectorAll<HTMLButtonElement>('button[aria-controls]')].filter((entry) => text(entry) === title)
    return nth(found, 0)
  }

  /** The disclosure of one action, opened. */
  function openAction(root: HTMLElement, title: string): HTMLElement {
    const toggle = toggleOf(root, title)
    if (toggle.getAttribute('aria-expanded') !== 'true') click(toggle)
    return one(root, `#${CSS.escape(toggle.getAttribute('aria-controls') ?? '')}`)
  }

  const section = (root: HTMLElement, title: string): HTMLElement => {
    const heading = [...root.querySelectorAll('h2')].find((entry) => text(entry) === title)
    const found = heading?.closest('section')
    if (!found) throw new Error(`no section "${title}"`)
    return found
  }

  it('lists the actions by group as disclosures, each holding its form', async () => {
    const { fake, root } = await showActions()
    await until(() => toggleOf(root, 'Edit profile'))
    expect(fake.callsOf('accountsActions')).toEqual([{ id: 'a' }])
    expect(toggleOf(section(root, 'Profile'), 'Edit profile')).toBeTruthy()
    expect(toggleOf(section(root, 'Security'), 'Change password')).toBeTruthy()
    expect(toggleOf(section(root, 'Administration'), 'Sign in as another user')).toBeTruthy()

    const toggle = toggleOf(root, 'Change password')
    expect(toggle.getAttribute('aria-expanded')).toBe('false')
    const panel = one(root, `#${CSS.escape(toggle.getAttribute('aria-controls') ?? '')}`)
    expect(panel.hidden).toBe(true)
    click(toggle)
    expect(toggle.getAttribute('aria-expanded')).toBe('true')
    expect(panel.hidden).toBe(false)
    expect(one(panel, 'form').dataset.formId).toBe('password')
    expect(field(panel, 'Current password').autocomplete).toBe('current-password')
  })

  it('shows no action sections for a backend that offers none', async () => {
    const { fake, root } = await showActions({}, [])
    await until(() => expect(fake.callsOf('accountsActions')).toHaveLength(1))
    expect([...root.querySelectorAll('[aria-label="Account details"] h2')].map(text)).toEqual(['Profile', 'Tokens', 'Command line', 'Configuration'])
  })

  it('does not ask for actions while signed out, and does once signed in again', async () => {
    const { fake, root } = await showActions({ status: 'signed-out', expiresAt: null })
    expect(fake.callsOf('accountsActions')).toEqual([])
    expect(root.querySelector('button[aria-controls]')).toBeNull()
    click(button(root, 'Sign in again'))
    await until(() => expect(text(root)).toContain('Waiting for you to finish signing in'))
    fake.finishSignIn('attempt-1', account({ id: 'a', label: 'Work', provider: 'pocketbase', active: true }))
    await until(() => toggleOf(root, 'Edit profile'))
    expect(fake.callsOf('accountsActions')).toEqual([{ id: 'a' }])
  })

  it('runs an action: progress, the outcome, then the account, its profile and the forms brought up to date', async () => {
    const { fake, root } = await showActions()
    await until(() => toggleOf(root, 'Edit profile'))
    const { opened, open } = gate()
    fake.override('accountsRunAction', async ({ id }) => {
      await opened
      const renamed = account({ id, label: 'Work', provider: 'pocketbase', active: true, user: { subject: 'user-1', name: 'Alice Renamed', email: 'alice@example.test' } })
      fake.accounts = [renamed]
      fake.actions.a = accountActions().map((action) =>
        action.id === 'profile'
          ? { ...action, form: { ...action.form, fields: action.form.fields.map((entry) => (entry.key === 'name' ? { ...entry, value: 'Alice Renamed' } : entry)) } }
          : action,
      )
      return succeed({ message: 'Your profile was saved.', account: renamed, created: null })
    })
    const panel = openAction(root, 'Edit profile')
    typeInto(field(panel, 'Display name'), 'Alice Renamed')
    const save = button(panel, 'Save profile')
    save.focus()
    click(save)
    expect(fake.callsOf('accountsRunAction')).toEqual([
      { id: 'a', form: 'profile', action: 'save', values: { name: 'Alice Renamed', newsletter: 'false', plan: 'free' } },
    ])
    expect(text(save)).toBe('Working…')
    expect(button(root, 'Refresh now').getAttribute('aria-disabled')).toBe('true')
    const detailLoads = fake.callsOf('accountsDetail').length

    open()
    const outcome = (): HTMLElement => one(root, '[data-testid="action-outcome"]')
    await until(() => expect(text(outcome())).toBe('Your profile was saved.'))
    expect(outcome().getAttribute('role')).toBe('status')
    expect(panel.contains(outcome())).toBe(true)
    await until(() => expect(text(one(root, '[data-testid="profile"] [data-key="name"]'))).toBe('Alice Renamed'))
    expect(fake.callsOf('accountsDetail').length).toBeGreaterThan(detailLoads)
    await until(() => expect(fake.callsOf('accountsActions')).toHaveLength(2))
    expect(field(panel, 'Display name').value).toBe('Alice Renamed')
    expect(text(button(panel, 'Save profile'))).toBe('Save profile')
    expect(document.activeElement).toBe(button(panel, 'Save profile'))
  })

  it('keeps errors in the form, next to the field they name, and everything typed', async () => {
    const { fake, root } = await showActions()
    await until(() => toggleOf(root, 'Change password'))
    const panel = openAction(root, 'Change password')
    typeInto(field(panel, 'Current password'), 'not it')
    typeInto(field(panel, 'New password'), 'long enough')
    typeInto(field(panel, 'Repeat the new password'), 'long enough')

    fake.override('accountsRunAction', () => failWith('VALIDATION', 'The current password is wrong.', 'values.oldPassword'))
    click(button(panel, 'Change password'))
    await until(() => expect(field(panel, 'Current password').getAttribute('aria-invalid')).toBe('true'))
    expect(describedText(field(panel, 'Current password'))).toBe('The current password is wrong.')

    fake.override('accountsRunAction', () => failWith('RATE_LIMITED', 'Too many tries. Try again after 12:05.'))
    click(button(panel, 'Change password'))
    await until(() => expect(withRole(panel, 'alert', 'Too many tries.')).toHaveLength(1))
    expect(field(panel, 'Current password').getAttribute('aria-invalid')).toBeNull()
    expect(field(panel, 'Current password').value).toBe('not it')
    expect(field(panel, 'New password').value).toBe('long enough')
    expect(root.querySelector('[data-testid="action-outcome"]')).toBeNull()
  })

  it('shows the outcome above the sections when the account needs attention afterwards', async () => {
    const { fake, root } = await showActions()
    await until(() => toggleOf(root, 'Change password'))
    fake.override('accountsRunAction', ({ id }) => {
      const after = account({
        id,
        label: 'Work',
        provider: 'pocketbase',
        active: true,
        status: 'needs-attention',
        attention: { reason: 'revoked', message: 'The password changed; sign in with the new one.', since: new Date().toISOString() },
      })
      fake.accounts = [after]
      return succeed({ message: 'Password changed. Sign in again with the new password.', account: after, created: null })
    })
    const panel = openAction(root, 'Change password')
    typeInto(field(panel, 'Current password'), 'old secret')
    typeInto(field(panel, 'New password'), 'long enough')
    typeInto(field(panel, 'Repeat the new password'), 'long enough')
    click(button(panel, 'Change password'))
    await until(() => expect(withRole(root, 'alert', 'The password changed')).toHaveLength(1))
    expect(text(one(root, '[data-testid="action-outcome"]'))).toBe('Password changed. Sign in again with the new password.')
    expect(root.querySelector('button[aria-controls]')).toBeNull()
    expect(root.querySelector('input[type="password"]')).toBeNull()
    await until(() => expect(document.activeElement).toBe(one(root, 'h1')))
  })

  it('puts focus on the heading when the form pressed goes away with the actions offered afterwards', async () => {
    // As when an authenticator is set up: its form gives way to "Finish setting up".
    const { fake, root } = await showActions()
    await until(() => toggleOf(root, 'Sign in as another user'))
    fake.override('accountsRunAction', ({ id }): Promise<Result<ActionOutcome>> => {
      fake.actions = { a: accountActions().filter((action) => action.id !== 'impersonate') }
      return succeed({ message: 'Done.', account: fake.accounts.find((entry) => entry.id === id) ?? account(), created: null })
    })
    // The list of actions comes back later than the account's detail, as over a real bridge.
    fake.override('accountsActions', () => new Promise((resolve) => setTimeout(() => resolve({ ok: true, value: structuredClone(fake.actions.a ?? []) }), 20)))
    const panel = openAction(root, 'Sign in as another user')
    typeInto(field(panel, 'User ID'), 'bob-record')
    const add = button(panel, 'Add as account')
    add.focus()
    click(add)
    await until(() => expect(text(one(root, '[data-testid="action-outcome"]'))).toBe('Done.'))
    await until(() => expect(root.querySelector(`#${CSS.escape(panel.id)}`)).toBeNull())
    expect(document.activeElement).toBe(one(root, 'h1'))
  })

  it('offers to open an account an action added', async () => {
    const { fake, root } = await showActions()
    await until(() => toggleOf(root, 'Sign in as another user'))
    const bob = account({ id: 'bob', label: 'Bob (impersonated)', provider: 'pocketbase', renewal: 'none' })
    fake.override('accountsRunAction', ({ id }): Promise<Result<ActionOutcome>> => {
      fake.accounts = [...fake.accounts, bob]
      return succeed({ message: 'Signed in as Bob.', account: fake.accounts.find((entry) => entry.id === id) ?? account(), created: bob })
    })
    const panel = openAction(root, 'Sign in as another user')
    typeInto(field(panel, 'User ID'), 'bob-record')
    click(button(panel, 'Add as account'))
    await until(() => expect(text(one(root, '[data-testid="action-outcome"]'))).toContain('Added Bob (impersonated)'))
    await until(() => expect(options(root).map((option) => option.dataset.accountId)).toEqual(['a', 'bob']))
    click(button(one(root, '[data-testid="action-outcome"]'), 'Open'))
    expect(fake.callsOf('accountsSwitch')).toEqual([{ id: 'bob' }])
    await until(() => expect(text(one(root, 'h1'))).toBe('Bob (impersonated)'))
    await until(() => expect(document.activeElement).toBe(one(root, 'h1')))
    // A token nothing renews offers no refresh.
    expect(queryButton(root, 'Refresh now')).toBeNull()
    expect(queryButton(root, 'Check session')).toBeNull()
  })
})

describe('renewal and sign-out by what the backend can do', () => {
  it('offers "Check session" for a token the server never renews, and checks it on request', async () => {
    const { fake, root } = await showAccount({ renewal: 'check' })
    expect(queryButton(root, 'Refresh now')).toBeNull()
    const { opened, open } = gate()
    fake.override('accountsRefresh', async ({ id }) => {
      await opened
      return succeed(fake.accounts.find((entry) => entry.id === id) ?? account())
    })
    click(button(root, 'Check session'))
    expect(fake.callsOf('accountsRefresh')).toEqual([{ id: 'a' }])
    expect(withRole(root, 'status', 'Checking the session…')).toHaveLength(1)
    open()
    await until(() => expect(withRole(root, 'status', 'Checking the session…')).toHaveLength(0))
  })

  it('asks before signing out when the server cannot revoke the session, and says it stays valid', async () => {
    const summary = account({ id: 'a', label: 'Work', active: true })
    const fake = new FakeApi({ accounts: [summary], details: { a: detailOf(summary, { canRevoke: false }) } })
    fake.override('authSignOut', () =>
      succeed({ revokedOnServer: false, browserLogout: 'not-offered', message: 'Signed out on this device only.' }),
    )
    rendered = await renderApp(fake.api)
    const root = rendered.root
    await until(() => one(root, '[data-testid="token-access"]'))

    click(button(root, 'Sign out'))
    expect(fake.callsOf('authSignOut')).toEqual([])
    const confirm = one(root, '[data-testid="sign-out-confirm"]')
    expect(text(confirm)).toContain('This server cannot revoke the session.')
    expect(text(confirm)).toContain('stays valid on the server until it expires')
    expect(document.activeElement).toBe(button(root, 'Sign out on this device'))
    click(button(root, 'Stay signed in'))
    expect(root.querySelector('[data-testid="sign-out-confirm"]')).toBeNull()
    expect(document.activeElement).toBe(button(root, 'Sign out'))

    click(button(root, 'Sign out'))
    click(button(root, 'Sign out on this device'))
    expect(fake.callsOf('authSignOut')).toEqual([{ id: 'a' }])
    await until(() => expect(text(one(root, '[data-testid="sign-out-outcome"]'))).toContain('Signed out on this device only.'))
  })
})

/** A promise the test opens when it wants the held answer to go out. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = (): void => {}
  const opened = new Promise<void>((resolve) => (open = resolve))
  return { opened, open }
}
