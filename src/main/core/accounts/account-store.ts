/**
 * Each account's own file: its settings record (the newest one) and its sealed secrets, written as
 * one unit, so a refresh writes one small file whatever the number of accounts. Changes made in one
 * tick are coalesced into one write; writes to one account reach the disk in order.
 */
import { z } from 'zod'
import { PROVIDER_KINDS } from '../../../shared/contract.ts'
import type { AccountFiles, Logger } from '../ports.ts'
import type { AccountRecord } from '../settings/schema.ts'

export interface StoredAccount {
  /** The newest settings record of this account. */
  account: AccountRecord | null
  /** The account's secrets sealed with the vault key (see sealed.ts), or null. */
  sealed: string | null
}

const nullableString = z.string().nullable()
const attentionSchema = z.object({
  reason: z.enum(['refresh-rejected', 'revoked', 'network-down', 'keychain-unavailable', 'expired', 'rate-limited']),
  message: z.string(),
  since: z.string(),
  retryAt: z.string().optional(),
})
const accountSchema = z.object({
  id: z.string().min(1),
  label: z.string(),
  provider: z.enum(PROVIDER_KINDS),
  config: z.record(z.string(), z.string()),
  identity: z.object({ subject: z.string(), name: nullableString, email: nullableString }),
  profile: z.record(z.string(), z.string()),
  createdAt: z.string(),
  lastRefreshAt: nullableString,
  expiresAt: nullableString,
  attention: attentionSchema.nullable(),
  signedOut: z.boolean(),
  refreshStartedAt: nullableString.optional(),
  credentials: z
    .array(z.object({ kind: z.string(), label: z.string(), status: z.enum(['ok', 'needs-attention', 'unknown']), expiresAt: z.string().optional(), message: z.string().optional() }))
    .optional(),
  cliAccess: z.boolean().optional(),
})
const fileSchema = z.object({ v: z.literal(1), account: accountSchema.nullable(), sealed: nullableString })

export class AccountStore {
  readonly #files: AccountFiles
  readonly #logger: Logger
  readonly #entries = new Map<string, StoredAccount>()
  readonly #damaged = new Map<string, string>()
  readonly #queues = new Map<string, Promise<void>>()
  readonly #versions = new Map<string, number>()
  readonly #written = new Map<string, number>()
  /** The newest version whose write must be flushed to the disk. */
  readonly #durableWanted = new Map<string, number>()

  constructor(files: AccountFiles, logger: Logger) {
    this.#files = files
    this.#logger = logger
    for (const [id, text] of files.readAll()) {
      const entry = parse(id, text)
      if (typeof entry === 'string') this.#damaged.set(id, entry)
      else this.#entries.set(id, entry)
    }
    if (this.#damaged.size > 0) logger.warn('accounts.files-damaged', { ids: [...this.#damaged.keys()] })
  }

  get dir(): string {
    return this.#files.dir
  }

  get(id: string): StoredAccount | undefined {
    return this.#entries.get(id)
  }

  ids(): string[] {
    return [...this.#entries.keys()]
  }

  /** Account files that could not be read (cut short, changed by hand), id → why. */
  damaged(): ReadonlyMap<string, string> {
    return this.#damaged
  }

  /**
   * Changes the account's entry in memory now and resolves once a write holding the change is on
   * disk. `durable: false`: written atomically but not flushed (see AccountFiles).
   */
  set(id: string, patch: Partial<StoredAccount>, options: { durable?: boolean } = {}): Promise<void> {
    const current = this.#entries.get(id) ?? { account: null, sealed: null }
    this.#entries.set(id, { ...current, ...patch })
    this.#damaged.delete(id)
    const durable = options.durable ?? true
    return this.#enqueue(id, durable, async (flush) => {
      const entry = this.#entries.get(id)
      if (entry) await this.#files.write(id, JSON.stringify({ v: 1, account: entry.account, sealed: entry.sealed }), { durable: flush })
      else await this.#files.remove(id)
    })
  }

  /**
   * Accounts found elsewhere (the records of a settings file that had to be moved aside) that have
   * no file of their own: each one that is a valid account gets a file, so it is offered back with
   * the other accounts missing from the settings. Returns their ids.
   */
  keepIfMissing(candidates: unknown[]): string[] {
    const kept: string[] = []
    for (const candidate of candidates) {
      // Files of versions before 1.0.0 lack these three; the settings migration fills them in the same way.
      const filled = typeof candidate === 'object' && candidate !== null ? { profile: {}, attention: null, signedOut: false, ...candidate } : candidate
      const parsed = accountSchema.safeParse(filled)
      if (!parsed.success || this.#entries.get(parsed.data.id)?.account) continue
      const account = withoutUndefined(parsed.data)
      void this.set(account.id, { account }).catch(() => undefined)
      kept.push(account.id)
    }
    if (kept.length > 0) this.#logger.info('accounts.kept-from-moved-settings', { count: kept.length })
    return kept
  }

  /** Forgets the account and deletes its file. */
  remove(id: string): Promise<void> {
    this.#entries.delete(id)
    this.#damaged.delete(id)
    return this.#enqueue(id, true, () => this.#files.remove(id))
  }

  /** Resolves when every write already asked for has finished. */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.#queues.values()])
  }

  /**
   * Runs after the writes before it; a write finds the newest entry, so one that an earlier write
   * already covered is skipped.
   */
  #enqueue(id: string, durable: boolean, write: (flush: boolean) => Promise<void>): Promise<void> {
    const wanted = (this.#versions.get(id) ?? 0) + 1
    this.#versions.set(id, wanted)
    if (durable) this.#durableWanted.set(id, wanted)
    const run = async (): Promise<void> => {
      if ((this.#written.get(id) ?? 0) >= wanted) return
      const version = this.#versions.get(id) ?? wanted
      // This write holds every change up to `version`: it is flushed if any of them asked to be.
      const flush = (this.#durableWanted.get(id) ?? 0) > (this.#written.get(id) ?? 0)
      try {
        await write(flush)
      } catch (error) {
        this.#logger.error('accounts.write-failed', { accountId: id, error: error instanceof Error ? error.message : String(error) })
        throw error
      }
      this.#written.set(id, Math.max(this.#written.get(id) ?? 0, version))
    }
    const previous = this.#queues.get(id) ?? Promise.resolve()
    const next = previous.then(run, run)
    this.#queues.set(id, next)
    void next.then(
      () => this.#settled(id, next),
      () => this.#settled(id, next),
    )
    return next
  }

  #settled(id: string, done: Promise<void>): void {
    if (this.#queues.get(id) !== done) return
    this.#queues.delete(id)
    if (!this.#entries.has(id)) {
      this.#versions.delete(id)
      this.#written.delete(id)
      this.#durableWanted.delete(id)
    }
  }
}

function parse(id: string, text: string): StoredAccount | string {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return 'The file is not valid JSON (it may have been cut short or edited by hand).'
  }
  const parsed = fileSchema.safeParse(json)
  if (!parsed.success) return 'The file does not have the shape this version of Latchkey expects.'
  const { account, sealed } = parsed.data
  if (account && account.id !== id) return 'The file belongs to another account.'
  return { account: account && withoutUndefined(account), sealed }
}

/** exactOptionalPropertyTypes: an absent field stays absent. */
function withoutUndefined(account: z.infer<typeof accountSchema>): AccountRecord {
  const { refreshStartedAt, cliAccess, ...rest } = account
  return { ...rest, ...(refreshStartedAt === undefined ? {} : { refreshStartedAt }), ...(cliAccess === undefined ? {} : { cliAccess }) }
}
