/**
 * Asking the person, in the open window, whether a command may use an account: one question per
 * account at a time (fifty parallel calls share it), answered Once, Always or Deny, or refused
 * when nobody answers in time.
 */
import type { Clock } from '../ports.ts'

export type ConsentAnswer = 'once' | 'always' | 'deny'

export interface ConsentPrompt {
  id: string
  accountId: string
  /** The account as the window names it (its email, else its label). */
  account: string
  /** The calling command's name (`curl`) and its whole command line, as the caller reported them. */
  command: string
  commandLine: string
}

interface Pending {
  prompt: ConsentPrompt
  answer: Promise<ConsentAnswer>
  settle: (answer: ConsentAnswer) => void
}

export const CONSENT_TIMEOUT_MS = 120_000

export class ConsentPrompts {
  readonly #pending = new Map<string, Pending>()
  readonly #clock: Clock
  readonly #show: (prompt: ConsentPrompt | null, all: ConsentPrompt[]) => void
  readonly #newId: () => string

  constructor(clock: Clock, show: (prompt: ConsentPrompt | null, all: ConsentPrompt[]) => void, newId: () => string = () => crypto.randomUUID()) {
    this.#clock = clock
    this.#show = show
    this.#newId = newId
  }

  /** Asks (or joins the question already open for this account); 'deny' when nobody answers in time. */
  ask(question: Omit<ConsentPrompt, 'id'>): Promise<ConsentAnswer> {
    const open = [...this.#pending.values()].find((p) => p.prompt.accountId === question.accountId)
    if (open) return open.answer
    const prompt: ConsentPrompt = { ...question, id: this.#newId() }
    let settle: (answer: ConsentAnswer) => void = () => undefined
    const answer = new Promise<ConsentAnswer>((resolve) => (settle = resolve))
    const timer = this.#clock.setTimeout(() => this.answer(prompt.id, 'deny'), CONSENT_TIMEOUT_MS)
    this.#pending.set(prompt.id, {
      prompt,
      answer,
      settle: (value) => {
        this.#clock.clearTimeout(timer)
        settle(value)
      },
    })
    this.#show(prompt, this.open())
    return answer
  }

  /** The person answered (or the question timed out). False when there is no such question any more. */
  answer(id: string, answer: ConsentAnswer): boolean {
    const pending = this.#pending.get(id)
    if (!pending) return false
    this.#pending.delete(id)
    pending.settle(answer)
    this.#show(null, this.open())
    return true
  }

  open(): ConsentPrompt[] {
    return [...this.#pending.values()].map((p) => p.prompt)
  }

  /** Every open question is refused (the window closed, the app stops). */
  denyAll(): void {
    for (const id of [...this.#pending.keys()]) this.answer(id, 'deny')
  }
}
