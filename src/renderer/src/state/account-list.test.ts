import { describe, expect, it } from 'vitest'
import type { AccountSummary } from '../../../shared/contract.ts'
import { FakeApi } from '../testing/fake-api.ts'
import { account } from '../testing/fixtures.ts'
import { AccountList, PAGE_SIZE } from './account-list.svelte.ts'

const people = (count: number): AccountSummary[] =>
  Array.from({ length: count }, (_, i) => account({ id: `p${String(i)}`, label: `Person ${String(i)}`, active: i === 7, backend: i % 3 === 0 ? 'b.example.test' : 'a.example.test' }))

describe('the list as the window has fetched it', () => {
  it('fetches the first page, then only the pages asked for, once each', async () => {
    const fake = new FakeApi({ accounts: people(180) })
    const list = new AccountList(fake.api)
    expect(await list.reset()).toBeNull()
    expect(list.total).toBe(180)
    expect(list.all).toBe(180)
    expect(list.rows.size).toBe(PAGE_SIZE)
    expect(list.active?.id).toBe('p7')
    expect(list.activeIndex).toBe(7)
    list.ensure(95, 130)
    list.ensure(100, 101)
    expect(await list.at(120)).toMatchObject({ id: 'p120' })
    expect(fake.callsOf('accountsList')).toEqual([
      { offset: 0, limit: PAGE_SIZE },
      { offset: PAGE_SIZE, limit: PAGE_SIZE },
      { offset: 2 * PAGE_SIZE, limit: PAGE_SIZE },
    ])
    expect(await list.at(179)).toMatchObject({ id: 'p179' })
    expect(await list.at(180)).toBeUndefined()
    expect(list.indexOf('p179')).toBe(179)
  })

  it('filters across pages in the main process and numbers the matches from the top', async () => {
    const fake = new FakeApi({ accounts: people(180) })
    const list = new AccountList(fake.api)
    await list.reset()
    await list.setQuery('b.example')
    expect(list.total).toBe(60)
    expect(list.all).toBe(180)
    expect(list.rows.get(0)?.id).toBe('p0')
    expect(list.rows.get(1)?.id).toBe('p3')
    expect(list.activeIndex).toBeNull()
    expect(await list.at(59)).toMatchObject({ id: 'p177' })
    expect(fake.callsOf('accountsList').at(-1)).toEqual({ offset: PAGE_SIZE, limit: PAGE_SIZE, query: 'b.example' })
  })

  it('groups by backend on request and remembers it', async () => {
    localStorage.removeItem('latchkey.switcher.group-by-backend')
    const fake = new FakeApi({ accounts: people(9) })
    const list = new AccountList(fake.api)
    await list.setGrouped(true)
    expect(list.groups).toEqual([
      { backend: 'a.example.test', count: 6 },
      { backend: 'b.example.test', count: 3 },
    ])
    expect([...list.rows.values()].map((entry) => entry.id)).toEqual(['p1', 'p2', 'p4', 'p5', 'p7', 'p8', 'p0', 'p3', 'p6'])
    expect(new AccountList(fake.api).grouped).toBe(true)
    localStorage.removeItem('latchkey.switcher.group-by-backend')
  })

  it('replaces one changed account where it is fetched, and moves the active mark', async () => {
    const fake = new FakeApi({ accounts: people(120) })
    const list = new AccountList(fake.api)
    await list.reset()
    const others = [list.rows.get(0), list.rows.get(2)]
    list.updated({ ...(list.rows.get(1) ?? account()), label: 'Renamed' })
    expect(list.rows.get(1)?.label).toBe('Renamed')
    expect([list.rows.get(0), list.rows.get(2)]).toEqual(others)
    expect(list.rows.get(0)).toBe(others[0])
    // Not fetched: nothing to replace, nothing fetched for it.
    list.updated({ ...account({ id: 'p110', label: 'Far away' }) })
    expect(list.rows.has(110)).toBe(false)
    expect(list.summary('p110')).toBeUndefined()
    list.updated({ ...(list.rows.get(3) ?? account()), active: true })
    expect(list.active?.id).toBe('p3')
    expect(list.activeIndex).toBe(3)
    expect(list.rows.get(7)?.active).toBe(false)
    expect(fake.callsOf('accountsList')).toHaveLength(1)
  })

  it('fetches again what it has when the list changes, dropping what is gone', async () => {
    const fake = new FakeApi({ accounts: people(120) })
    const list = new AccountList(fake.api)
    await list.reset()
    await list.at(110)
    fake.accounts = fake.accounts.slice(0, 60)
    const fetched = await list.reload()
    expect(list.total).toBe(60)
    expect(list.rows.size).toBe(PAGE_SIZE)
    expect(list.rows.has(110)).toBe(false)
    expect(list.indexOf('p110')).toBeUndefined()
    expect(fetched.map((entry) => entry.id)).toContain('p49')
    expect(fake.callsOf('accountsList').slice(-2)).toEqual(expect.arrayContaining([{ offset: 0, limit: PAGE_SIZE }, { offset: 2 * PAGE_SIZE, limit: PAGE_SIZE }]))
  })
})
