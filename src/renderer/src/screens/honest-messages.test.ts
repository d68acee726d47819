/** Each screen shows only what applies to the account, and says each thing once. */
import { flushSync } from 'svelte'
import { afterEach, describe, expect, it } from 'vitest'
import type { AccountSummary } from '../../../shared/contract.ts'
import { FakeApi, failWith, succeed } from '../testing/fake-api.ts'
import { account, detailOf } from '../testing/fixtures.ts'
import { nextTask } from '../testing/next-task.ts'
import { button, click, one, options, queryButton, renderApp, text, until, withRole, type Rendered } from '../testing/dom.ts'

let rendered: Rendered | undefined
afterEach(() => rendered?.destroy())

const later = (): string => new Date(Date.now() + 40 * 60_000).toISOString()

async function show(summaries: AccountSummary[], seed: ConstructorParameters<typeof FakeApi>[0] = {}): Promise<{ fake: FakeApi; root: HTMLElement }> {
  const fake = new FakeApi({ accounts: summaries, ...seed })
  rendered = await renderApp(fake.api)
  const root = rendered.root
  if (summaries.length > 0) await until(() => one(root, '[aria-label="Account details"] h2#tokens-title'))
  return { fake, root }
}

describe('an account that holds no session', () => {
  const noSession = (): AccountSummary =>
    account({
      id: 'a',
      label: 'Work',
      active: true,
      status: 'needs-attention',
      storage: 'memory-only',
      hasSession: false,
      expiresAt: later(),
      attention: { reason: 'keychain-unavailable', message: 'The session could not be read from the keychain.', since: new Date().toISOString() },
    })

  it('shows no expiry, no storage and no token to copy', async () => {
    const summary = noSession()
    // Even a detail that still lists tokens (an older answer) offers nothing to copy.
    const { root } = await show([summary], { details: { a: detailOf(summary) } })
    const [row] = options(root)
    expect(text(row ?? root)).not.toMatch(/expires in/)
    expect(root.querySelector('[data-testid="storage"]')).toBeNull()
    expect(text(root)).not.toContain('Memory only')
    expect(queryButton(root, 'Copy access token')).toBeNull()
    expect(queryButton(root, 'Copy ID token')).toBeNull()
  })

  it('shows the expiry and storage again once it holds a session', async () => {
    const { root } = await show([account({ id: 'a', label: 'Work', active: true, storage: 'memory-only', expiresAt: later() })])
    expect(text(options(root)[0] ?? root)).toMatch(/expires in 40 min|expires in 39 min/)
    expect(text(one(root, '[data-testid="storage"]'))).toBe('Memory only — this session ends when Latchkey quits')
    expect(queryButton(root, 'Copy access token')).not.toBeNull()
  })
})

describe('an impersonated account', () => {
  const impersonated = (overrides: Partial<AccountSummary>): AccountSummary =>
    account({ id: 'a', label: 'bob@example.test (impersonated by root@example.test)', active: true, canSignInAgain: false, renewal: 'check', ...overrides })

  it('needing attention: says to impersonate again, and offers no "Sign in again"', async () => {
    const { root } = await show([
      impersonated({
        status: 'needs-attention',
        hasSession: false,
        attention: { reason: 'expired', message: 'This session expired.', since: new Date().toISOString() },
      }),
    ])
    const banner = one(root, '[data-testid="attention-banner"]')
    expect(text(banner)).toContain('This session expired.')
    expect(text(banner)).toContain('impersonate again from the superuser account')
    expect(queryButton(root, 'Sign in again')).toBeNull()
  })

  it('signed out: offers no "Sign in again" either', async () => {
    const { root } = await show([impersonated({ status: 'signed-out', hasSession: false, expiresAt: null })])
    expect(queryButton(root, 'Sign in again')).toBeNull()
    expect(text(one(root, '[aria-label="Account details"]'))).toContain('impersonate again from the superuser account')
  })

  it('an account that can sign in again still offers it', async () => {
    const { root } = await show([account({ id: 'a', label: 'Work', active: true, status: 'signed-out', hasSession: false, expiresAt: null })])
    expect(queryButton(root, 'Sign in again')).not.toBeNull()
  })
})

