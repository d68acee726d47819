import { flushSync } from 'svelte'
import { afterEach, describe, expect, it } from 'vitest'
import type { AccountSummary } from '../../../shared/contract.ts'
import { POCKETBASE_BACKEND, account } from '../testing/fixtures.ts'
import { PAGE_SIZE } from '../state/account-list.svelte.ts'
import { FakeApi, failWith } from '../testing/fake-api.ts'
import { button, click, field, nth, one, options, press, renderApp, text, typeInto, until, withRole, type Rendered } from '../testing/dom.ts'

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
/** The text drawn on screen (without what only screen readers read). */
function shownText(element: HTMLElement): string {
  const copy = element.cloneNode(true) as HTMLElement
  for (const hidden of copy.querySelectorAll('.sr-only')) hidden.remove()
  return text(copy)
}
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

describe('what a switcher row says', () => {
  it('shows who, the backend with its kind, and nothing twice; the whole label is the name', async () => {
    const root = await show(
      new FakeApi({
        accounts: [
          account({ id: 'p', label: 'ada@example.test @ 127.0.0.1:47410', provider: 'pocketbase', backend: '127.0.0.1:47410', active: true, user: { subject: 'r1', name: null, email: 'ada@example.test' } }),
          account({
            id: 'i',
            label: 'bob@example.test (impersonated by root@example.test)',
            provider: 'pocketbase',
            backend: '127.0.0.1:47410',
            user: { subject: 'r2', name: null, email: 'bob@example.test' },
          }),
        ],
        backends: [{ ...POCKETBASE_BACKEND, title: 'PocketBase / BosBase' }],
      }),
    )
    const [ada, bob] = [option(root, 0), option(root, 1)]
    // A screen reader hears the whole label first; the eye sees each part once.
    expect(text(ada)).toMatch(/^ada@example\.test @ 127\.0\.0\.1:47410 ● PB PocketBase \/ BosBase 127\.0\.0\.1:47410 Signed in/)
    expect(shownText(one(ada, '.name'))).toBe('ada@example.test')
    // Nothing to tell it apart: no empty line between its name and its backend.
    expect(ada.querySelector('.who')).toBeNull()
    expect(shownText(one(ada, '.backend'))).toBe('PB 127.0.0.1:47410')
    expect(shownText(ada).match(/ada@example\.test/g)).toHaveLength(1)
    expect(shownText(ada).match(/127\.0\.0\.1:47410/g)).toHaveLength(1)
    expect(one(ada, '.backend .tag').title).toBe('PocketBase / BosBase')
    expect(text(bob)).toMatch(/^bob@example\.test \(impersonated by root@example\.test\) impersonated by/)
    expect(shownText(one(bob, '.name'))).toBe('bob@example.test')
    expect(shownText(one(bob, '.who'))).toBe('impersonated by root@example.test')
  })

  it('tells two accounts with the same label apart', async () => {
    const root = await show(
      new FakeApi({
        accounts: [
          account({ id: 'a', label: 'Work', user: { subject: 'u-1', name: 'Alice', email: 'alice@example.test' } }),
          account({ id: 'b', label: 'Work', user: { subject: 'u-2', name: 'Alice', email: 'alice@example.test' } }),
          account({ id: 'c', label: 'Work', backend: 'other.example.test', user: { subject: 'u-3', name: 'Alice', email: 'alice@example.test' } }),
        ],
      }),
    )
    const texts = options(root).map((entry) => text(entry))
    expect(new Set(texts).size).toBe(3)
    expect(text(one(option(root, 0), '.who'))).toBe('alice@example.test · user u-1')
    expect(text(one(option(root, 1), '.who'))).toBe('alice@example.test · user u-2')
    // A different backend already tells the third apart.
    expect(text(one(option(root, 2), '.who'))).toBe('alice@example.test')
  })

  it('shows no expiry for an account that holds no session', async () => {
    const root = await show(new FakeApi({ accounts: [account({ id: 'a', hasSession: false, status: 'needs-attention' })] }))
    expect(text(option(root, 0))).not.toContain('expires')
  })
})

