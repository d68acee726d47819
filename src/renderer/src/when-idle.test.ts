import { afterEach, describe, expect, it, vi } from 'vitest'
import { whenIdle } from './when-idle.ts'

afterEach(() => {
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

describe('whenIdle', () => {
  it('waits for the page to be idle, at most the given time, and can be stopped before then', () => {
    const waiting = new Map<number, { callback: IdleRequestCallback; timeout: number | undefined }>()
    let next = 0
    vi.stubGlobal('requestIdleCallback', (callback: IdleRequestCallback, options?: IdleRequestOptions) => {
      next += 1
      waiting.set(next, { callback, timeout: options?.timeout })
      return next
    })
    vi.stubGlobal('cancelIdleCallback', (handle: number) => waiting.delete(handle))
    const ran: string[] = []

    whenIdle(() => ran.push('first'), 200)
    const stop = whenIdle(() => ran.push('stopped'), 500)
    expect(ran).toEqual([])
    expect([...waiting.values()].map((entry) => entry.timeout)).toEqual([200, 500])

    stop()
    for (const { callback } of waiting.values()) callback({ didTimeout: false, timeRemaining: () => 10 })
    expect(ran).toEqual(['first'])
  })

  it('runs on the next turn where the browser has no idle callbacks, unless stopped first', () => {
    vi.stubGlobal('requestIdleCallback', undefined)
    vi.useFakeTimers()
    const ran: string[] = []

    whenIdle(() => ran.push('first'), 200)
    whenIdle(() => ran.push('stopped'), 200)()
    expect(ran).toEqual([])

    vi.advanceTimersByTime(0)
    expect(ran).toEqual(['first'])
  })
})
