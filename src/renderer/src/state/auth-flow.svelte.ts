/**
 * One sign-in attempt as the screens see it: start it, wait for the browser step (with the
 * progress messages for this attempt), cancel it. Used by "Add account" and "Sign in again".
 */
import type {
  AccountSummary,
  Api,
  AppErrorDto,
  AuthProgress,
  AuthStep,
  Result,
} from '../../../shared/contract.ts'

export type BrowserStep = Extract<AuthStep, { kind: 'browser' }>
export type FlowPhase = 'idle' | 'starting' | 'waiting'

const CANCELLED: AppErrorDto = { code: 'AUTH_CANCELLED', message: 'Sign-in cancelled.' }

export class AuthFlow {
  readonly #api: Api
  readonly #progress: () => AuthProgress[]
  #cancelled: ((result: Result<AuthStep>) => void) | null = null

  phase = $state<FlowPhase>('idle')
  step = $state<BrowserStep | null>(null)
  cancelling = $state(false)
  /** A failed cancel (the attempt goes on). */
  cancelError = $state<AppErrorDto | null>(null)

  readonly busy = $derived(this.phase !== 'idle')
  /** The progress messages that belong to the current attempt, oldest first. */
  get messages(): AuthProgress[] {
    const attemptId = this.step?.attemptId
    return attemptId ? this.#progress().filter((entry) => entry.attemptId === attemptId) : []
  }

  constructor(api: Api, progress: () => AuthProgress[]) {
    this.#api = api
    this.#progress = progress
  }

  /**
   * Runs an attempt to its end: the new or renewed account, or the error (AUTH_CANCELLED when
   * the person cancelled). Never throws.
   */
  async run(start: () => Promise<Result<AuthStep>>): Promise<Result<AccountSummary>> {
    this.phase = 'starting'
    this.cancelError = null
    try {
      let result = await start()
      for (;;) {
        if (!result.ok) return result
        const step = result.value
        if (step.kind === 'done') return { ok: true, value: step.account }
        this.step = step
        this.phase = 'waiting'
        const cancelled = new Promise<Result<AuthStep>>((resolve) => (this.#cancelled = resolve))
        result = await Promise.race([this.#api.authComplete({ attemptId: step.attemptId }), cancelled])
      }
    } finally {
      this.phase = 'idle'
      this.step = null
      this.cancelling = false
      this.#cancelled = null
    }
  }

  /** Cancels the attempt that is waiting for the browser; `run` then ends with AUTH_CANCELLED. */
  async cancel(): Promise<void> {
    const step = this.step
    if (!step || this.cancelling) return
    this.cancelling = true
    this.cancelError = null
    const result = await this.#api.authCancel({ attemptId: step.attemptId })
    this.cancelling = false
    if (!result.ok) {
      this.cancelError = result.error
      return
    }
    if (this.step === step) this.#cancelled?.({ ok: false, error: CANCELLED })
  }
}
