import { afterEach, describe, expect, it, vi } from 'vitest'
import { fakeSession, signedInAs } from '../testing/fake-provider.ts'
import { flush, tracked, world, type World } from '../testing/harness.ts'
import type { Latchkey } from './latchkey.ts'

const HOUR = 3_600_000
const { start, stopAll } = tracked()
afterEach(stopAll)

async function signIn(w: World, latchkey: Latchkey, subject: string, issuer = 'https://id.example.test') {
  const step = await latchkey.beginSignIn('oidc', { issuer })
  if (step.kind !== 'browser') throw new Error('expected a browser step')
  w.provider.completeBrowser(signedInAs(subject, fakeSession(w.clock.now(), HOUR)))
  const done = await latchkey.completeSignIn(step.attemptId)
  if (done.kind !== 'done') throw new Error('expected done')
  return done.account
}

/** Twelve accounts: person0…person11, the odd ones on a second server; the last signed in is active. */
async function twelve(): Promise<Latchkey> {
  const w = world()
  const { latchkey } = start(w)
  await latchkey.loadSecrets()
  for (let i = 0; i < 12; i++) await signIn(w, latchkey, `person${String(i)}`, i % 2 === 0 ? 'https://id.example.test' : 'https://auth.other.test')
  await flush()
  return latchkey
}

const labels = (page: { accounts: { user: { subject: string } }[] }): string[] => page.accounts.map((a) => a.user.subject)

describe('the switcher’s pages (accounts:list)', () => {
  it('answers one page at a time, with the counts and where the active account is', async () => {
    const latchkey = await twelve()
    const first = latchkey.accountPage({ offset: 0, limit: 5 })
    expect(labels(first)).toEqual(['person0', 'person1', 'person2', 'person3', 'person4'])
    expect(first).toMatchObject({ offset: 0, total: 12, all: 12, groups: null, activeIndex: 11, active: { user: { subject: 'person11' }, active: true } })
    const last = latchkey.accountPage({ offset: 10, limit: 5 })
    expect(labels(last)).toEqual(['person10', 'person11'])
    expect(last.accounts.map((a) => a.active)).toEqual([false, true])
    expect(latchkey.accountPage({ offset: 50, limit: 5 }).accounts).toEqual([])
  })

  it('filters across every page by each word, any case, in the label, email or backend', async () => {
    const latchkey = await twelve()
    const other = latchkey.accountPage({ offset: 0, limit: 3, query: 'OTHER.test' })
    expect(other.total).toBe(6)
    expect(other.all).toBe(12)
    expect(labels(other)).toEqual(['person1', 'person3', 'person5'])
    expect(labels(latchkey.accountPage({ offset: 3, limit: 3, query: 'OTHER.test' }))).toEqual(['person7', 'person9', 'person11'])
    // Words must all match; the active account is placed within the filtered list.
    const both = latchkey.accountPage({ offset: 0, limit: 10, query: 'person1 other' })
    expect(labels(both)).toEqual(['person1', 'person11'])
    expect(both.activeIndex).toBe(1)
    const none = latchkey.accountPage({ offset: 0, limit: 10, query: 'person1 id.example' })
    expect(labels(none)).toEqual(['person10'])
    expect(none.activeIndex).toBeNull()
    expect(none.active?.user.subject).toBe('person11')
  })

  it('groups by backend (backends by name, accounts in list order) across pages', async () => {
    const latchkey = await twelve()
    const page = latchkey.accountPage({ offset: 4, limit: 4, grouped: true })
    expect(page.groups).toEqual([
      { backend: 'auth.other.test', count: 6 },
      { backend: 'id.example.test', count: 6 },
    ])
    expect(labels(page)).toEqual(['person9', 'person11', 'person0', 'person2'])
    expect(page.activeIndex).toBe(5)
  })

  it('finds a renamed account by its new name', async () => {
    const latchkey = await twelve()
    const id = latchkey.accountPage({ offset: 3, limit: 1 }).accounts[0]?.id ?? ''
    expect(latchkey.accountPage({ offset: 0, limit: 5, query: 'lighthouse' }).total).toBe(0)
    latchkey.rename(id, 'Lighthouse keeper')
    expect(latchkey.accountPage({ offset: 0, limit: 5, query: 'lighthouse' }).accounts.map((a) => a.id)).toEqual([id])
  })

  /** How many times a page asks the provider for a backend's name: once per filter text made, and for each summary it holds. */
  function namesAsked(w: World, latchkey: Latchkey, query: string): number {
    const asked = vi.spyOn(w.provider, 'backendName')
    latchkey.accountPage({ offset: 0, limit: 10, query })
    const count = asked.mock.calls.length
    asked.mockRestore()
    return count
  }

  it('keeps an account’s filter text across a renewal, and makes it again when what it is made of changes', async () => {
    const w = world()
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    for (let i = 0; i < 4; i++) await signIn(w, latchkey, `person${String(i)}`)
    await flush()
    // A query that lists nothing: what is left is the filter texts made (and the active account's summary).
    const first = namesAsked(w, latchkey, 'nobody')
    const warm = namesAsked(w, latchkey, 'nobody')
    expect(first - warm).toBe(4)
    const id = latchkey.accountPage({ offset: 0, limit: 10, query: 'person2' }).accounts[0]?.id ?? ''
    await w.clock.advance(HOUR / 2)
    await latchkey.refresh(id)
    expect(w.provider.refreshCalls).toHaveLength(1)
    expect(namesAsked(w, latchkey, 'nobody')).toBe(warm)
    latchkey.rename(id, 'Lighthouse')
    expect(namesAsked(w, latchkey, 'nobody')).toBe(warm + 1)
    expect(labels(latchkey.accountPage({ offset: 0, limit: 10, query: 'lighthouse' }))).toEqual(['person2'])
  })
})
