/**
 * The "Add account" form: the backends to choose from, what the person typed (kept through every
 * error), field-level validation errors, and the sign-in attempt it starts.
 */
import type {
  AccountSummary,
  Api,
  AppErrorDto,
  AuthProgress,
  BackendDescriptor,
  BackendPreset,
  ProviderKind,
} from '../../../shared/contract.ts'
import { hostOf } from '../format.ts'
import { AuthFlow } from './auth-flow.svelte.ts'

/** The key of the optional account-name field, as the `auth:begin` argument calls it. */
export const LABEL_FIELD = 'label'

/** Maps an error's `field` ("config.issuer", "issuer", "label") to the form field it is about. */
export function formFieldOf(field: string | undefined, descriptor: BackendDescriptor | null): string | null {
  if (!field) return null
  const key = field.startsWith('config.') ? field.slice('config.'.length) : field
  if (key === LABEL_FIELD) return key
  return descriptor?.fields.some((entry) => entry.key === key) ? key : null
}

/** Errors that say the server at the typed address could not be reached or is not what was chosen. */
const ADDRESS_ERRORS: ReadonlySet<AppErrorDto['code']> = new Set(['DISCOVERY_FAILED', 'NETWORK', 'VALIDATION'])

/** The address field (the first URL field) an error without a field of its own is about, or null. */
export function addressFieldOf(error: AppErrorDto | null, descriptor: BackendDescriptor | null): string | null {
  if (!error || !ADDRESS_ERRORS.has(error.code)) return null
  return descriptor?.fields.find((field) => field.kind === 'url')?.key ?? null
}

/** What was typed on "Add account", kept while the person is on another screen (never a secret field). */
export interface AddDraft {
  kind: ProviderKind | null
  values: Record<string, Record<string, string>>
  label: string
}

export class AddAccountForm {
  backends = $state<BackendDescriptor[]>([])
  loading = $state(true)
  loadError = $state<AppErrorDto | null>(null)
  kind = $state<ProviderKind | null>(null)
  /** Typed values per backend kind, so switching kinds loses nothing. */
  values = $state<Record<string, Record<string, string>>>({})
  label = $state('')
  fieldErrors = $state<Record<string, string>>({})
  error = $state<AppErrorDto | null>(null)
  readonly flow: AuthFlow

  readonly descriptor = $derived(this.backends.find((backend) => backend.kind === this.kind) ?? null)

  readonly #api: Api

  constructor(api: Api, progress: () => AuthProgress[], draft: AddDraft | null = null) {
    this.#api = api
    this.flow = new AuthFlow(api, progress)
    if (draft) {
      this.values = structuredClone(draft.values)
      this.label = draft.label
      this.kind = draft.kind
    }
  }

  /** What was typed, without secrets, to fill the form in again when the person comes back. */
  draft(): AddDraft {
    const values: AddDraft['values'] = {}
    for (const [kind, typed] of Object.entries($state.snapshot(this.values))) {
      const secret = this.backends.find((backend) => backend.kind === kind)?.fields.filter((f) => f.kind === 'secret').map((f) => f.key) ?? []
      values[kind] = Object.fromEntries(Object.entries(typed).filter(([key]) => !secret.includes(key)))
    }
    return { kind: this.kind, values, label: this.label }
  }

  async load(): Promise<void> {
    this.loading = true
    this.loadError = null
    const result = await this.#api.backendsList()
    this.loading = false
    if (!result.ok) {
      this.loadError = result.error
      return
    }
    this.backends = result.value
    const kept = result.value.find((backend) => backend.kind === this.kind)
    const only = result.value.length === 1 ? result.value[0] : undefined
    if (kept ?? only) this.choose(kept ?? (only as BackendDescriptor))
  }

  /**
   * Picks a backend and fills what was not typed yet: from its first preset (the demo offers one),
   * else from the field defaults.
   */
  choose(descriptor: BackendDescriptor): void {
    const kind = descriptor.kind
    const preset = descriptor.presets[0]?.config ?? {}
    const current = this.values[kind] ?? {}
    for (const field of descriptor.fields) current[field.key] ??= preset[field.key] ?? field.defaultValue ?? ''
    this.values[kind] = current
    this.kind = kind
    this.fieldErrors = {}
    this.error = null
  }

  /** Fills the form with a ready-made configuration (fields it does not name keep their value). */
  applyPreset(preset: BackendPreset): void {
    const current = this.current
    for (const field of this.descriptor?.fields ?? []) {
      const value = preset.config[field.key]
      if (value !== undefined) current[field.key] = value
    }
    this.fieldErrors = {}
  }

  /** The values of the chosen backend, for binding inputs. */
  get current(): Record<string, string> {
    return (this.kind && this.values[this.kind]) || {}
  }

  /** Checks required fields here, then starts the sign-in. Resolves with the new account, or null. */
  async submit(): Promise<AccountSummary | null> {
    const descriptor = this.descriptor
    if (!descriptor || this.flow.busy) return null
    this.error = null
    this.fieldErrors = {}
    const values = this.current
    const config: Record<string, string> = {}
    for (const field of descriptor.fields) {
      const value = field.kind === 'secret' ? (values[field.key] ?? '') : (values[field.key] ?? '').trim()
      if (value !== '') config[field.key] = value
      else if (field.required) this.fieldErrors[field.key] = `${field.label} is required.`
    }
    if (Object.keys(this.fieldErrors).length > 0) return null
    const label = this.label.trim()
    const args = { kind: descriptor.kind, config, ...(label ? { label } : {}) }
    const end = await this.flow.run(() => this.#api.authBegin(args), destinationOf(descriptor, config))
    if (end.kind === 'done') return end.account
    if (end.kind === 'failed') this.showError(end.error, descriptor)
    return null
  }

  showError(error: AppErrorDto, descriptor: BackendDescriptor | null): void {
    const field = error.code === 'VALIDATION' ? formFieldOf(error.field, descriptor) : null
    if (field) this.fieldErrors = { [field]: error.message }
    else this.error = error
  }
}

/** Where a sign-in goes, for "Contacting …": the host of the first address filled in, else the backend's title. */
export function destinationOf(descriptor: BackendDescriptor, config: Record<string, string>): string {
  const address = descriptor.fields.find((field) => field.kind === 'url' && config[field.key])
  const value = address ? config[address.key] : undefined
  return value ? hostOf(value) : descriptor.title
}
