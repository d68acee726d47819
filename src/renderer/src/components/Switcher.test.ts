import { flushSync } from 'svelte'
import { afterEach, describe, expect, it } from 'vitest'
import { account } from '../testing/fixtures.ts'
import { FakeApi, failWith } from '../testing/fake-api.ts'
import { button, click, nth, one, options, press, renderApp, text, until, withRole, type Rendered } from '../testing/dom.ts'

let rendered: Rendered | undefined
afterEach(() => rendered?.destroy())

function threeAccounts(): FakeApi {
  return new FakeApi({
    accounts: [
      account({ id: 'a', label: 'Work', active: true }),
      account({ id: 'b', label: 'Personal', status: 'needs-attention', expiresAt: new Date(Date.now() - 1000).toISOString() }),
      account({ id: 'c', label: 'Lab', status: 'signed-out', expiresAt: null }),
    ],
  })
}

async function show(fake: FakeApi): Promise<HTMLElement> {
  rendered = await renderApp(fake.api)
  return rendered.root
}

const option = (root: HTMLElement, index: number): HTMLElement => nth(options(root), index)
const heading = (root: HTMLElement): string => text(root.querySelector('h1') ?? root)

describe('the account switcher', () => {
  it('lists every account with its backend, status and expiry, and marks the active one', async () => {
    const root = await show(threeAccounts())
    expect(root.querySelector('[role="listbox"]')?.getAttribute('aria-label')).toBe('Accounts')
    expect(options(root).map((entry) => entry.dataset.accountId)).toEqual(['a', 'b', 'c'])
    expect(options(root).map((entry) => entry.getAttribute('aria-selected'))).toEqual(['true', 'false', 'false'])
    expect(options(root).map((entry) => entry.dataset.status)).toEqual(['signed-in', 'needs-attention', 'signed-out'])
    expect(text(option(root, 0))).toContain('id.example.test')
    expect(text(option(root, 0))).toContain('alice@example.test')
    expect(text(option(root, 0))).toContain('Signed in')
    expect(text(option(root, 0))).toContain('expires in 4 min')
    expect(text(option(root, 1))).toContain('Needs attention')
    expect(text(option(root, 1))).toContain('expired')
    expect(text(option(root, 2))).toContain('Signed out')
    expect(heading(root)).toBe('Work')
  })

  it('moves focus with the arrow keys, Home and End, and switches with Enter', async () => {
    const fake = threeAccounts()
    const root = await show(fake)
    option(root, 0).focus()
    press(option(root, 0), 'ArrowDown')
    expect(document.activeElement).toBe(option(root, 1))
    press(option(root, 1), 'End')
    expect(document.activeElement).toBe(option(root, 2))
    press(option(root, 2), 'Home')
    expect(document.activeElement).toBe(option(root, 0))
    press(option(root, 0), 'ArrowDown')
    expect(fake.callsOf('accountsSwitch')).toEqual([])

    press(option(root, 1), 'Enter')
    expect(fake.callsOf('accountsSwitch')).toEqual([{ id: 'b' }])
    await until(() => {
      expect(options(root).map((entry) => entry.getAttribute('aria-selected'))).toEqual(['false', 'true', 'false'])
      expect(heading(root)).toBe('Personal')
    })
  })

  it('switches on click', async () => {
    const fake = threeAccounts()
    const root = await show(fake)
    click(option(root, 2))
    expect(fake.callsOf('accountsSwitch')).toEqual([{ id: 'c' }])
    await until(() => expect(heading(root)).toBe('Lab'))
  })

  it('jumps to the active account with Ctrl+K, wherever focus was in the list before', async () => {
    const root = await show(
      new FakeApi({
        accounts: [account({ id: 'a', label: 'Work' }), account({ id: 'b', label: 'Personal', active: true }), account({ id: 'c', label: 'Lab' })],
      }),
    )
    option(root, 2).focus()
    flushSync()
    expect(option(root, 2).tabIndex).toBe(0)
    button(root, 'Add account').focus()
    press(document.body, 'k', { ctrlKey: true })
    expect(document.activeElement).toBe(option(root, 1))
    expect(option(root, 1).getAttribute('aria-selected')).toBe('true')
  })

  it('shows an error when switching fails, and keeps showing the account that is still active', async () => {
    const fake = threeAccounts()
    fake.override('accountsSwitch', () => failWith('NOT_FOUND', 'That account is gone.'))
    const root = await show(fake)
    await until(() => expect(root.querySelector('[aria-label="Account details"]')).not.toBeNull())
    click(option(root, 1))
    await until(() => expect(withRole(root, 'alert', 'That account is gone.')).toHaveLength(1))
    expect(options(root).map((entry) => entry.getAttribute('aria-selected'))).toEqual(['true', 'false', 'false'])
    expect(heading(root)).toBe('Work')
    expect(one(root, '[aria-label="Account details"]').dataset.accountId).toBe('a')
  })
})
