/**
 * Work over every account in slices: after each few milliseconds the event loop gets a turn, so
 * opening 10,000 sessions at start-up never holds up a page, a request or a due refresh.
 */
export const SLICE_MS = 8

export async function inSlices<T>(items: Iterable<T>, work: (item: T) => void, sliceMs = SLICE_MS): Promise<void> {
  let started = performance.now()
  for (const item of items) {
    work(item)
    if (performance.now() - started >= sliceMs) {
      await new Promise<void>((resolve) => setImmediate(resolve))
      started = performance.now()
    }
  }
}