describe('filtering and grouping', () => {
  function mixed(): FakeApi {
    return new FakeApi({
      accounts: [
        account({ id: 'w', label: 'Work', backend: 'id.example.test', user: { subject: '1', name: 'Alice', email: 'alice@work.test' } }),
        account({ id: 'h', label: 'Home', provider: 'pocketbase', backend: 'pb.home.test', active: true, user: { subject: '2', name: 'Bob', email: 'bob@home.test' } }),
        account({ id: 'l', label: 'Lab', backend: 'id.example.test', user: { subject: '3', name: 'Carol', email: 'carol@lab.test' } }),
      ],
    })
  }
  const filter = (root: HTMLElement): HTMLInputElement => field(root, 'Filter accounts')
  const ids = (root: HTMLElement): (string | undefined)[] => options(root).map((entry) => entry.dataset.accountId)

  it('keeps the accounts whose label, email or backend matches what is typed', async () => {
    const root = await show(mixed())
    typeInto(filter(root), 'home')
    await until(() => expect(ids(root)).toEqual(['h']))
    expect(text(one(root, '[data-testid="filter-count"]'))).toBe('1 of 3 accounts')
    typeInto(filter(root), 'CAROL@')
    await until(() => expect(ids(root)).toEqual(['l']))
    typeInto(filter(root), 'id.example')
    await until(() => expect(ids(root)).toEqual(['w', 'l']))
    typeInto(filter(root), 'nobody')
    await until(() => expect(ids(root)).toEqual([]))
    expect(text(one(root, '[data-testid="filter-count"]'))).toBe('No account matches “nobody”.')
    press(filter(root), 'Escape')
    expect(filter(root).value).toBe('')
    await until(() => expect(ids(root)).toEqual(['w', 'h', 'l']))
  })

  it('moves from the filter into the list with the arrow key, switches with Enter, and typing on the list filters', async () => {
    const fake = mixed()
    const root = await show(fake)
    typeInto(filter(root), 'example')
    await until(() => expect(ids(root)).toEqual(['w', 'l']))
    press(filter(root), 'ArrowDown')
    expect(document.activeElement).toBe(option(root, 0))
    press(option(root, 0), 'ArrowDown')
    expect(document.activeElement).toBe(option(root, 1))
    expect(option(root, 1).dataset.accountId).toBe('l')
    press(option(root, 1), 'x')
    expect(document.activeElement).toBe(filter(root))
    expect(filter(root).value).toBe('examplex')

    typeInto(filter(root), 'lab')
    await until(() => expect(ids(root)).toEqual(['l']))
    press(filter(root), 'Enter')
    expect(fake.callsOf('accountsSwitch')).toEqual([{ id: 'l' }])
  })

  it('groups by backend on request, each group labelled, and remembers the choice', async () => {
    localStorage.removeItem('latchkey.switcher.group-by-backend')
    const root = await show(mixed())
    expect(root.querySelectorAll('[role="listbox"] [role="group"]')).toHaveLength(0)
    click(field(root, 'Group by backend'))
    await until(() => expect(root.querySelectorAll('[role="listbox"] [role="group"]')).toHaveLength(2))
    const groups = [...root.querySelectorAll<HTMLElement>('[role="listbox"] [role="group"]')]
    expect(groups.map((group) => group.getAttribute('aria-label'))).toEqual(['id.example.test', 'pb.home.test'])
    expect(ids(root)).toEqual(['w', 'l', 'h'])
    expect(nth(groups, 0).querySelectorAll('[role="option"]')).toHaveLength(2)
    // Keyboard order follows what is shown.
    option(root, 0).focus()
    press(option(root, 0), 'End')
    expect(document.activeElement?.getAttribute('data-account-id')).toBe('h')
    expect(localStorage.getItem('latchkey.switcher.group-by-backend')).toBe('true')
    rendered?.destroy()
    const again = await show(mixed())
    await until(() => expect(again.querySelectorAll('[role="listbox"] [role="group"]')).toHaveLength(2))
    localStorage.removeItem('latchkey.switcher.group-by-backend')
  })
})