describe('one message for one problem', () => {
  it('a refused refresh says why once (the attention banner), not again as an alert below it', async () => {
    const { fake, root } = await show([account({ id: 'a', label: 'Work', active: true })])
    const message = 'id.example.test no longer accepts this session. Sign in again.'
    fake.override('accountsRefresh', () => {
      fake.accounts = fake.accounts.map((entry) => ({
        ...entry,
        status: 'needs-attention',
        attention: { reason: 'refresh-rejected', message, since: new Date().toISOString() },
      }))
      fake.changeList(fake.accounts)
      return failWith('REFRESH_REJECTED', message)
    })
    click(button(root, 'Refresh now'))
    await until(() => expect(root.querySelector('[data-testid="attention-banner"]')).not.toBeNull())
    await until(() => expect(fake.callsOf('accountsRefresh')).toHaveLength(1))
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(withRole(root, 'alert', message)).toHaveLength(1)
  })

  it('another error beside the banner is still shown', async () => {
    const { fake, root } = await show([account({ id: 'a', label: 'Work', active: true })])
    fake.override('accountsRefresh', () => failWith('NETWORK', 'The server cannot be reached.'))
    click(button(root, 'Refresh now'))
    await until(() => expect(withRole(root, 'alert', 'The server cannot be reached.')).toHaveLength(1))
  })
})

describe('the welcome screen', () => {
  it('promises the keychain only when it can be used', async () => {
    const { root } = await show([], { appState: { storage: { available: false, reason: 'No Secret Service is running.', fix: null } } })
    expect(text(one(root, '[data-testid="storage-banner"]'))).toContain('cannot be used')
    const intro = text(one(root, '[data-testid="welcome-intro"]'))
    expect(intro).not.toContain('stores it in your system keychain')
    expect(intro).toContain('keeps it in memory')
  })

  it('says where sessions are stored when the keychain works', async () => {
    const { root } = await show([])
    expect(text(one(root, '[data-testid="welcome-intro"]'))).toContain('stores it in your system keychain')
  })
})

describe('removing the active account', () => {
  it('shows the account that became active, and marks it so', async () => {
    const fake = new FakeApi({
      accounts: [account({ id: 'a', label: 'One' }), account({ id: 'b', label: 'Two', active: true }), account({ id: 'c', label: 'Three' })],
    })
    // As the main process does: the account after the removed one becomes active; the event comes after the answer.
    let changed: (fetchedBefore: number) => void = () => undefined
    const eventSent = new Promise<number>((resolve) => (changed = resolve))
    fake.override('accountsRemove', ({ id }) => {
      fake.accounts = fake.accounts.filter((entry) => entry.id !== id).map((entry) => ({ ...entry, active: entry.id === 'c' }))
      setTimeout(() => {
        const fetchedBefore = fake.callsOf('accountsList').length
        fake.changeList(fake.accounts)
        changed(fetchedBefore)
      }, 5)
      return succeed(undefined)
    })
    rendered = await renderApp(fake.api)
    const root = rendered.root
    await until(() => one(root, '[data-testid="token-access"]'))
    click(button(root, 'Remove'))
    click(button(root, 'Remove account'))
    await until(() => expect(options(root).map((entry) => entry.dataset.accountId)).toEqual(['a', 'c']))
    const agree = (): void => {
      expect(one(root, '[aria-label="Account details"]').dataset.accountId).toBe('c')
      expect(options(root).map((entry) => entry.getAttribute('aria-selected'))).toEqual(['false', 'true'])
    }
    await until(agree)
    // And it stays so once the list the event brought is fetched (its answer settles within a task) and drawn.
    const fetchedBefore = await eventSent
    await until(() => expect(fake.callsOf('accountsList').length).toBeGreaterThan(fetchedBefore))
    await nextTask()
    flushSync()
    agree()
  })
})
