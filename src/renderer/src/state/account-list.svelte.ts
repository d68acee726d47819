/**
 * The switcher's list as far as the window has fetched it: pages of summaries by position, for the
 * current filter and grouping, asked of the main process (`accounts:list`) as they come into view.
 * A one-account change replaces that account's entry alone, so only its row draws again.
 */
import { SvelteMap } from 'svelte/reactivity'
import type { AccountGroup, AccountPage, AccountSummary, Api, AppErrorDto } from '../../../shared/contract.ts'
import type { FirstAnswers } from '../../../shared/first-frame.ts'
import { PAGE_SIZE, pageArgs, readGrouped, rememberGrouped } from './list-args.ts'

export { PAGE_SIZE }

export class AccountList {
  /** What the filter holds; set through `setQuery`. */
  query = $state('')
  grouped = $state(false)
  /** How many accounts the filter lists, and how many there are in all. */
  total = $state(0)
  all = $state(0)
  groups = $state.raw<AccountGroup[] | null>(null)
  /** The active account (listed or not) and its position in the list (null when the filter hides it). */
  active = $state.raw<AccountSummary | null>(null)
  activeIndex = $state<number | null>(null)
  /** The newest list version a page answer carried. */
  version = -1
  /** The fetched accounts by position. */
  readonly rows = new SvelteMap<number, AccountSummary>()

  readonly #api: Api
  /** Position of each fetched account (bookkeeping: nothing on screen reads it, `rows` is what changes). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #positions = new Map<string, number>()
  /** Pages asked for (or in) since the last reset, by page number (bookkeeping, as above). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #pages = new Map<number, Promise<AppErrorDto | null>>()
  /** Bumped by every reset: answers to an older one are dropped. */
  #generation = 0
  /** One-account changes heard while pages were on their way, applied again over their answers. */
  #recent: AccountSummary[] = []
  #loading = 0

  /** `grouped`: whether the list starts grouped by backend (by default, as this window last chose). */
  constructor(api: Api, grouped = readGrouped()) {
    this.#api = api
    this.grouped = grouped
  }

  /** The summary of a fetched (or the active) account. */
  summary(id: string): AccountSummary | undefined {
    const index = this.#positions.get(id)
    const row = index === undefined ? undefined : this.rows.get(index)
    if (row?.id === id) return row
    return this.active?.id === id ? this.active : undefined
  }

  /** The position of a fetched account. */
  indexOf(id: string): number | undefined {
    const index = this.#positions.get(id)
    return index !== undefined && this.rows.get(index)?.id === id ? index : undefined
  }

  /** Lists what `query` matches from the top; resolves once the first page is in. */
  setQuery(query: string): Promise<AppErrorDto | null> {
    this.query = query
    return this.reset()
  }

  setGrouped(grouped: boolean): Promise<AppErrorDto | null> {
    this.grouped = grouped
    rememberGrouped(grouped)
    return this.reset()
  }

  /**
   * Takes the first page as the main process answered it for the page (the frame it drew), instead
   * of asking for it: the list is then as drawn at once. False when that answer is a failure.
   */
  seed(page: FirstAnswers['page']): boolean {
    if (!page.ok) return false
    this.#pages.set(0, Promise.resolve(null))
    this.#take(page.value, true)
    return true
  }

  /** Forgets every page and fetches the first one again (a new filter or grouping). */
  async reset(): Promise<AppErrorDto | null> {
    this.#generation += 1
    this.#pages.clear()
    return this.#fetch(0, this.#generation, true)
  }

  /**
   * Fetches again the pages the window has (the list changed in the main process); what is on screen
   * stays until their answers arrive. Resolves with the accounts fetched.
   */
  async reload(): Promise<AccountSummary[]> {
    this.#generation += 1
    const generation = this.#generation
    const pages = [...this.#pages.keys()]
    this.#pages.clear()
    if (!pages.includes(0)) pages.push(0)
    await Promise.all(pages.map((page) => this.#fetch(page, generation, false)))
    if (generation !== this.#generation) return []
    for (const index of [...this.rows.keys()]) if (index >= this.total || !this.#pages.has(Math.floor(index / PAGE_SIZE))) this.rows.delete(index)
    return [...this.rows.values()]
  }

  /** Makes sure the accounts at positions `[start, end)` are fetched (or on their way). */
  ensure(start: number, end: number): void {
    const last = Math.min(end, this.total) - 1
    for (let page = Math.floor(Math.max(0, start) / PAGE_SIZE); page * PAGE_SIZE <= last; page++) {
      if (!this.#pages.has(page)) void this.#fetch(page, this.#generation, false)
    }
  }

  /** The account at `index`, fetched first when it is not yet. */
  async at(index: number): Promise<AccountSummary | undefined> {
    const row = this.rows.get(index)
    if (row) return row
    if (index < 0 || index >= this.total) return undefined
    this.ensure(index, index + 1)
    await this.#pages.get(Math.floor(index / PAGE_SIZE))
    return this.rows.get(index)
  }

  /** One account changed: its entry is replaced where it is fetched (nothing else changes). */
  updated(summary: AccountSummary): void {
    if (this.#loading > 0) this.#recent.push(summary)
    this.#apply(summary)
  }

  #apply(summary: AccountSummary): void {
    const previous = this.active
    if (summary.active) {
      this.active = summary
      const index = this.indexOf(summary.id)
      if (index !== undefined) this.activeIndex = index
      // The main process says so too (its own event); the list does not wait for it.
      if (previous && previous.id !== summary.id) this.#replace({ ...(this.summary(previous.id) ?? previous), active: false })
    } else if (previous?.id === summary.id) {
      this.active = null
      this.activeIndex = null
    }
    this.#replace(summary)
  }

  #replace(summary: AccountSummary): void {
    const index = this.indexOf(summary.id)
    if (index !== undefined) this.rows.set(index, summary)
  }

  #fetch(page: number, generation: number, replaceAll: boolean): Promise<AppErrorDto | null> {
    const done = this.#load(page, generation, replaceAll)
    this.#pages.set(page, done)
    return done
  }

  async #load(page: number, generation: number, replaceAll: boolean): Promise<AppErrorDto | null> {
    this.#loading += 1
    const result = await this.#api.accountsList(pageArgs(page, this.query, this.grouped))
    this.#loading -= 1
    const recent = this.#recent
    if (this.#loading === 0) this.#recent = []
    if (generation !== this.#generation) return null
    if (!result.ok) {
      this.#pages.delete(page)
      return result.error
    }
    this.#take(result.value, replaceAll)
    for (const summary of recent) this.#apply(summary)
    return null
  }

  #take(answer: AccountPage, replaceAll: boolean): void {
    if (replaceAll) {
      this.rows.clear()
      this.#positions.clear()
    }
    this.total = answer.total
    this.all = answer.all
    this.groups = answer.groups
    this.active = answer.active
    this.activeIndex = answer.activeIndex
    this.version = Math.max(this.version, answer.version)
    answer.accounts.forEach((summary, offset) => {
      const index = answer.offset + offset
      this.rows.set(index, summary)
      this.#positions.set(summary.id, index)
    })
  }
}
