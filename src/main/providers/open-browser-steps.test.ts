import { describe, expect, it } from 'vitest'
import type { BrowserSignIn } from '../core/provider.ts'
import type { SignedIn } from '../core/sessions/session.ts'
import { OpenBrowserSteps } from './open-browser-steps.ts'

/** A browser step whose result the test settles, and how many times it was cancelled. */
function step(): { browser: BrowserSignIn; settle: () => void; cancelled: () => number } {
  let cancelled = 0
  let settle = (): void => {}
  const result = new Promise<SignedIn>((_resolve, reject) => {
    settle = () => reject(new Error('ended'))
  })
  result.catch(() => undefined)
  const browser: BrowserSignIn = { kind: 'browser', url: 'https://example.test/authorize', expiresAt: 0, result, cancel: () => (cancelled += 1) }
  return { browser, settle, cancelled: () => cancelled }
}

describe('OpenBrowserSteps', () => {
  it('stops the steps still waiting when the attempt is cancelled, not those already answered, and each once', async () => {
    const steps = new OpenBrowserSteps()
    const waiting = step()
    const answered = step()
    expect(steps.add(waiting.browser)).toBe(waiting.browser)
    steps.add(answered.browser)
    answered.settle()
    await new Promise((resolve) => setTimeout(resolve, 0))

    steps.cancelAll()
    steps.cancelAll()
    expect(waiting.cancelled()).toBe(1)
    expect(answered.cancelled()).toBe(0)
  })
})
