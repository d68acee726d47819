/**
 * The accounts and which one is active. Reads come from memory, by id in constant time. The
 * settings file holds the list and the active account and is written when those change (an account
 * added, removed or made active); each account's own newest record lives in its account file
 * (AccountStore), which is all that a change to one account writes. Never a secret.
 */
import { AppError } from '../errors.ts'
import type { Clock, SettingsStore, TimerHandle } from '../ports.ts'
import type { AccountRecord, SettingsData } from '../settings/schema.ts'
import type { AccountStore } from './account-store.ts'
import type { IndexedSettings } from './startup-index.ts'

export type NewAccount = Omit<AccountRecord, 'id' | 'createdAt'>
export type AccountPatch = Partial<NewAccount>

export const LABEL_MAX_LENGTH = 80

export interface RegistryOptions {
  newId?: () => string
  now?: () => number
  /** The per-account files; without them every change rewrites the settings file (tests). */
  records?: AccountStore
  /**
   * With a clock, a change of the active account alone is written to the settings file once things
   * are quiet (ACTIVE_WRITE_DELAY_MS after the last switch, or at `flush()`), not during the switch:
   * the file holds every account, and writing it took hundreds of milliseconds at 10,000.
   */
  clock?: Clock
  /**
   * The order and active account from the start-up index (see AccountStore.indexedSettings): used
   * instead of reading the settings file, which is then opened only when it is written.
   */
  indexed?: IndexedSettings | null
}

export const ACTIVE_WRITE_DELAY_MS = 2_000

export class AccountRegistry {
  readonly #store: SettingsStore<SettingsData>
  readonly #newId: () => string
  readonly #now: () => number
  readonly #records: AccountStore | null
  readonly #byId = new Map<string, AccountRecord>()
  #order: string[] = []
  #activeId: string | null
  #revision = 0
  readonly #clock: Clock | null
  #activeWrite: TimerHandle | null = null

