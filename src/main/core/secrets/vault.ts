/**
 * Every account's secret, kept in memory and persisted to the OS keychain. One batch read at
 * startup; every keychain call has a deadline; when the keychain cannot be used the vault fails
 * closed (memory only, never a plaintext file) and says why. It never throws and never loses a
 * secret it was given.
 */
import type { StorageHealth, StorageState } from '../../../shared/contract.ts'
import type { Clock, Logger, SecretStore } from '../ports.ts'
import { withDeadline } from './deadline.ts'
import { failureHealth, HEALTHY, missingLibraryHealth, redactSecrets } from './keychain-health.ts'

export interface SecretVaultOptions {
  clock: Clock
  logger: Logger
  /** Deadline for each keychain call; default 8000 ms. */
  timeoutMs?: number
  /** Why there is no store, when the keychain library could not be loaded. */
  unavailableReason?: string
}

export class SecretVault {
  readonly #store: SecretStore | null
  readonly #clock: Clock
  readonly #logger: Logger
  readonly #timeoutMs: number
  readonly #memory = new Map<string, string>()
  readonly #storage = new Map<string, StorageState>()
  /** Removed while the keychain could not be used; deleted there once it can. */
  readonly #pendingDeletes = new Set<string>()
  /** Per key, the last keychain write or delete, so they reach the keychain in order. */
  readonly #queues = new Map<string, Promise<unknown>>()
  readonly #listeners = new Set<(health: StorageHealth) => void>()
  /** Keys put or removed while a batch read is in flight: the read must not overwrite them. */
  #touchedDuringLoad: Set<string> | null = null
  #inflight: Promise<StorageHealth> | null = null
  #health: StorageHealth
  #loaded = false
  #loadCalls = 0

  constructor(store: SecretStore | null, options: SecretVaultOptions) {
    this.#store = store
    this.#clock = options.clock
    this.#logger = options.logger
    this.#timeoutMs = options.timeoutMs ?? 8000
    this.#health = store ? HEALTHY : missingLibraryHealth(options.unavailableReason)
  }

  /** How many batch reads the keychain has been asked for. */
  get loadCalls(): number {
    return this.#loadCalls
  }

  /** Whether the startup read has finished (successfully or not). */
  get loaded(): boolean {
    return this.#loaded
  }

