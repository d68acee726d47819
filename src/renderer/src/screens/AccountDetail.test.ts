import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AccountSummary } from '../../../shared/contract.ts'
import { FakeApi, failWith, succeed } from '../testing/fake-api.ts'
import { SECRET_TOKEN, account } from '../testing/fixtures.ts'
import {
  button,
  click,
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
      return succeed({ kind: 'browser' as const, attemptId: 'slow-1', host: 'id.example.test', expiresAt: new Date(Date.now() + 60_000).toISOString() })
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
      fake.emit('accounts:changed', fake.accounts)
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
    fake.emit('accounts:changed', [...fake.accounts, account({ id: 'b', label: 'Home' })])
    fake.emit('accounts:changed', [...fake.accounts, account({ id: 'b', label: 'Home, renamed' })])

    const later = new Date(Date.now() + 30 * 60_000).toISOString()
    fake.accounts = fake.accounts.map((entry) => ({ ...entry, expiresAt: later }))
    fake.emit('accounts:changed', fake.accounts)
    const countdown = (): HTMLElement => one(root, '[data-testid="token-access"] [data-testid="expiry-countdown"]')
    await until(() => expect(countdown().dataset.expiresAt).toBe(later))
    expect(fake.callsOf('accountsDetail')).toHaveLength(before + 1)
  })
})

/** A promise the test opens when it wants the held answer to go out. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = (): void => {}
  const opened = new Promise<void>((resolve) => (open = resolve))
  return { opened, open }
}
