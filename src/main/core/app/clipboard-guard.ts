/**
 * Copies a token to the OS clipboard and takes it off again after a minute if it is still there,
 * as password managers do. Whatever the person copied since is left alone.
 */
import type { Clipboard, Clock, Logger, TimerHandle } from '../ports.ts'

export const CLIPBOARD_CLEAR_MS = 60_000

export class ClipboardGuard {
  readonly #clipboard: Clipboard
  readonly #clock: Clock
  readonly #logger: Logger
  #timer: TimerHandle | null = null

  constructor(clipboard: Clipboard, clock: Clock, logger: Logger) {
    this.#clipboard = clipboard
    this.#clock = clock
    this.#logger = logger
  }

  async copy(secret: string): Promise<void> {
    await this.#clipboard.writeText(secret)
    this.dispose()
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = null
      void this.#clearIf(secret)
    }, CLIPBOARD_CLEAR_MS)
  }

  /** Stops the pending clear (the app is quitting, or a newer copy replaces it). */
  dispose(): void {
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer)
    this.#timer = null
  }

  async #clearIf(secret: string): Promise<void> {
    try {
      if ((await this.#clipboard.readText()) !== secret) return
      await this.#clipboard.clear()
      this.#logger.info('token.clipboard-cleared', { afterMs: CLIPBOARD_CLEAR_MS })
    } catch (error) {
      this.#logger.warn('token.clipboard-clear-failed', { reason: error instanceof Error ? error.name : 'unknown' })
    }
  }
}
