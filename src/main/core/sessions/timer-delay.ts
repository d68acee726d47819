/** Node (and browsers) treat a timer delay of 2^31 ms or more as 1 ms; anything longer must be split. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1

/** A delay safe to hand to `setTimeout`: at least 0, at most `limitMs` and never above 2^31−1 ms. */
export function clampDelay(ms: number, limitMs: number = MAX_TIMER_DELAY_MS): number {
  const limit = Math.min(limitMs, MAX_TIMER_DELAY_MS)
  return Number.isNaN(ms) ? 0 : Math.min(Math.max(0, ms), limit)
}