  constructor(store: SettingsStore<SettingsData>, options: RegistryOptions = {}) {
    this.#store = store
    this.#newId = options.newId ?? (() => crypto.randomUUID())
    this.#now = options.now ?? Date.now
    this.#records = options.records ?? null
    this.#clock = options.clock ?? null
    const indexed = options.indexed ?? null
    const data = indexed ? null : store.read()
    if (indexed) {
      // Each listed account's own record (checked by AccountStore.indexedSettings), else the one the index kept.
      for (const id of indexed.order) if (!this.#byId.has(id)) this.#list(id, this.#records?.account(id) ?? (indexed.records[id] as AccountRecord))
    } else {
      // The account file is written on every change; the settings file only on structural ones.
      for (const account of data?.accounts ?? []) if (!this.#byId.has(account.id)) this.#list(account.id, this.#records?.account(account.id) ?? account)
    }
    this.#activeId = indexed ? indexed.activeAccountId : (data?.activeAccountId ?? null)
    // The index written during a session takes the order and active account as the settings file holds them.
    this.#records?.keepIndexFresh(
      () => (this.#activeWrite === null ? this.#indexedSettings() : undefined),
      () => this.#activeWrite !== null,
      () => this.#clock?.now() ?? this.#now(),
    )
  }

  #list(id: string, account: AccountRecord): void {
    this.#byId.set(id, frozen(account))
    this.#order.push(id)
  }

  /**
   * Writes the start-up index when memory is what the files hold (see AccountStore.saveIndex): at
   * quit, after the last writes.
   */
  saveStartupIndex(): boolean {
    const records = this.#records
    if (!records || this.#activeWrite !== null) return false
    return records.saveIndex(this.#indexedSettings())
  }

  /**
   * After a start that took records from the start-up index before comparing their files with it
   * (see AccountStore.checkIndexed): each file changed since is read again, and its account listed
   * as the file holds it now (a damaged one keeps the record it was listed with, as at a start that
   * reads the files, where the settings file's is kept). Resolves with the accounts whose files had
   * changed.
   */
  async checkIndexed(): Promise<string[]> {
    const records = this.#records
    if (!records) return []
    const changed = await records.checkIndexed()
    for (const id of changed) {
      const account = records.account(id)
      if (account && this.#byId.has(id)) this.#byId.set(id, frozen(account))
    }
    return changed
  }

  /** How many account files could not be read, and the folder they are in. */
  damagedFiles(): { count: number; dir: string } {
    return { count: this.#records?.damaged().size ?? 0, dir: this.#records?.dir ?? '' }
  }

  /**
   * After a start that had to read many account files (or found no index): the start-up index
   * written while the app runs, in slices and flushed off the main thread (see
   * AccountStore.refreshIndex), instead of in one piece. Resolves when it is written or given up.
   */
  async refreshStaleIndex(): Promise<void> {
    if (this.#records?.indexStale) await this.#records.refreshIndex()
  }

  /** The order and active account as the settings file holds them, with its stamp (null: no file to vouch for). */
  #indexedSettings(): IndexedSettings | null {
    const records = this.#records
    const stamp = this.#store.stamp?.() ?? null
    if (!records || stamp === null) return null
    return {
      stamp,
      order: [...this.#order],
      activeAccountId: this.#activeId,
      records: Object.fromEntries(this.#order.filter((id) => !records.account(id)).map((id) => [id, this.#byId.get(id) as AccountRecord])),
    }
  }

  /** The records are frozen: read them freely, change them through `update`. */
  list(): AccountRecord[] {
    return this.#order.map((id) => this.#byId.get(id) as AccountRecord)
  }

  /** Bumped whenever the list's structure changes: an account added or removed (not another made active). */
  get revision(): number {
    return this.#revision
  }

  get count(): number {
    return this.#order.length
  }

  /** Frozen, like every record the registry hands out. */
  get(id: string): AccountRecord | undefined {
    return this.#byId.get(id)
  }

  has(id: string): boolean {
    return this.#byId.has(id)
  }

  require(id: string): AccountRecord {
    const found = this.get(id)
    if (!found) throw new AppError('NOT_FOUND', 'That account no longer exists.')
    return found
  }

  /** Account files on disk whose account is not in the settings (the settings were lost or replaced). */
  orphans(): AccountRecord[] {
    if (!this.#records) return []
    return this.#records.ids().flatMap((id) => {
      const account = this.#records?.account(id)
      return account && !this.#byId.has(id) ? [structuredClone(account)] : []
    })
  }

  /** Puts orphaned accounts back into the list, as their files have them. */
  restore(ids: string[]): AccountRecord[] {
    const found = this.orphans().filter((account) => ids.includes(account.id))
    if (found.length === 0) return []
    this.#commit(
      [...this.#order, ...found.map((a) => a.id)],
      this.#activeId ?? found[0]?.id ?? null,
      found,
    )
    return found
  }

  /** Adds an account; the first one becomes active. */
  add(input: NewAccount): AccountRecord {
    const record: AccountRecord = frozen({
      ...structuredClone(input),
      label: validLabel(input.label, { clamp: true }),
      id: this.#newId(),
      createdAt: new Date(this.#now()).toISOString(),
    })
    this.#commit([...this.#order, record.id], this.activeId() ?? record.id, [record])
    return record
  }

  /** `durable: false`: the account file is written but not flushed to the disk (see AccountFiles). */
  update(id: string, patch: AccountPatch, options: { durable?: boolean } = {}): AccountRecord {
    const current = this.require(id)
    // Copied, so the caller's objects never become the record's.
    const defined: Record<string, unknown> = {}
    for (const key in patch) {
      const value: unknown = patch[key as keyof AccountPatch]
      if (value !== undefined && Object.hasOwn(patch, key)) defined[key] = plainCopy(value)
    }
    const label = patch.label !== undefined ? validLabel(patch.label) : current.label
    const next: AccountRecord = frozen({ ...current, ...defined, label, id: current.id, createdAt: current.createdAt })
    if (this.#records) {
      this.#byId.set(id, next)
      this.#persist(id, next, options.durable ?? true)
    } else {
      this.#commit(this.#order, this.#activeId, [next])
    }
    return next
  }

  rename(id: string, label: string): AccountRecord {
    return this.update(id, { label })
  }

  /** Resolves once this account's last change is on disk. */
  async persisted(id: string): Promise<void> {
    await this.#pending.get(id)
  }

  /** Removes an account; when it was active, the one after it (or else before it) becomes active. */
  remove(id: string): void {
    this.require(id)
    const index = this.#order.indexOf(id)
    const order = this.#order.filter((other) => other !== id)
    let activeId = this.#activeId
    if (activeId === id) activeId = order[index] ?? order[index - 1] ?? null
    this.#commit(order, activeId, [])
    this.#byId.delete(id)
    this.#records?.remove(id).catch(() => undefined)
  }

  setActive(id: string): void {
    this.require(id)
    if (!this.#clock) {
      this.#commit(this.#order, id, [])
      return
    }
    this.#activeId = id
    if (this.#activeWrite !== null) this.#clock.clearTimeout(this.#activeWrite)
    this.#activeWrite = this.#clock.setTimeout(() => this.flush(), ACTIVE_WRITE_DELAY_MS)
  }

  /** Writes a change of the active account that is still waiting (at quit). */
  flush(): void {
    if (this.#activeWrite === null) return
    this.#clock?.clearTimeout(this.#activeWrite)
    this.#activeWrite = null
    this.#commit(this.#order, this.#activeId, [])
  }

  /** The active account, or null when there is none (a stale id from the file counts as none). */
  activeId(): string | null {
    const id = this.#activeId
    if (id !== null && this.#byId.has(id)) return id
    return this.#order[0] ?? null
  }

  readonly #pending = new Map<string, Promise<void>>()

  #persist(id: string, record: AccountRecord, durable = true): void {
    const records = this.#records
    if (!records) return
    const written = records.set(id, { account: record }, { durable }).catch(() => undefined)
    this.#pending.set(id, written)
    void written.then(() => {
      if (this.#pending.get(id) === written) this.#pending.delete(id)
    })
  }

  /** The settings file is written first, so a failed write leaves memory as it was. */
  #commit(order: string[], activeId: string | null, changed: AccountRecord[]): void {
    const byId = (id: string): AccountRecord => changed.find((a) => a.id === id) ?? (this.#byId.get(id) as AccountRecord)
    this.#records?.settingsWillChange()
    this.#store.write({ accounts: order.map(byId), activeAccountId: activeId })
    if (order !== this.#order) this.#revision++
    if (this.#activeWrite !== null) {
      // This write holds the active account too.
      this.#clock?.clearTimeout(this.#activeWrite)
      this.#activeWrite = null
    }
    for (const record of changed) {
      this.#byId.set(record.id, frozen(record))
      this.#persist(record.id, record)
    }
    this.#order = order
    this.#activeId = activeId
  }
}

/**
 * Records are replaced on every change and never changed in place, so they can be handed out as
 * they are (no copy per read: at 10,000 accounts copies were most of the cost of listing them).
 */
function frozen(record: AccountRecord): AccountRecord {
  if (Object.isFrozen(record)) return record
  Object.freeze(record.config)
  Object.freeze(record.identity)
  for (const key in record.profile) {
    const value = record.profile[key]
    if (typeof value === 'object') Object.freeze(value)
  }
  Object.freeze(record.profile)
  if (record.attention) Object.freeze(record.attention)
  return Object.freeze(record)
}

/** A copy of record data (JSON-shaped: strings, numbers, booleans, null, arrays and plain objects). */
function plainCopy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value
  if (Array.isArray(value)) return value.map(plainCopy)
  const copy: Record<string, unknown> = {}
  for (const key in value) if (Object.hasOwn(value, key)) copy[key] = plainCopy((value as Record<string, unknown>)[key])
  return copy
}

/** Made when a label is first checked: making one loads ICU's break rules, 10 to 80 ms that a start does not need. */
let graphemes: Intl.Segmenter | undefined

/**
 * Trimmed, 1 to 80 characters as a person counts them. A new account's label (often made from the
 * profile) is cut to length rather than refused, so a sign-in never fails over its name.
 */
function validLabel(label: string, options: { clamp?: boolean } = {}): string {
  graphemes ??= new Intl.Segmenter()
  const characters = [...graphemes.segment(label.trim())].map((part) => part.segment)
  const kept = options.clamp ? characters.slice(0, LABEL_MAX_LENGTH) : characters
  if (kept.length < 1 || kept.length > LABEL_MAX_LENGTH) {
    throw new AppError('VALIDATION', `A name needs 1 to ${LABEL_MAX_LENGTH} characters.`, { field: 'label' })
  }
  return kept.join('').trimEnd()
}
