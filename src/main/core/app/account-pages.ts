/**
 * The switcher's pages over the account records: filtered, ordered and cut as `accounts:list`
 * asks, with only the page's accounts turned into summaries. The text a filter looks in is worked
 * out once per record (records are replaced, never changed, when an account changes).
 */
import type { AccountListArgs, AccountPage, AccountSummary } from '../../../shared/contract.ts'
import { arrange, pageOf, searchText, type EntryReader } from '../../../shared/account-list.ts'
import type { AccountRegistry } from '../accounts/registry.ts'
import type { AccountRecord } from '../settings/schema.ts'
import type { ProviderSet } from './provider-set.ts'

interface Listing {
  text: string
  backend: string
}

export class AccountPages {
  readonly #registry: AccountRegistry
  readonly #providers: ProviderSet
  readonly #summary: (record: AccountRecord, activeId: string | null) => AccountSummary
  readonly #listings = new WeakMap<AccountRecord, Listing>()
  readonly #read: EntryReader<AccountRecord> = {
    text: (record) => this.#listing(record).text,
    backend: (record) => this.#listing(record).backend,
  }

  constructor(registry: AccountRegistry, providers: ProviderSet, summary: (record: AccountRecord, activeId: string | null) => AccountSummary) {
    this.#registry = registry
    this.#providers = providers
    this.#summary = summary
  }

  page(args: AccountListArgs): Omit<AccountPage, 'version'> {
    const records = this.#registry.list()
    const activeId = this.#registry.activeId()
    const { order, groups } = arrange(records, args, this.#read)
    const active = activeId === null ? undefined : this.#registry.get(activeId)
    const activeIndex = active ? order.indexOf(active) : -1
    return {
      accounts: pageOf(order, args).map((record) => this.#summary(record, activeId)),
      offset: Math.max(0, Math.floor(args.offset)),
      total: order.length,
      all: records.length,
      groups,
      active: active ? this.#summary(active, activeId) : null,
      activeIndex: activeIndex >= 0 ? activeIndex : null,
    }
  }

  #listing(record: AccountRecord): Listing {
    let listing = this.#listings.get(record)
    if (!listing) {
      const provider = this.#providers.get(record.provider)
      const backend = provider.backendName(record.config)
      const { label, identity } = record
      const text = searchText({ label, name: identity.name, email: identity.email, backend, provider: record.provider, kindName: provider.descriptor.title })
      listing = { text, backend }
      this.#listings.set(record, listing)
    }
    return listing
  }
}
