/** The emails the emulator "sends" (PocketBase's mails package), kept for tests and the demo. */
import type { OutboxMessage } from './types.ts'

export class Outbox {
  readonly #messages: OutboxMessage[] = []
  readonly #onMail: ((message: OutboxMessage) => void) | undefined

  constructor(onMail?: (message: OutboxMessage) => void) {
    this.#onMail = onMail
  }

  send(message: OutboxMessage): void {
    this.#messages.push(message)
    this.#onMail?.(message)
  }

  messages(): OutboxMessage[] {
    return [...this.#messages]
  }

  last(to: string, kind: OutboxMessage['kind']): OutboxMessage | undefined {
    return this.#messages.findLast((message) => message.to === to && message.kind === kind)
  }

  clear(): void {
    this.#messages.length = 0
  }
}
