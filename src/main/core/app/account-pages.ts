/**
 * The switcher's pages over the account records: filtered, ordered and cut as `accounts:list`
 * asks, with only the page's accounts turned into summaries.
 *
 * The text a filter looks in is worked out on the first keystroke and kept while what it is made of
 * stays (label, identity, configuration): a renewal replaces the account's record but not those, so
 * it keeps its text. Kept per record instead, every account renewed since the last filter had its
 * text made again on the next keystroke: at 10,000 accounts on hour-long tokens, most of them after
 * an hour, about 25 ms of such a keystroke's 57. (Made ahead at start-up, the texts took the shell's
 * idle memory at 10,000 accounts from 1.38–1.40× to 1.46× that with none, for 30 ms on the first
 * keystroke.)
 */
import type { AccountListArgs, AccountPage, AccountSummary } from '../../../shared/contract.ts'
import { arrange, pageOf, searchText, type EntryReader } from '../../../shared/account-list.ts'
import type { AccountRegistry } from '../accounts/registry.ts'
import type { AccountRecord } from '../settings/schema.ts'
import type { ProviderSet } from './provider-set.ts'

interface Listing {
  text: string
  backend: string
  /** What the text was made from besides the identity it is kept under. */
  label: string
  config: AccountRecord['config']
  provider: AccountRecord['provider']
}

export class AccountPages {
  readonly #registry: AccountRegistry
  readonly #providers: ProviderSet
  readonly #summary: (record: AccountRecord, activeId: string | null) => AccountSummary
  /** By the record's identity object, which a renewal's new record shares (records are frozen). */
  readonly #listings = new WeakMap<AccountRecord['identity'], Listing>()
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
    const { label, identity, config } = record
    const kept = this.#listings.get(identity)
    if (kept && kept.label === label && kept.config === config && kept.provider === record.provider) return kept
    const provider = this.#providers.get(record.provider)
    const backend = provider.backendName(config)
    const text = searchText({ label, name: identity.name, email: identity.email, backend, provider: record.provider, kindName: provider.descriptor.title })
    const listing = { text, backend, label, config, provider: record.provider }
    this.#listings.set(identity, listing)
    return listing
  }
}
