import { flushSync } from 'svelte'
import { afterEach, describe, expect, it } from 'vitest'
import { account } from '../testing/fixtures.ts'
import { FakeApi } from '../testing/fake-api.ts'
import { options, renderApp, type Rendered } from '../testing/dom.ts'

let rendered: Rendered | undefined
afterEach(() => rendered?.destroy())

/** The account rows (options) whose DOM changed while `change` ran. */
async function rowsTouchedBy(root: HTMLElement, change: () => void): Promise<string[]> {
  const list = root.querySelector('[role="listbox"]')
  if (!list) throw new Error('no account list')
  const touched = new Set<string>()
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      const node = record.target instanceof Element ? record.target : record.target.parentElement
      const row = node?.closest<HTMLElement>('[role="option"]')
      touched.add(row?.dataset.accountId ?? '(the list itself)')
    }
  })
  observer.observe(list, { subtree: true, childList: true, attributes: true, characterData: true })
  change()
  flushSync()
  await new Promise((resolve) => setTimeout(resolve, 0))
  observer.disconnect()
  return [...touched]
}

describe('one account changing', () => {
  it('re-renders that account’s row only', async () => {
    const accounts = Array.from({ length: 40 }, (_, i) => account({ id: `acct-${String(i)}`, label: `Account ${String(i)}`, active: i === 0 }))
    const fake = new FakeApi({ accounts })
    rendered = await renderApp(fake.api)
    const root = rendered.root
    expect(options(root).length).toBeGreaterThan(3)
    const target = accounts[2] ?? account()
    const touched = await rowsTouchedBy(root, () =>
      fake.emit('account:updated', { ...target, label: 'Renamed', status: 'needs-attention', attention: { reason: 'network-down', message: 'Offline.', since: new Date().toISOString() } }),
    )
    expect(touched).toEqual(['acct-2'])
    expect(options(root).find((row) => row.dataset.accountId === 'acct-2')?.textContent).toContain('Renamed')
  })
})
