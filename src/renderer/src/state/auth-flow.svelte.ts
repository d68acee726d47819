/**
 * One sign-in attempt as the screens see it: start it, wait for the browser step (with the
 * progress messages for this attempt), cancel it at any point. Used by "Add account" and "Sign in again".
 */
import type { AccountSummary, Api, AppErrorDto, AuthProgress, AuthStep, Result } from '../../../shared/contract.ts'

export type BrowserStep = Extract<AuthStep, { kind: 'browser' }>
export type FlowPhase = 'idle' | 'starting' | 'waiting'

/** How an attempt ended. */
export type FlowEnd =
  | { kind: 'done'; account: AccountSummary }
  | { kind: 'failed'; error: AppErrorDto }
  | { kind: 'cancelled' }

/** What the screens say after a cancelled attempt. */
const CANCELLED_NOTE = 'Sign-in cancelled. Nothing was saved.'

const STOPPED = Symbol('stopped')

/** One run of `AuthFlow.run`; `stop` ends it early. */
class Attempt {
  stop: () => void = () => {}
  readonly stopped = new Promise<typeof STOPPED>((resolve) => (this.stop = () => resolve(STOPPED)))
}

export class AuthFlow {
  readonly #api: Api
  readonly #progress: () => AuthProgress[]
  #attempt: Attempt | null = null

  phase = $state<FlowPhase>('idle')
  /** Where the sign-in goes (an issuer host), shown while it starts. */
  host = $state('')
  step = $state<BrowserStep | null>(null)
  cancelling = $state(false)
  /** A failed cancel (the attempt goes on). */
  cancelError = $state<AppErrorDto | null>(null)
  /** A calm note about the last attempt (that it was cancelled); cleared when the next one starts. */
  note = $state<string | null>(null)

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

  /** Runs an attempt to its end. Never throws; `host` names where it goes until the browser step says. */
  async run(start: () => Promise<Result<AuthStep>>, host: string): Promise<FlowEnd> {
    if (this.#attempt) return { kind: 'failed', error: { code: 'VALIDATION', message: 'A sign-in is already running.' } }
    const attempt = new Attempt()
    this.#attempt = attempt
    this.phase = 'starting'
    this.host = host
    this.cancelError = null
    this.note = null
    try {
      let pending = start()
      for (;;) {
        const result = await Promise.race([pending, attempt.stopped])
        if (result === STOPPED) {
          if (!this.step) this.#cancelOnceStarted(pending)
          return this.#cancelled()
        }
        if (!result.ok) return result.error.code === 'AUTH_CANCELLED' ? this.#cancelled() : { kind: 'failed', error: result.error }
        const step = result.value
        if (step.kind === 'done') return { kind: 'done', account: step.account }
        this.step = step
        this.phase = 'waiting'
        pending = this.#api.authComplete({ attemptId: step.attemptId })
      }
    } finally {
      this.#attempt = null
      this.phase = 'idle'
      this.step = null
      this.cancelling = false
    }
  }

  /**
   * Cancels the running attempt. While it is still starting, `run` ends at once and the attempt is
   * cancelled as soon as the main process names it; while the browser is open, after `auth:cancel`.
   */
  async cancel(): Promise<void> {
    const attempt = this.#attempt
    const step = this.step
    if (!attempt || this.cancelling) return
    if (!step) {
      attempt.stop()
      return
    }
    this.cancelling = true
    this.cancelError = null
    const result = await this.#api.authCancel({ attemptId: step.attemptId })
    if (this.#attempt !== attempt) return
    this.cancelling = false
    if (result.ok) attempt.stop()
    else this.cancelError = result.error
  }

  #cancelled(): FlowEnd {
    this.note = CANCELLED_NOTE
    return { kind: 'cancelled' }
  }

  /** The attempt was cancelled before `start` answered: cancel the browser step when it arrives. */
  #cancelOnceStarted(pending: Promise<Result<AuthStep>>): void {
    void pending.then((result) => {
      if (result.ok && result.value.kind === 'browser') void this.#api.authCancel({ attemptId: result.value.attemptId })
    })
  }
}
