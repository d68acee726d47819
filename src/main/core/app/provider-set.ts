import type { BackendDescriptor, BackendPreset, ProviderKind } from '../../../shared/contract.ts'
import { AppError } from '../errors.ts'
import type { BackendConfig, Provider } from '../provider.ts'
import type { SessionFacts } from '../sessions/session.ts'

/** The backends this build knows, by kind. */
export class ProviderSet {
  readonly #byKind: Map<ProviderKind, Provider>

  readonly #presets: Partial<Record<ProviderKind, BackendPreset[]>>

  constructor(providers: readonly Provider[], presets: Partial<Record<ProviderKind, BackendPreset[]>> = {}) {
    this.#byKind = new Map(providers.map((p) => [p.kind, p]))
    this.#presets = presets
  }

  get(kind: ProviderKind): Provider {
    const provider = this.#byKind.get(kind)
    if (!provider) throw new AppError('UNSUPPORTED', `This build of Latchkey has no "${kind}" backend.`)
    return provider
  }

  descriptors(): BackendDescriptor[] {
    return [...this.#byKind.values()].map((p) => ({ ...p.descriptor, presets: this.#presets[p.kind] ?? [] }))
  }

  /** Backends whose sessions renew without a refresh token (PocketBase: a valid token buys a new one). */
  refreshesWithoutRefreshToken(kind: ProviderKind): boolean {
    return this.#byKind.get(kind)?.refreshesWithoutRefreshToken === true
  }

  /** Backends that can check a renewing session's validity without renewing it. */
  checksSessions(kind: ProviderKind, session: SessionFacts): boolean {
    const provider = this.#byKind.get(kind)
    return typeof provider?.checkSession === 'function' && (provider.canCheckSession?.(session) ?? true)
  }

  /** Splits a validated configuration into what goes to settings and what goes to the keychain. */
  split(kind: ProviderKind, config: BackendConfig, alsoSecret: readonly string[] = []): { open: Record<string, string>; secret: Record<string, string> } {
    const secretKeys = new Set([...this.get(kind).descriptor.fields.filter((f) => f.kind === 'secret').map((f) => f.key), ...alsoSecret])
    const open: Record<string, string> = {}
    const secret: Record<string, string> = {}
    for (const [key, value] of Object.entries(config)) {
      if (value === '') continue
      if (secretKeys.has(key)) secret[key] = value
      else open[key] = value
    }
    return { open, secret }
  }
}
