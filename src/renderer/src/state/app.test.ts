import { describe, expect, it } from 'vitest'
import type { AccountPage, AppState, Result } from '../../../shared/contract.ts'
import { FakeApi } from '../testing/fake-api.ts'
import { account } from '../testing/fixtures.ts'
import { until } from '../testing/dom.ts'
import { AppStore } from './app.svelte.ts'

const ids = (store: AppStore): string[] => [...store.list.rows.entries()].sort(([a], [b]) => a - b).map(([, entry]) => entry.id)

describe('AppStore', () => {
  it('started from the answers a drawn first frame came with: ready at once, asking none of them; a window that groups gets its grouped list after', async () => {
    localStorage.setItem('latchkey.switcher.group-by-backend', 'true')
    try {
      const fake = new FakeApi({ accounts: [account({ id: 'a' }), account({ id: 'b', active: true })] })
      const first = {
        page: { ok: true as const, value: fake.listPage({ offset: 0, limit: 50 }) },
        appState: { ok: true as const, value: fake.appState },
        backends: { ok: true as const, value: fake.backends },
      }
      const store = new AppStore(fake.api, first)
      // As drawn: not grouped, ready, the active account shown; nothing asked.
      expect([store.status, store.selectedId, store.list.grouped, ids(store)]).toEqual(['ready', 'b', false, ['a', 'b']])
      await store.start()
      expect([fake.callsOf('appState'), fake.callsOf('backendsList'), fake.callsOf('accountsList')]).toEqual([[], [], []])
      await until(() => expect(store.list.grouped).toBe(true))
      expect(fake.callsOf('accountsList')).toEqual([{ offset: 0, limit: 50, grouped: true }])
      store.stop()
    } finally {
      localStorage.removeItem('latchkey.switcher.group-by-backend')
    }
  })

  it('shows the active account first, and another one when the shown one goes away', async () => {
    const fake = new FakeApi({ accounts: [account({ id: 'a' }), account({ id: 'b', active: true }), account({ id: 'c' })] })
    const store = new AppStore(fake.api)
    await store.start()
    expect(store.status).toBe('ready')
    expect(store.selectedId).toBe('b')

    store.show('c')
    fake.changeList([account({ id: 'a', active: true }), account({ id: 'b' })])
    await until(() => expect(store.selectedId).toBe('a'))
    fake.changeList([])
    await until(() => expect(store.selectedId).toBeNull())
    store.stop()
  })

  it('keeps one active account when a newer summary arrives, and lists no account it has not fetched', async () => {
    const store = new AppStore(new FakeApi({ accounts: [account({ id: 'a', active: true }), account({ id: 'b' })] }).api)
    await store.start()
    store.upsert(account({ id: 'b', active: true }))
    expect([...store.list.rows.values()].filter((entry) => entry.active).map((entry) => entry.id)).toEqual(['b'])
    expect(store.list.active?.id).toBe('b')
    expect(store.list.activeIndex).toBe(1)
    store.upsert(account({ id: 'c' }))
    expect(ids(store)).toEqual(['a', 'b'])
    store.stop()
  })

  it('keeps a list change that arrives while the first page is on its way', async () => {
    const fake = new FakeApi({ accounts: [account({ id: 'old', active: true })] })
    const stale = fake.listPage({ offset: 0, limit: 50 })
    let answer = (): void => {}
    let first = true
    fake.override('accountsList', (args) => {
      if (!first) return Promise.resolve({ ok: true, value: fake.listPage(args) })
      first = false
      return new Promise<Result<AccountPage>>((resolve) => (answer = () => resolve({ ok: true, value: stale })))
    })
    const store = new AppStore(fake.api)
    const started = store.start()
    fake.changeList([account({ id: 'new', active: true })])
    answer()
    await started
    await until(() => expect(ids(store)).toEqual(['new']))
    await until(() => expect(store.selectedId).toBe('new'))
    expect(fake.callsOf('accountsList')).toHaveLength(2)
    store.stop()
  })

  it('fetches nothing again for the opening snapshot when it arrives while the first page (holding that version) is on its way', async () => {
    const fake = new FakeApi({ accounts: [account({ id: 'a', active: true }), account({ id: 'b' })] })
    fake.changeList(fake.accounts)
    const page = fake.listPage({ offset: 0, limit: 50 })
    let answer = (): void => {}
    let first = true
    fake.override('accountsList', (args) => {
      if (!first) return Promise.resolve({ ok: true, value: fake.listPage(args) })
      first = false
      return new Promise<Result<AccountPage>>((resolve) => (answer = () => resolve({ ok: true, value: page })))
    })
    const store = new AppStore(fake.api)
    const started = store.start()
    fake.emit('accounts:changed', { count: 2, version: fake.listVersion })
    answer()
    await started
    expect(ids(store)).toEqual(['a', 'b'])
    // A later change is fetched once: had the snapshot been fetched again, that call came before it.
    fake.changeList([...fake.accounts, account({ id: 'c' })])
    await until(() => expect(ids(store)).toEqual(['a', 'b', 'c']))
    expect(fake.callsOf('accountsList')).toHaveLength(2)
    store.stop()
  })

  it('fetches nothing for a list change its pages already hold (the event stream’s opening snapshot)', async () => {
    const fake = new FakeApi({ accounts: [account({ id: 'a', active: true })] })
    fake.changeList(fake.accounts)
    const store = new AppStore(fake.api)
    await store.start()
    fake.emit('accounts:changed', { count: 1, version: fake.listVersion })
    // A later change is fetched once: had the snapshot been fetched again, that call came before it.
    fake.changeList([...fake.accounts, account({ id: 'b' })])
    await until(() => expect(ids(store)).toEqual(['a', 'b']))
    expect(fake.callsOf('accountsList')).toHaveLength(2)
    store.stop()
  })

  it('keeps an app:changed that arrives while the first app state is on its way', async () => {
    const fake = new FakeApi()
    const stale = fake.appState
    let answer = (): void => {}
    fake.override('appState', () => new Promise<Result<AppState>>((resolve) => (answer = () => resolve({ ok: true, value: stale }))))
    const store = new AppStore(fake.api)
    const started = store.start()
    const notice = { id: 'n1', level: 'info' as const, message: 'Newer.' }
    fake.emit('app:changed', { ...stale, notices: [notice] })
    answer()
    await started
    expect(store.appState?.notices).toEqual([notice])
    store.stop()
  })

  it('an account:updated replaces just that account, keeping the others as they were', async () => {
    const fake = new FakeApi({ accounts: [account({ id: 'a', active: true }), account({ id: 'b' }), account({ id: 'c' })] })
    const store = new AppStore(fake.api)
    await store.start()
    const [first, third] = [store.list.rows.get(0), store.list.rows.get(2)]
    const heard: string[][] = []
    store.onAccountsChanged((accounts) => heard.push(accounts.map((entry) => entry.id)))
    fake.emit('account:updated', account({ id: 'b', label: 'Renamed', status: 'needs-attention' }))
    expect([...store.list.rows.values()].map((entry) => [entry.id, entry.label])).toEqual([['a', first?.label], ['b', 'Renamed'], ['c', third?.label]])
    expect(store.list.rows.get(0)).toBe(first)
    expect(store.list.rows.get(2)).toBe(third)
    expect(store.summary('b')?.label).toBe('Renamed')
    expect(heard).toEqual([['b']])
    fake.emit('account:updated', account({ id: 'unknown' }))
    expect(ids(store)).toEqual(['a', 'b', 'c'])
    store.stop()
  })

  it('applies an account:updated that arrives while the first page is on its way', async () => {
    const fake = new FakeApi({ accounts: [account({ id: 'a', active: true, label: 'Old' })] })
    const stale = fake.listPage({ offset: 0, limit: 50 })
    let answer = (): void => {}
    fake.override('accountsList', () => new Promise<Result<AccountPage>>((resolve) => (answer = () => resolve({ ok: true, value: stale }))))
    const store = new AppStore(fake.api)
    const started = store.start()
    fake.emit('account:updated', account({ id: 'a', active: true, label: 'New' }))
    answer()
    await started
    expect([...store.list.rows.values()].map((entry) => entry.label)).toEqual(['New'])
    expect(store.list.active?.label).toBe('New')
    store.stop()
  })

  it('stops listening when stopped', async () => {
    const fake = new FakeApi({ accounts: [account({ id: 'a' })] })
    const store = new AppStore(fake.api)
    await store.start()
    store.stop()
    // A store still listening hears the change: once it has fetched and shown it, a stopped store that still listened had asked too.
    const listening = new AppStore(fake.api)
    await listening.start()
    fake.changeList([])
    await until(() => expect(ids(listening)).toEqual([]))
    expect(ids(store)).toEqual(['a'])
    expect(fake.callsOf('accountsList')).toHaveLength(3)
    listening.stop()
  })

  it('keeps only the newest progress messages', async () => {
    const fake = new FakeApi()
    const store = new AppStore(fake.api)
    await store.start()
    for (let index = 0; index < 60; index += 1) {
      fake.emit('auth:progress', { attemptId: 'x', stage: 'waiting-browser', message: `step ${index}` })
    }
    expect(store.progress).toHaveLength(50)
    expect(store.progress.at(-1)?.message).toBe('step 59')
    store.stop()
  })
})
