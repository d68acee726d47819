/**
 * Every account's secret, persisted, sealed, in the account's own file (see AccountStore) and
 * opened from there when it is asked for; memory holds only secrets not sealed to disk yet. The key that seals them is the one item Latchkey keeps in the OS keychain per data
 * folder: start-up reads it once (after first paint), and a refresh writes one file and never
 * touches the keychain. When the keychain cannot be used the vault fails closed (memory only, never
 * a plaintext file) and says why. It never throws and never loses a secret it was given.
 *
 * Older versions kept one keychain item per account. The first start with a vault moves each of
 * them into the account's file and deletes the item only once that write is on disk.
 */
import type { KeyObject } from 'node:crypto'
import type { StorageHealth, StorageState } from '../../../shared/contract.ts'
import type { AccountStore } from '../accounts/account-store.ts'
import type { Clock, Logger, SecretStore } from '../ports.ts'
import { inSlices } from '../slices.ts'
import { KEYCHAIN_DEADLINE_MS, withDeadline } from './deadline.ts'
import { failureHealth, HEALTHY, missingLibraryHealth, redactSecrets } from './keychain-health.ts'
import { newVaultKey, open, opens, parseVaultKey, seal } from './sealed.ts'
import { VAULT_KEY_PREFIX } from './vault-key-name.ts'

export interface SecretVaultOptions {
  clock: Clock
  logger: Logger
  /** Where the sealed secrets live. */
  records: AccountStore
  /** Deadline for each keychain call; default 8000 ms. */
  timeoutMs?: number
  /** Why there is no store, when the keychain library could not be loaded. */
  unavailableReason?: string
  /** Whether a keychain item an older version kept per account belongs to this data folder's accounts. */
  ownsLegacyItem?: (key: string) => boolean
}

export { VAULT_KEY_PREFIX }

/** The keychain item: the key, and whether the per-account items of older versions have been moved. */
interface KeyItem {
  key: string
  legacyMoved: boolean
}

export type VaultChange = { kind: 'health'; health: StorageHealth } | { kind: 'account'; id: string }

export class SecretVault {
  readonly #store: SecretStore | null
  readonly #clock: Clock
  readonly #logger: Logger
  readonly #records: AccountStore
  readonly #timeoutMs: number
  readonly #keyName: string
  readonly #owns: (key: string) => boolean
  readonly #memory = new Map<string, string>()
  readonly #storage = new Map<string, StorageState>()
  /** Accounts whose sealed secrets did not open (changed on disk, or sealed with another key). */
  readonly #unreadable = new Set<string>()
  readonly #listeners = new Set<(change: VaultChange) => void>()
  /** Keys put or removed while the key is being read: what is on disk must not overwrite them. */
  #touchedDuringLoad: Set<string> | null = null
  #inflight: Promise<StorageHealth> | null = null
  #key: KeyObject | null = null
  #health: StorageHealth
  #keyReplaced = false
  #loaded = false
  #loadCalls = 0
  /** Sealed records the last read of the key found to open. */
  #opened = 0
  /** Whether a read of the key has ever worked: sealed records on disk count as kept in the keychain. */
  #everOpened = false

  constructor(store: SecretStore | null, options: SecretVaultOptions) {
    this.#store = store
    this.#clock = options.clock
    this.#logger = options.logger
    this.#records = options.records
    this.#timeoutMs = options.timeoutMs ?? KEYCHAIN_DEADLINE_MS
    this.#keyName = VAULT_KEY_PREFIX + options.records.dir
    this.#owns = options.ownsLegacyItem ?? (() => false)
    this.#health = store ? HEALTHY : missingLibraryHealth(options.unavailableReason)
  }

  /** How many times the vault key has been asked of the keychain. */
  get loadCalls(): number {
    return this.#loadCalls
  }

  /** Whether the startup read has finished (successfully or not). */
  get loaded(): boolean {
    return this.#loaded
  }

