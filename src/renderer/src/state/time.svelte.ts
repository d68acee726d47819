/**
 * A ticking "now" for countdowns. One interval for the whole app, running only while something on
 * screen reads `clock.now` (createSubscriber starts it with the first reader and stops it after the last).
 */
import { createSubscriber } from 'svelte/reactivity'

const TICK_MS = 1000

const subscribe = createSubscriber((update) => {
  const timer = setInterval(update, TICK_MS)
  return () => clearInterval(timer)
})

export const clock = {
  /** Milliseconds since the epoch; inside an effect or template it updates every second. */
  get now(): number {
    subscribe()
    return Date.now()
  },
}
