/**
 * One sign-in attempt as the screens see it: start it, answer its form steps (password, code,
 * second factor), wait for its browser step (with the progress messages for this attempt), cancel
 * it at any point. Used by "Add account" and "Sign in again".
 */
import type {
  AccountSummary,
  Api,
  AppErrorDto,
  AuthProgress,
  AuthStep,
  ErrorCode,
  FormValues,
  Result,
} from '../../../shared/contract.ts'

export type BrowserStep = Extract<AuthStep, { kind: 'browser' }>
export type FormStep = Extract<AuthStep, { kind: 'form' }>
export type FlowPhase = 'idle' | 'starting' | 'waiting'

/** How an attempt ended. */
export type FlowEnd =
  | { kind: 'done'; account: AccountSummary }
  | { kind: 'failed'; error: AppErrorDto }
  | { kind: 'cancelled' }

/** What the screens say after a cancelled attempt. */
const CANCELLED_NOTE = 'Sign-in cancelled. Nothing was saved.'

const STOPPED = Symbol('stopped')

/** Answers to a form step that end the attempt; any other error leaves it at the same form. */
const ENDS_ATTEMPT: ReadonlySet<ErrorCode> = new Set(['AUTH_CANCELLED', 'NOT_FOUND'])

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
  step = $state<BrowserStep | FormStep | null>(null)
  /** True while an answer to the form step is on its way. */
  answering = $state(false)
  /** Why the last answer to the form step was refused; the same form stays to be corrected. */
  formError = $state<AppErrorDto | null>(null)
  cancelling = $state(false)
  /** True while "Open again" is on its way. */
  reopening = $state(false)
  /** A failed cancel (the attempt goes on). */
  cancelError = $state<AppErrorDto | null>(null)
  /** A calm note about the last attempt (that it was cancelled); cleared when the next one starts. */
  note = $state<string | null>(null)

  readonly busy = $derived(this.phase !== 'idle')
  readonly browserStep = $derived(this.step?.kind === 'browser' ? this.step : null)
  readonly formStep = $derived(this.step?.kind === 'form' ? this.step : null)
  /** Settles the wait at the current form step with the answer that moves the attempt on (or ends it). */
  #answered: ((result: Result<AuthStep>) => void) | null = null
  /** Progress that a refused answer made untrue ("Signed in; finishing up…" before the refusal). */
  #withdrawn = new WeakSet<AuthProgress>()
  /** The progress messages that belong to the current attempt, oldest first. */
  get messages(): AuthProgress[] {
    const attemptId = this.step?.attemptId
    return attemptId ? this.#progress().filter((entry) => entry.attemptId === attemptId && !this.#withdrawn.has(entry)) : []
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
        this.answering = false
        this.formError = null
        this.phase = 'waiting'
        pending =
          step.kind === 'browser'
            ? this.#api.authComplete({ attemptId: step.attemptId })
            : new Promise<Result<AuthStep>>((resolve) => (this.#answered = resolve))
      }
    } finally {
      this.#attempt = null
      this.#answered = null
      this.phase = 'idle'
      this.step = null
      this.answering = false
      this.formError = null
      this.cancelling = false
    }
  }

  /**
   * Presses `action` on the current form step. Resolves true when the attempt moved on (to the
   * next step, or done); a refusal stays on the same form as `formError`, except AUTH_CANCELLED and
   * NOT_FOUND, which end the attempt.
   */
  async answer(action: string, values: FormValues): Promise<boolean> {
    const step = this.formStep
    const answered = this.#answered
    if (!step || !answered || this.answering || this.cancelling) return false
    this.answering = true
    this.formError = null
    const result = await this.#api.authContinue({ attemptId: step.attemptId, action, values })
    // Cancelled (or ended) while the answer was on its way: nothing here is current any more.
    if (this.#answered !== answered) return false
    if (result.ok || ENDS_ATTEMPT.has(result.error.code)) {
      // Still answering until `run` shows what comes next.
      this.#answered = null
      answered(result)
      return result.ok
    }
    this.answering = false
    this.formError = result.error
    for (const entry of this.messages) if (entry.stage === 'exchanging' || entry.stage === 'done') this.#withdrawn.add(entry)
    return false
  }

  /**
   * Cancels the running attempt. While it is still starting, `run` ends at once and the attempt is
   * cancelled as soon as the main process names it; at a browser or form step, after `auth:cancel`.
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

  /** Opens the browser step's page again; the step then says whether the browser opened this time. */
  async openAgain(): Promise<void> {
    const step = this.browserStep
    if (!step || this.reopening) return
    this.reopening = true
    const result = await this.#api.authOpenAgain({ attemptId: step.attemptId })
    this.reopening = false
    // Only while the same browser step is still the current one.
    if (this.step !== step) return
    if (result.ok && result.value.kind === 'browser') this.step = result.value
    else if (!result.ok) this.step = { ...step, openFailure: result.error.message }
  }

  #cancelled(): FlowEnd {
    this.note = CANCELLED_NOTE
    return { kind: 'cancelled' }
  }

  /** The attempt was cancelled before `start` answered: cancel its first step when it arrives. */
  #cancelOnceStarted(pending: Promise<Result<AuthStep>>): void {
    void pending.then((result) => {
      if (result.ok && result.value.kind !== 'done') void this.#api.authCancel({ attemptId: result.value.attemptId })
    })
  }
}