  /** The startup read: one batch call. Does nothing once it has run; `retry()` reads again. */
  async load(): Promise<void> {
    if (!this.#loaded) await this.#attempt()
  }

  /** Reads the keychain again; when it works, the memory-only secrets are written to it. */
  retry(): Promise<StorageHealth> {
    return this.#attempt()
  }

  get(key: string): string | undefined {
    return this.#memory.get(key)
  }

  /** Keeps the secret in memory first, then writes it to the keychain; reports where it ended up. */
  put(key: string, secret: string): Promise<StorageState> {
    this.#memory.set(key, secret)
    this.#pendingDeletes.delete(key)
    this.#touchedDuringLoad?.add(key)
    if (!this.#store || !this.#health.available) {
      this.#setStorage(key, 'memory-only')
      return Promise.resolve('memory-only')
    }
    return this.#enqueue(key, () => this.#write(key, secret))
  }

  async remove(key: string): Promise<void> {
    this.#memory.delete(key)
    this.#touchedDuringLoad?.add(key)
    if (this.#storage.delete(key)) this.#emit()
    if (!this.#store) return
    if (!this.#health.available) {
      this.#pendingDeletes.add(key)
      return
    }
    await this.#enqueue(key, () => this.#delete(key))
  }

  /** Resolves when every keychain write and delete already asked for has finished (each has its deadline). */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.#queues.values()])
  }

  storageOf(key: string): StorageState {
    return this.#storage.get(key) ?? (this.#health.available ? 'keychain' : 'memory-only')
  }

  health(): StorageHealth {
    return { ...this.#health }
  }

  /** Called whenever the health or where a secret lives changes. Returns the unsubscribe. */
  onChange(listener: (health: StorageHealth) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  #attempt(): Promise<StorageHealth> {
    this.#inflight ??= this.#readAndFlush().finally(() => {
      this.#inflight = null
    })
    return this.#inflight
  }

  async #readAndFlush(): Promise<StorageHealth> {
    const store = this.#store
    if (!store) {
      this.#loaded = true
      return this.health()
    }
    this.#touchedDuringLoad = new Set()
    this.#loadCalls++
    let stored: Map<string, string>
    try {
      stored = await withDeadline(() => store.loadAll(), this.#clock, this.#timeoutMs)
    } catch (error) {
      this.#touchedDuringLoad = null
      this.#loaded = true
      this.#fail('load', error)
      this.#emit()
      return this.health()
    }
    const touched = this.#touchedDuringLoad
    this.#touchedDuringLoad = null
    for (const [key, secret] of stored) {
      // What is in memory is newer than the keychain; a key removed meanwhile stays removed.
      if (this.#memory.has(key) || touched.has(key) || this.#pendingDeletes.has(key)) continue
      this.#memory.set(key, secret)
      this.#storage.set(key, 'keychain')
    }
    this.#loaded = true
    this.#health = HEALTHY
    this.#logger.info('keychain.loaded', { count: stored.size })
    this.#emit()
    await this.#flush()
    return this.health()
  }

  /** Writes what only lives in memory and deletes what was removed meanwhile. */
  async #flush(): Promise<void> {
    const work: Promise<unknown>[] = []
    for (const key of [...this.#pendingDeletes]) {
      this.#pendingDeletes.delete(key)
      work.push(this.#enqueue(key, () => this.#delete(key)))
    }
    for (const [key, state] of [...this.#storage]) {
      const secret = this.#memory.get(key)
      if (state === 'memory-only' && secret !== undefined) work.push(this.#enqueue(key, () => this.#write(key, secret)))
    }
    await Promise.all(work)
  }

  async #write(key: string, secret: string): Promise<StorageState> {
    const store = this.#store
    if (!store) return 'memory-only'
    try {
      await withDeadline(() => store.set(key, secret), this.#clock, this.#timeoutMs)
    } catch (error) {
      this.#fail('set', error, key, secret)
      if (this.#memory.get(key) === secret) this.#setStorage(key, 'memory-only')
      return 'memory-only'
    }
    if (this.#memory.get(key) === secret) this.#setStorage(key, 'keychain')
    return 'keychain'
  }

  async #delete(key: string): Promise<void> {
    const store = this.#store
    if (!store) return
    try {
      await withDeadline(() => store.delete(key), this.#clock, this.#timeoutMs)
    } catch (error) {
      if (!this.#memory.has(key)) this.#pendingDeletes.add(key)
      this.#fail('delete', error, key)
    }
  }

  #enqueue<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(key) ?? Promise.resolve()
    const next = previous.then(task, task)
    this.#queues.set(key, next)
    void next.finally(() => {
      if (this.#queues.get(key) === next) this.#queues.delete(key)
    })
    return next
  }

  #fail(operation: 'load' | 'set' | 'delete', error: unknown, key?: string, secret?: string): void {
    const known = secret === undefined ? [...this.#memory.values()] : [secret, ...this.#memory.values()]
    const health = failureHealth(error, (text) => redactSecrets(text, known))
    this.#logger.warn('keychain.unavailable', { operation, ...(key === undefined ? {} : { key }), reason: health.reason })
    const changed = health.available !== this.#health.available || health.reason !== this.#health.reason
    this.#health = health
    if (changed) this.#emit()
  }

  #setStorage(key: string, state: StorageState): void {
    if (this.#storage.get(key) === state) return
    this.#storage.set(key, state)
    this.#emit()
  }

  #emit(): void {
    const health = this.health()
    for (const listener of this.#listeners) {
      try {
        listener(health)
      } catch (error) {
        this.#logger.error('vault.listener-failed', { error: error instanceof Error ? error.name : 'unknown' })
      }
    }
  }
}