describe('with 10,000 accounts', () => {
  const many = (count: number): AccountSummary[] =>
    Array.from({ length: count }, (_, index) =>
      account({
        id: `acc-${String(index)}`,
        label: `Person ${String(index)}`,
        active: index === 0,
        user: { subject: `u-${String(index)}`, name: `Person ${String(index)}`, email: `person${String(index)}@example.test` },
      }),
    )
  /** Rows a window of jsdom's height (768 px) can show, plus the overscan either side. */
  const MOST_ROWS = Math.ceil(768 / 88) + 1 + 2 * 4

  it('keeps only the rows on screen in the page, numbered within the whole list', async () => {
    const root = await show(new FakeApi({ accounts: many(10_000) }))
    const rows = options(root)
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.length).toBeLessThanOrEqual(MOST_ROWS)
    expect(nth(rows, 0).getAttribute('aria-setsize')).toBe('10000')
    expect(nth(rows, 0).getAttribute('aria-posinset')).toBe('1')
    expect(root.querySelectorAll('*').length).toBeLessThan(600)
  })

  it('draws the rows in sight in the first frame and the ones just out of sight after it, leaving the first ones in place', async () => {
    rendered = await renderApp(new FakeApi({ accounts: many(10_000) }).api, { settled: false })
    const root = rendered.root
    const inSight = Math.ceil(768 / 88)
    const first = options(root)
    expect(first.map((row) => row.getAttribute('aria-posinset'))).toEqual(Array.from({ length: inSight }, (_, i) => String(i + 1)))
    expect(text(nth(first, 0))).toContain('Person 0')
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))
    flushSync()
    expect(options(root).length).toBeGreaterThan(inSight)
    expect(options(root).length).toBeLessThanOrEqual(MOST_ROWS)
    expect(options(root).slice(0, inSight).every((row, i) => row === first[i])).toBe(true)
  })

  it('moves by keyboard from the first frame: the row past the last one drawn is drawn and focused', async () => {
    rendered = await renderApp(new FakeApi({ accounts: many(10_000) }).api, { settled: false })
    const root = rendered.root
    const last = nth(options(root), Math.ceil(768 / 88) - 1)
    last.focus()
    press(last, 'ArrowDown')
    expect(document.activeElement?.getAttribute('aria-posinset')).toBe(String(Math.ceil(768 / 88) + 1))
    expect(document.activeElement?.textContent).toContain(`Person ${String(Math.ceil(768 / 88))}`)
  })

  it('moves by keyboard as before: End, PageUp, Home, arrows, to rows not fetched yet; the focused row is always in the page', async () => {
    const fake = new FakeApi({ accounts: many(10_000) })
    const root = await show(fake)
    expect(fake.callsOf('accountsList')).toEqual([{ offset: 0, limit: PAGE_SIZE }])
    option(root, 0).focus()
    press(option(root, 0), 'End')
    // The last row holds focus at once, and says it is loading until its page arrives.
    expect(document.activeElement?.getAttribute('aria-posinset')).toBe('10000')
    await until(() => expect(document.activeElement?.getAttribute('data-account-id')).toBe('acc-9999'))
    expect(document.activeElement?.getAttribute('aria-busy')).toBeNull()
    expect(fake.callsOf('accountsList')).toContainEqual({ offset: 9950, limit: PAGE_SIZE })
    expect(options(root).length).toBeLessThanOrEqual(MOST_ROWS + 1)
    press(document.activeElement as HTMLElement, 'PageUp')
    const page = Math.floor(768 / 88)
    await until(() => expect(document.activeElement?.getAttribute('data-account-id')).toBe(`acc-${String(9999 - page)}`))
    press(document.activeElement as HTMLElement, 'ArrowUp')
    await until(() => expect(document.activeElement?.getAttribute('data-account-id')).toBe(`acc-${String(9998 - page)}`))
    press(document.activeElement as HTMLElement, 'Enter')
    expect(fake.callsOf('accountsSwitch')).toEqual([{ id: `acc-${String(9998 - page)}` }])
    press(document.activeElement as HTMLElement, 'Home')
    expect(document.activeElement?.getAttribute('data-account-id')).toBe('acc-0')
    expect(options(root).length).toBeLessThanOrEqual(MOST_ROWS + 1)
    // Only the pages that came into view were asked for.
    expect(fake.callsOf('accountsList').length).toBeLessThan(6)
  })

  it('switches with Enter on a row whose account is still on its way', async () => {
    const fake = new FakeApi({ accounts: many(10_000) })
    const root = await show(fake)
    let release = (): void => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    fake.override('accountsList', async (args) => {
      await gate
      return { ok: true as const, value: fake.listPage(args) }
    })
    option(root, 0).focus()
    press(option(root, 0), 'End')
    const last = document.activeElement as HTMLElement
    expect(last.getAttribute('aria-busy')).toBe('true')
    expect(text(last)).toBe('Loading…')
    press(last, 'Enter')
    expect(fake.callsOf('accountsSwitch')).toEqual([])
    release()
    await until(() => expect(fake.callsOf('accountsSwitch')).toEqual([{ id: 'acc-9999' }]))
    await until(() => expect(heading(root)).toBe('Person 9999'))
    expect(document.activeElement).toBe(last)
  })

  it('filters the whole list in the main process, a page at a time', async () => {
    const fake = new FakeApi({ accounts: many(10_000) })
    const root = await show(fake)
    typeInto(field(root, 'Filter accounts'), 'person9876@')
    await until(() => expect(options(root).map((entry) => entry.dataset.accountId)).toEqual(['acc-9876']))
    typeInto(field(root, 'Filter accounts'), 'person 12')
    // Every account whose number holds "12" (in its label and its email).
    const expected = Array.from({ length: 10_000 }, (_, index) => String(index)).filter((number) => number.includes('12'))
    await until(() => expect(text(one(root, '[data-testid="filter-count"]'))).toBe(`${String(expected.length)} of 10000 accounts`))
    expect(fake.callsOf('accountsList').at(-1)).toEqual({ offset: 0, limit: PAGE_SIZE, query: 'person 12' })
    // The last match is on a page of the filtered list that is fetched when it is reached.
    option(root, 0).focus()
    press(option(root, 0), 'End')
    await until(() => expect(document.activeElement?.getAttribute('data-account-id')).toBe(`acc-${expected.at(-1) ?? ''}`))
    expect(document.activeElement?.getAttribute('aria-setsize')).toBe(String(expected.length))
    expect(fake.callsOf('accountsList').at(-1)).toEqual({ offset: Math.floor((expected.length - 1) / PAGE_SIZE) * PAGE_SIZE, limit: PAGE_SIZE, query: 'person 12' })
  })

  it('redraws only the row of the account that changed', async () => {
    const fake = new FakeApi({ accounts: many(10_000) })
    const root = await show(fake)
    const before = options(root)
    const changed: Node[] = []
    const observer = new MutationObserver((records) => changed.push(...records.map((record) => record.target)))
    observer.observe(one(root, '[role="listbox"]'), { subtree: true, childList: true, characterData: true, attributes: true })
    fake.emit('account:updated', { ...nth(fake.accounts, 2), status: 'needs-attention', label: 'Person 2, renamed' })
    flushSync()
    changed.push(...observer.takeRecords().map((record) => record.target))
    observer.disconnect()
    const row = one(root, '[data-account-id="acc-2"]')
    expect(text(row)).toContain('Needs attention')
    expect(changed.length).toBeGreaterThan(0)
    expect(changed.every((node) => row.contains(node))).toBe(true)
    expect(options(root)).toEqual(before)
  })
})