  /** The startup read: the vault key, once. Does nothing once it has run; `retry()` reads again. */
  async load(): Promise<void> {
    if (!this.#loaded) await this.#attempt()
  }

  /** Reconnects to the keychain and reads the key again; when it works, the memory-only secrets are sealed to disk. */
  async retry(): Promise<StorageHealth> {
    if (!this.#inflight) await this.#store?.reconnect?.().catch(() => undefined)
    return this.#attempt()
  }

  /**
   * The secret: from memory while it is not sealed on disk yet (or cannot be), else opened from the
   * account's file. Only secrets waiting for the disk stay in memory as text: at 10,000 accounts a
   * second, plaintext copy of every session cost more memory than everything else per account.
   */
  get(key: string): string | undefined {
    const waiting = this.#memory.get(key)
    if (waiting !== undefined || !this.#key) return waiting
    const sealed = this.#records.get(key)?.sealed
    return sealed ? (open(this.#key, key, sealed) ?? undefined) : undefined
  }

  /** Whether `get` can give this account's secret: it is in memory, or sealed on disk with a key that opens it. */
  canOpen(key: string): boolean {
    return this.#memory.has(key) || (this.#key !== null && this.#records.hasSealed(key) && !this.#unreadable.has(key))
  }

  /**
   * Keeps the secret in memory first, then seals it into the account's file; reports where it ended
   * up. `durable: false`: written atomically but not flushed to the disk (see AccountFiles).
   */
  async put(id: string, secret: string, options: { durable?: boolean } = {}): Promise<StorageState> {
    this.#memory.set(id, secret)
    this.#touchedDuringLoad?.add(id)
    this.#unreadable.delete(id)
    const key = this.#key
    if (!key) {
      this.#setStorage(id, 'memory-only')
      return 'memory-only'
    }
    try {
      await this.#records.set(id, { sealed: seal(key, id, secret) }, options)
    } catch {
      if (this.#memory.get(id) === secret) this.#setStorage(id, 'memory-only')
      return 'memory-only'
    }
    if (this.#memory.get(id) === secret) {
      this.#memory.delete(id)
      this.#setStorage(id, 'keychain')
    }
    return 'keychain'
  }

  async remove(id: string): Promise<void> {
    this.#memory.delete(id)
    this.#touchedDuringLoad?.add(id)
    this.#unreadable.delete(id)
    if (this.#storage.delete(id)) this.#emit({ kind: 'account', id })
    if (this.#records.hasSealed(id)) await this.#records.set(id, { sealed: null }).catch(() => undefined)
  }

  /** Resolves when every write already asked for has finished. */
  async flush(): Promise<void> {
    await this.#records.flush()
  }

  storageOf(id: string): StorageState {
    const sealedOnDisk = this.#everOpened && this.#records.hasSealed(id) && !this.#unreadable.has(id)
    return this.#storage.get(id) ?? (this.#key || (this.#health.available && !this.#loaded) || sealedOnDisk ? 'keychain' : 'memory-only')
  }

  /** Whether this account's stored secrets could not be opened (damaged, changed outside Latchkey, or another key). */
  unreadable(id: string): boolean {
    return this.#unreadable.has(id)
  }

  /** What went wrong at the last read, for notices. */
  problems(): { unreadable: string[]; keyReplaced: boolean } {
    return { unreadable: [...this.#unreadable], keyReplaced: this.#keyReplaced }
  }

  health(): StorageHealth {
    return { ...this.#health }
  }

  /** Called whenever the health or where one account's secret lives changes. Returns the unsubscribe. */
  onChange(listener: (change: VaultChange) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  #attempt(): Promise<StorageHealth> {
    this.#inflight ??= this.#unlock().finally(() => {
      this.#inflight = null
    })
    return this.#inflight
  }

  #call<T>(work: (store: SecretStore) => Promise<T>): Promise<T> {
    const store = this.#store
    if (!store) return Promise.reject(new Error('No keychain.'))
    return withDeadline(() => work(store), this.#clock, this.#timeoutMs)
  }

  async #unlock(): Promise<StorageHealth> {
    if (!this.#store) {
      this.#loaded = true
      return this.health()
    }
    this.#touchedDuringLoad = new Set()
    this.#loadCalls++
    try {
      let item = parseKeyItem(await this.#call((store) => store.get(this.#keyName)))
      if (!item) {
        // No key yet (first start with a vault), or it was lost: sessions sealed with the old one cannot be opened.
        const sealedBefore = this.#records.ids().some((id) => this.#records.hasSealed(id))
        item = { key: newVaultKey(), legacyMoved: false }
        const created = item
        await this.#call((store) => store.set(this.#keyName, formatKeyItem(created)))
        this.#keyReplaced = sealedBefore
      }
      this.#key = parseVaultKey(item.key)
      await this.#openAll()
      this.#everOpened = true
      if (!item.legacyMoved) {
        await this.#moveLegacyItems()
        const moved = { ...item, legacyMoved: true }
        await this.#call((store) => store.set(this.#keyName, formatKeyItem(moved)))
      }
    } catch (error) {
      this.#fail(error)
      this.#key = null
      this.#touchedDuringLoad = null
      this.#loaded = true
      this.#emit({ kind: 'health', health: this.health() })
      return this.health()
    }
    this.#touchedDuringLoad = null
    this.#loaded = true
    this.#health = HEALTHY
    this.#logger.info('vault.opened', { sessions: this.#opened, unreadable: this.#unreadable.size })
    this.#emit({ kind: 'health', health: this.health() })
    await this.#sealMemoryOnly()
    return this.health()
  }

  /**
   * Checks that every sealed record on disk that memory has nothing newer for opens (in slices: see
   * inSlices), keeping nothing of it; `get` opens one again when it is asked for.
   */
  async #openAll(): Promise<void> {
    const key = this.#key
    if (!key) return
    this.#opened = 0
    await inSlices(this.#records.ids(), (id) => {
      if (!this.#records.hasSealed(id) || this.#memory.has(id) || this.#touchedDuringLoad?.has(id)) return
      const sealed = this.#records.get(id)?.sealed
      if (!sealed) return
      if (!opens(key, id, sealed)) {
        this.#unreadable.add(id)
        return
      }
      this.#unreadable.delete(id)
      this.#opened++
    })
    if (this.#unreadable.size > 0) this.#logger.warn('vault.unreadable', { ids: [...this.#unreadable] })
  }

  /** Moves the per-account keychain items of older versions into the vault: sealed to disk first, deleted after. */
  async #moveLegacyItems(): Promise<void> {
    const key = this.#key
    if (!key) return
    const items = await this.#call((store) => store.loadAll())
    let moved = 0
    for (const [id, secret] of items) {
      if (id.startsWith(VAULT_KEY_PREFIX) || !this.#owns(id)) continue
      const removedMeanwhile = this.#touchedDuringLoad?.has(id) && !this.#memory.has(id)
      if (!removedMeanwhile && !this.#records.hasSealed(id)) {
        if (!this.#memory.has(id)) this.#memory.set(id, secret)
        await this.#records.set(id, { sealed: seal(key, id, this.#memory.get(id) ?? secret) })
        this.#storage.set(id, 'keychain')
      }
      await this.#call((store) => store.delete(id))
      moved++
    }
    if (moved > 0) this.#logger.info('vault.moved-keychain-items', { count: moved })
  }

  /** Seals what only lives in memory (put while the key could not be read). */
  async #sealMemoryOnly(): Promise<void> {
    const work: Promise<unknown>[] = []
    for (const [id, state] of [...this.#storage]) {
      const secret = this.#memory.get(id)
      if (state === 'memory-only' && secret !== undefined) work.push(this.put(id, secret))
    }
    await Promise.all(work)
  }

  /** Every secret this vault can read (to keep them out of error messages): memory's, then the disk's. */
  *#everySecret(): Iterable<string> {
    yield* this.#memory.values()
    for (const id of this.#key ? this.#records.ids() : []) {
      const secret = this.#memory.has(id) ? undefined : this.get(id)
      if (secret !== undefined) yield secret
    }
  }

  #fail(error: unknown): void {
    const health = failureHealth(error, (text) => redactSecrets(text, this.#everySecret()))
    this.#logger.warn('keychain.unavailable', { reason: health.reason })
    this.#health = health
  }

  /** Announced only when what `storageOf` says changes (a refresh sealing to disk as before is no news). */
  #setStorage(id: string, state: StorageState): void {
    const before = this.storageOf(id)
    this.#storage.set(id, state)
    if (before !== state) this.#emit({ kind: 'account', id })
  }

  #emit(change: VaultChange): void {
    for (const listener of this.#listeners) {
      try {
        listener(change)
      } catch (error) {
        this.#logger.error('vault.listener-failed', { error: error instanceof Error ? error.name : 'unknown' })
      }
    }
  }
}

export function formatKeyItem(item: KeyItem): string {
  return JSON.stringify({ v: 1, key: item.key, legacyMoved: item.legacyMoved })
}

/** Null when there is no item, or it is not a vault key (then a new one replaces it). */
export function parseKeyItem(text: string | null): KeyItem | null {
  if (text === null) return null
  try {
    const parsed = JSON.parse(text) as { v?: unknown; key?: unknown; legacyMoved?: unknown }
    if (parsed.v !== 1 || typeof parsed.key !== 'string' || !parseVaultKey(parsed.key)) return null
    return { key: parsed.key, legacyMoved: parsed.legacyMoved === true }
  } catch {
    return null
  }
}
