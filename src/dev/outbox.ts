/** The emails an emulator would send, kept for tests and the demo (which prints them as they go out). */

export class Outbox<M extends { to: string; kind: string }> {
  readonly #messages: M[] = []
  readonly #onMail: ((message: M) => void) | undefined

  constructor(onMail?: (message: M) => void) {
    this.#onMail = onMail
  }

  send(message: M): void {
    this.#messages.push(message)
    this.#onMail?.(message)
  }

  messages(): M[] {
    return [...this.#messages]
  }

  last(to: string, kind?: M['kind']): M | undefined {
    return this.#messages.findLast((message) => message.to === to && (kind === undefined || message.kind === kind))
  }

  clear(): void {
    this.#messages.length = 0
  }
}
