/**
 * What the switcher shows for each account, and where the rows of a long list (grouped by backend
 * or not) sit and which are on screen. Plain functions, no DOM.
 */
import { kindTag } from '../../../shared/account-list.ts'
import type { AccountGroup, AccountSummary } from '../../../shared/contract.ts'

/** The lines of one switcher row. */
export interface RowText {
  /** The label without what the other lines already say (" @ <backend>", " (impersonated by …)"). */
  name: string
  /** Who signed in (email, name or subject) when the name does not say it, or who impersonated. */
  detail: string | null
  /** A short tag for the kind of backend ("OIDC", "PB"). */
  tag: string
}

const IMPERSONATED = / \(impersonated by (.+)\)$/

/** The row's lines for one account. */
export function rowText(account: AccountSummary): RowText {
  let name = account.label
  let detail: string | null = null
  const impersonated = IMPERSONATED.exec(name)
  if (impersonated) {
    name = name.slice(0, impersonated.index)
    detail = `impersonated by ${impersonated[1] ?? ''}`
  }
  const suffix = ` @ ${account.backend}`
  if (name.endsWith(suffix) && name.length > suffix.length) name = name.slice(0, -suffix.length)
  if (detail === null) {
    const who = account.user.email ?? account.user.name ?? account.user.subject
    detail = who === name ? null : who
  }
  return { name, detail, tag: kindTag(account.provider) }
}

/**
 * Row texts for a whole list. Rows that would still read the same (same name, detail and backend:
 * two people both called "Work" on one server) get the user id as well, so they can be told apart.
 */
export function rowTexts(accounts: readonly AccountSummary[], cache: WeakMap<AccountSummary, RowText>): Map<string, RowText> {
  const rows = new Map<string, RowText>()
  const seen = new Map<string, number>()
  const keyOf = (account: AccountSummary, row: RowText): string => `${row.name}\n${row.detail ?? ''}\n${account.backend}`
  for (const account of accounts) {
    let row = cache.get(account)
    if (!row) {
      row = rowText(account)
      cache.set(account, row)
    }
    rows.set(account.id, row)
    const key = keyOf(account, row)
    seen.set(key, (seen.get(key) ?? 0) + 1)
  }
  for (const account of accounts) {
    const row = rows.get(account.id)
    if (!row || (seen.get(keyOf(account, row)) ?? 0) < 2) continue
    const id = `user ${account.user.subject}`
    rows.set(account.id, { ...row, detail: row.detail ? `${row.detail} · ${id}` : id })
  }
  return rows
}

/** Where the entries of a list of `total` accounts (in `groups`, when grouped) sit. */
export interface Layout {
  total: number
  groups: readonly AccountGroup[] | null
}

export const ROW_HEIGHT = 88
/**
 * The list's height in a first frame drawn without a window (by the main process): rows for a tall
 * window (a shorter one has a few out of sight, gone once the page is live).
 */
export const FIRST_FRAME_HEIGHT = 1600
export const GROUP_HEIGHT = 30

/** The position of the first account of each group, and one past the last. */
export function groupStarts(layout: Layout): number[] {
  const starts = [0]
  for (const group of layout.groups ?? []) starts.push((starts.at(-1) ?? 0) + group.count)
  return starts
}

/** The group (its number) that holds the account at `index`; 0 when not grouped. */
export function groupAt(starts: readonly number[], index: number): number {
  let low = 0
  let high = Math.max(0, starts.length - 2)
  while (low < high) {
    const middle = (low + high + 1) >> 1
    if ((starts[middle] ?? 0) <= index) low = middle
    else high = middle - 1
  }
  return low
}

/** The top of the account at `index`: the rows above it and the group headings above it and its own. */
export function accountTop(layout: Layout, starts: readonly number[], index: number): number {
  const headings = layout.groups ? groupAt(starts, index) + 1 : 0
  return index * ROW_HEIGHT + headings * GROUP_HEIGHT
}

/** The top of a group's heading. */
export function groupTop(starts: readonly number[], group: number): number {
  return (starts[group] ?? 0) * ROW_HEIGHT + group * GROUP_HEIGHT
}

/** The total height of the list. */
export function totalHeight(layout: Layout): number {
  return layout.total * ROW_HEIGHT + (layout.groups?.length ?? 0) * GROUP_HEIGHT
}

/** The accounts `[start, end)` that overlap the visible band, plus `overscan` either side. */
export function visibleRange(layout: Layout, starts: readonly number[], scrollTop: number, height: number, overscan: number): [number, number] {
  if (layout.total === 0) return [0, 0]
  // The first account whose bottom is below the top of the band (binary search: positions only grow).
  let low = 0
  let high = layout.total - 1
  while (low < high) {
    const middle = (low + high) >> 1
    if (accountTop(layout, starts, middle) + ROW_HEIGHT <= scrollTop) low = middle + 1
    else high = middle
  }
  let end = low
  while (end < layout.total && accountTop(layout, starts, end) < scrollTop + height) end += 1
  return [Math.max(0, low - overscan), Math.min(layout.total, Math.max(end, low + 1) + overscan)]
}

/** How many account rows fill a page of the list (PageUp / PageDown). */
export function pageSize(height: number): number {
  return Math.max(1, Math.floor(height / ROW_HEIGHT))
}
