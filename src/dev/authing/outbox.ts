/**
 * The codes the emulator "sends" by SMS and email, with Authing's rules: a code lives `codeSeconds`
 * (60 s for SMS per the SDK docs), a new one for the same address only after `resendSeconds`, and a
 * code is used up by a successful check.
 */
import { randomInt } from 'node:crypto'
import { E } from './errors.ts'
import type { OutboxMessage } from './types.ts'

interface Live {
  code: string
  expiresAt: number
}

export class Outbox {
  readonly #messages: OutboxMessage[] = []
  readonly #live = new Map<string, Live>()
  /** The resend interval (per address and purpose) counts from the last send, whether or not that code was used. */
  readonly #lastSent = new Map<string, number>()
  readonly #now: () => number
  readonly #codeMs: number
  readonly #resendMs: number
  readonly #onMessage: ((message: OutboxMessage) => void) | undefined

  constructor(options: { now: () => number; codeSeconds: number; resendSeconds: number; onMessage?: (message: OutboxMessage) => void }) {
    this.#now = options.now
    this.#codeMs = options.codeSeconds * 1000
    this.#resendMs = options.resendSeconds * 1000
    this.#onMessage = options.onMessage
  }

  /** Sends a fresh code, or throws "too frequent" inside the resend interval. */
  send(channel: OutboxMessage['channel'], to: string, scene: string): void {
    const key = `${channel}:${to}`
    const now = this.#now()
    const sendKey = `${key}:${scene}`
    const previous = this.#lastSent.get(sendKey)
    if (previous !== undefined && now - previous < this.#resendMs) {
      throw E.tooFrequent(Math.ceil((previous + this.#resendMs - now) / 1000))
    }
    this.#lastSent.set(sendKey, now)
    const code = String(randomInt(0, 10_000)).padStart(4, '0')
    this.#live.set(key, { code, expiresAt: now + this.#codeMs })
    const message: OutboxMessage = { channel, to, scene, code, at: now }
    this.#messages.push(message)
    this.#onMessage?.(message)
  }

  /** Checks (and uses up) a code: 2001 wrong, 2300 expired. */
  check(channel: OutboxMessage['channel'], to: string, code: string): void {
    const key = `${channel}:${to}`
    const live = this.#live.get(key)
    if (live === undefined || live.code !== code.trim()) throw E.wrongCode()
    if (this.#now() > live.expiresAt) throw E.codeExpired()
    this.#live.delete(key)
  }


  messages(): OutboxMessage[] {
    return [...this.#messages]
  }

  last(to: string): OutboxMessage | undefined {
    return this.#messages.findLast((message) => message.to === to)
  }

  clear(): void {
    this.#messages.length = 0
  }
}
