/** The browser steps of one sign-in attempt still waiting for their answer, stopped when the whole attempt is cancelled. */
import type { BrowserSignIn } from '../core/provider.ts'

export class OpenBrowserSteps {
  readonly #waiting = new Set<BrowserSignIn>()

  /** Holds `browser` until its result is in, either way, and gives it back. */
  add<B extends BrowserSignIn>(browser: B): B {
    this.#waiting.add(browser)
    const forget = (): void => {
      this.#waiting.delete(browser)
    }
    browser.result.then(forget, forget)
    return browser
  }

  /** Stops every step still waiting (its result then rejects with AUTH_CANCELLED). */
  cancelAll(): void {
    for (const browser of this.#waiting) browser.cancel()
    this.#waiting.clear()
  }
}
