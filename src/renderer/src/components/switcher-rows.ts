/**
 * What the switcher shows for each account, which accounts a filter keeps, how they group by
 * backend, and which rows of a long list are on screen. Plain functions, no DOM.
 */
import type { AccountSummary, ProviderKind } from '../../../shared/contract.ts'

/** The lines of one switcher row. */
export interface RowText {
  /** The label without what the other lines already say (" @ <backend>", " (impersonated by …)"). */
  name: string
  /** Who signed in (email, name or subject) when the name does not say it, or who impersonated. */
  detail: string | null
  /** A short tag for the kind of backend ("OIDC", "PB"). */
  tag: string
}

const TAGS: Partial<Record<ProviderKind, string>> = { oidc: 'OIDC', pocketbase: 'PB' }

export function kindTag(kind: ProviderKind): string {
  return TAGS[kind] ?? kind.slice(0, 4).toUpperCase()
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

/** The lower-case text a filter looks in: label, name, email and backend. */
export function searchText(account: AccountSummary, kindName: string): string {
  const { label, backend, user } = account
  return [label, user.name ?? '', user.email ?? '', backend, kindName, kindTag(account.provider)].join('\n').toLowerCase()
}

/** The accounts whose label, email, name or backend holds every word of `query` (any case). */
export function filterAccounts(
  accounts: readonly AccountSummary[],
  query: string,
  textOf: (account: AccountSummary) => string,
): readonly AccountSummary[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length === 0) return accounts
  return accounts.filter((account) => {
    const text = textOf(account)
    return words.every((word) => text.includes(word))
  })
}

/** One entry of the list as drawn: a backend's heading (when grouped) or an account. */
export type ListItem =
  | { kind: 'group'; key: string; backend: string; count: number; top: number; height: number }
  | { kind: 'account'; key: string; account: AccountSummary; index: number; group: string | null; top: number; height: number }

export const ROW_HEIGHT = 88
export const GROUP_HEIGHT = 30

/**
 * The entries in display order with their positions: the accounts as they are, or grouped by
 * backend (groups in name order, accounts in list order within each). `index` counts accounts only.
 */
export function layoutItems(accounts: readonly AccountSummary[], grouped: boolean): ListItem[] {
  const items: ListItem[] = []
  let top = 0
  let index = 0
  const add = (account: AccountSummary, group: string | null): void => {
    items.push({ kind: 'account', key: account.id, account, index: index++, group, top, height: ROW_HEIGHT })
    top += ROW_HEIGHT
  }
  if (!grouped) {
    for (const account of accounts) add(account, null)
    return items
  }
  const groups = new Map<string, AccountSummary[]>()
  for (const account of accounts) {
    const members = groups.get(account.backend)
    if (members) members.push(account)
    else groups.set(account.backend, [account])
  }
  for (const backend of [...groups.keys()].sort((a, b) => a.localeCompare(b))) {
    const members = groups.get(backend) ?? []
    items.push({ kind: 'group', key: `group:${backend}`, backend, count: members.length, top, height: GROUP_HEIGHT })
    top += GROUP_HEIGHT
    for (const account of members) add(account, backend)
  }
  return items
}

/** The total height of the laid-out entries. */
export function totalHeight(items: readonly ListItem[]): number {
  const last = items.at(-1)
  return last ? last.top + last.height : 0
}

/** The entries from `[start, end)` that overlap the visible band, plus `overscan` entries either side. */
export function visibleRange(items: readonly ListItem[], scrollTop: number, height: number, overscan: number): [number, number] {
  if (items.length === 0) return [0, 0]
  // The first entry whose bottom is below the top of the band (binary search: positions only grow).
  let low = 0
  let high = items.length - 1
  while (low < high) {
    const middle = (low + high) >> 1
    const item = items[middle] as ListItem
    if (item.top + item.height <= scrollTop) low = middle + 1
    else high = middle
  }
  let end = low
  while (end < items.length && (items[end] as ListItem).top < scrollTop + height) end += 1
  return [Math.max(0, low - overscan), Math.min(items.length, Math.max(end, low + 1) + overscan)]
}

/** How many account rows fill a page of the list (PageUp / PageDown). */
export function pageSize(height: number): number {
  return Math.max(1, Math.floor(height / ROW_HEIGHT))
}
