/**
 * The accounts and which one is active, kept in the settings file (never a secret). Reads come from
 * memory; every change is written through the settings store before it takes effect.
 */
import { AppError } from '../errors.ts'
import type { SettingsStore } from '../ports.ts'
import type { AccountRecord, SettingsData } from '../settings/schema.ts'

export type NewAccount = Omit<AccountRecord, 'id' | 'createdAt'>
export type AccountPatch = Partial<NewAccount>

export const LABEL_MAX_LENGTH = 80

export class AccountRegistry {
  readonly #store: SettingsStore<SettingsData>
  readonly #newId: () => string
  readonly #now: () => number
  #data: SettingsData

  constructor(store: SettingsStore<SettingsData>, newId: () => string = () => crypto.randomUUID(), now: () => number = Date.now) {
    this.#store = store
    this.#newId = newId
    this.#now = now
    this.#data = store.read()
  }

  list(): AccountRecord[] {
    return this.#data.accounts.map((account) => structuredClone(account))
  }

  get(id: string): AccountRecord | undefined {
    const found = this.#find(id)
    return found ? structuredClone(found) : undefined
  }

  require(id: string): AccountRecord {
    const found = this.get(id)
    if (!found) throw new AppError('NOT_FOUND', 'That account no longer exists.')
    return found
  }

  /** Adds an account; the first one becomes active. */
  add(input: NewAccount): AccountRecord {
    const record: AccountRecord = {
      ...structuredClone(input),
      label: validLabel(input.label, { clamp: true }),
      id: this.#newId(),
      createdAt: new Date(this.#now()).toISOString(),
    }
    const accounts = [...this.#data.accounts, record]
    this.#commit({ accounts, activeAccountId: this.#data.activeAccountId ?? record.id })
    return structuredClone(record)
  }

  update(id: string, patch: AccountPatch): AccountRecord {
    const current = this.require(id)
    const defined = Object.fromEntries(Object.entries(patch).filter(([, value]: [string, unknown]) => value !== undefined))
    const next: AccountRecord = { ...current, ...structuredClone(defined), id: current.id, createdAt: current.createdAt }
    if (patch.label !== undefined) next.label = validLabel(patch.label)
    this.#commit({ ...this.#data, accounts: this.#data.accounts.map((a) => (a.id === id ? next : a)) })
    return structuredClone(next)
  }

  rename(id: string, label: string): AccountRecord {
    return this.update(id, { label })
  }

  /** Removes an account; when it was active, the one after it (or else before it) becomes active. */
  remove(id: string): void {
    this.require(id)
    const index = this.#data.accounts.findIndex((a) => a.id === id)
    const accounts = this.#data.accounts.filter((a) => a.id !== id)
    let activeAccountId = this.#data.activeAccountId
    if (activeAccountId === id) activeAccountId = (accounts[index] ?? accounts[index - 1])?.id ?? null
    this.#commit({ accounts, activeAccountId })
  }

  setActive(id: string): void {
    this.require(id)
    this.#commit({ ...this.#data, activeAccountId: id })
  }

  /** The active account, or null when there is none (a stale id from the file counts as none). */
  activeId(): string | null {
    const id = this.#data.activeAccountId
    if (id !== null && this.#find(id)) return id
    return this.#data.accounts[0]?.id ?? null
  }

  #find(id: string): AccountRecord | undefined {
    return this.#data.accounts.find((a) => a.id === id)
  }

  /** Written first, so a failed write leaves memory as it was. */
  #commit(next: SettingsData): void {
    this.#store.write(next)
    this.#data = next
  }
}

const graphemes = new Intl.Segmenter()

/**
 * Trimmed, 1 to 80 characters as a person counts them. A new account's label (often made from the
 * profile) is cut to length rather than refused, so a sign-in never fails over its name.
 */
function validLabel(label: string, options: { clamp?: boolean } = {}): string {
  const characters = [...graphemes.segment(label.trim())].map((part) => part.segment)
  const kept = options.clamp ? characters.slice(0, LABEL_MAX_LENGTH) : characters
  if (kept.length < 1 || kept.length > LABEL_MAX_LENGTH) {
    throw new AppError('VALIDATION', `A name needs 1 to ${LABEL_MAX_LENGTH} characters.`, { field: 'label' })
  }
  return kept.join('').trimEnd()
}
