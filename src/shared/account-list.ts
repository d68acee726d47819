/**
 * Which accounts the switcher lists, in what order, and which page of them: the filter (every word
 * of the query, any case, in the label, name, email or backend), grouping by backend, and the page
 * from an offset. Plain functions over any kind of entry, so the main process runs them over its
 * records and test doubles over summaries.
 */
import type { AccountGroup, AccountListArgs, ProviderKind } from './contract.ts'

/** The most accounts one `accounts:list` call returns. */
export const MAX_PAGE = 500

const TAGS: Partial<Record<ProviderKind, string>> = { oidc: 'OIDC', pocketbase: 'PB' }

/** A short tag for a kind of backend ("OIDC", "PB"). */
export function kindTag(kind: ProviderKind): string {
  return TAGS[kind] ?? kind.slice(0, 4).toUpperCase()
}

/** What a filter looks in for one account. */
export interface Searchable {
  label: string
  name: string | null
  email: string | null
  backend: string
  provider: ProviderKind
  /** The kind's title ("OpenID Connect"). */
  kindName: string
}

/** The lower-case text a filter looks in: label, name, email, backend, the kind's title and tag. */
export function searchText(account: Searchable): string {
  const { label, name, email, backend, kindName, provider } = account
  return [label, name ?? '', email ?? '', backend, kindName, kindTag(provider)].join('\n').toLowerCase()
}

/** How one kind of entry is read by `arrange`. */
export interface EntryReader<T> {
  text(entry: T): string
  backend(entry: T): string
}

/** The entries the query lists, in display order, with the backend headings when grouped. */
export interface Arranged<T> {
  order: readonly T[]
  groups: AccountGroup[] | null
}

/** Filters `entries` by `args.query` and orders them as the switcher shows them. */
export function arrange<T>(entries: readonly T[], args: Pick<AccountListArgs, 'query' | 'grouped'>, read: EntryReader<T>): Arranged<T> {
  const words = (args.query ?? '').toLowerCase().split(/\s+/).filter(Boolean)
  const listed = words.length === 0 ? entries : entries.filter((entry) => matchesWords(read.text(entry), words))
  if (args.grouped !== true) return { order: listed, groups: null }
  const byBackend = new Map<string, T[]>()
  for (const entry of listed) {
    const backend = read.backend(entry)
    const members = byBackend.get(backend)
    if (members) members.push(entry)
    else byBackend.set(backend, [entry])
  }
  const backends = [...byBackend.keys()].sort((a, b) => a.localeCompare(b))
  const order: T[] = []
  for (const backend of backends) order.push(...(byBackend.get(backend) ?? []))
  return { order, groups: backends.map((backend) => ({ backend, count: byBackend.get(backend)?.length ?? 0 })) }
}

function matchesWords(text: string, words: readonly string[]): boolean {
  return words.every((word) => text.includes(word))
}

/** The page `[offset, offset + limit)` of an arranged list (limit capped at MAX_PAGE). */
export function pageOf<T>(order: readonly T[], args: Pick<AccountListArgs, 'offset' | 'limit'>): readonly T[] {
  const offset = Math.max(0, Math.floor(args.offset))
  return order.slice(offset, offset + Math.max(0, Math.min(MAX_PAGE, Math.floor(args.limit))))
}
