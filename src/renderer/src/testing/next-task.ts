/**
 * For tests that check nothing more happens: resolves on the next turn of the event loop, once every
 * promise chain pending now has settled and the timers already due have run. Not a wait for
 * something to happen: wait for that itself (`until`, `vi.waitFor`).
 */
export const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))
