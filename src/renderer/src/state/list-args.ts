/** What the switcher asks `accounts:list` for, and the grouping choice it remembers. No Svelte, so the browser shell's bridge can ask for the first page early. */
import type { AccountListArgs } from '../../../shared/contract.ts'
import { PAGE_SIZE } from '../../../shared/first-frame.ts'

export { PAGE_SIZE }
const GROUP_KEY = 'latchkey.switcher.group-by-backend'

/** The arguments for page `page` of the list `query` and `grouped` give. */
export function pageArgs(page: number, query: string, grouped: boolean): AccountListArgs {
  const trimmed = query.trim()
  return { offset: page * PAGE_SIZE, limit: PAGE_SIZE, ...(trimmed === '' ? {} : { query: trimmed }), ...(grouped ? { grouped: true } : {}) }
}

export function readGrouped(): boolean {
  try {
    return localStorage.getItem(GROUP_KEY) === 'true'
  } catch {
    return false
  }
}

export function rememberGrouped(grouped: boolean): void {
  try {
    localStorage.setItem(GROUP_KEY, String(grouped))
  } catch {
    // Not remembered; the choice holds until the page reloads.
  }
}
