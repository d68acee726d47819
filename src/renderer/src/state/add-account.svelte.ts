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

  constructor(api: Api, progress: () => AuthProgress[]) {
    this.#api = api
    this.flow = new AuthFlow(api, progress)
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
    const only = result.value.length === 1 ? result.value[0] : undefined
    if (only) this.choose(only)
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
