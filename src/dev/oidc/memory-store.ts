/**
 * In-memory storage for the local OpenID Connect server: one store per server (nothing shared
 * between servers in one process), with expiry, and enough indexing to revoke everything a user
 * holds. oidc-provider's own memory adapter cannot list grants by user and evicts past 1000 entries.
 */
import type { Adapter, AdapterPayload } from 'oidc-provider'

interface Entry {
  payload: AdapterPayload
  expiresAt: number
}

/** Models whose entries belong to a grant (revoked together with it). */
const GRANTABLE = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest'])

/** The store as JSON: per model, [id, payload, expiresAt or null for never]. */
export type StoreSnapshot = Record<string, [string, AdapterPayload, number | null][]>

export class MemoryStore {
  readonly #models = new Map<string, Map<string, Entry>>()
  /** Called after every change (the demo saves the store to disk). */
  onChange: () => void = () => undefined

  snapshot(): StoreSnapshot {
    const snapshot: StoreSnapshot = {}
    for (const [name, entries] of this.#models) {
      snapshot[name] = [...entries].map(([id, entry]) => [id, entry.payload, Number.isFinite(entry.expiresAt) ? entry.expiresAt : null])
    }
    return snapshot
  }

  restore(snapshot: StoreSnapshot): void {
    for (const [name, entries] of Object.entries(snapshot)) {
      const model = this.model(name)
      for (const [id, payload, expiresAt] of entries) model.set(id, { payload, expiresAt: expiresAt ?? Number.POSITIVE_INFINITY })
    }
  }

  model(name: string): Map<string, Entry> {
    let entries = this.#models.get(name)
    if (entries === undefined) {
      entries = new Map()
      this.#models.set(name, entries)
    }
    return entries
  }

  /** The factory oidc-provider calls once per model. */
  adapterFor = (name: string): Adapter => new MemoryAdapter(this, name)

  find(name: string, id: string): AdapterPayload | undefined {
    const entries = this.model(name)
    const entry = entries.get(id)
    if (entry === undefined) return undefined
    if (entry.expiresAt <= Date.now()) {
      entries.delete(id)
      return undefined
    }
    return entry.payload
  }

  /** Ids of live entries of `name` whose payload matches. */
  idsWhere(name: string, predicate: (payload: AdapterPayload) => boolean): string[] {
    return [...this.model(name).keys()].filter((id) => {
      const payload = this.find(name, id)
      return payload !== undefined && predicate(payload)
    })
  }

  revokeGrant(grantId: string): void {
    for (const name of GRANTABLE) {
      const entries = this.model(name)
      for (const [id, entry] of entries) if (entry.payload.grantId === grantId) entries.delete(id)
    }
    this.onChange()
  }
}

class MemoryAdapter implements Adapter {
  readonly #store: MemoryStore
  readonly #name: string

  constructor(store: MemoryStore, name: string) {
    this.#store = store
    this.#name = name
  }

  upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void> {
    const expiresAt = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY
    this.#store.model(this.#name).set(id, { payload, expiresAt })
    this.#store.onChange()
    return Promise.resolve()
  }

  find(id: string): Promise<AdapterPayload | undefined> {
    return Promise.resolve(this.#store.find(this.#name, id))
  }

  findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const [id] = this.#store.idsWhere(this.#name, (payload) => payload.uid === uid)
    return this.find(id ?? '')
  }

  findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const [id] = this.#store.idsWhere(this.#name, (payload) => payload.userCode === userCode)
    return this.find(id ?? '')
  }

  consume(id: string): Promise<void> {
    const payload = this.#store.find(this.#name, id)
    if (payload !== undefined) payload.consumed = Math.floor(Date.now() / 1000)
    this.#store.onChange()
    return Promise.resolve()
  }

  destroy(id: string): Promise<void> {
    this.#store.model(this.#name).delete(id)
    this.#store.onChange()
    return Promise.resolve()
  }

  revokeByGrantId(grantId: string): Promise<void> {
    this.#store.revokeGrant(grantId)
    return Promise.resolve()
  }
}
