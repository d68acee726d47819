/**
 * Runs `callback` when the page is next idle, and after `timeoutMs` at the latest however busy it
 * stays; where the browser has no idle callbacks, on the next turn of the event loop. Returns a
 * function that stops it from running (it does nothing once the callback has run).
 */
export function whenIdle(callback: () => void, timeoutMs: number): () => void {
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(callback, { timeout: timeoutMs })
    return () => cancelIdleCallback(handle)
  }
  const timer = setTimeout(callback, 0)
  return () => clearTimeout(timer)
}
