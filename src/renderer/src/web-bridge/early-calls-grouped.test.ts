import { afterEach, describe, expect, it, vi } from 'vitest'
import { PAGE_SIZE } from '../state/list-args.ts'
import { loadBridge } from './bridge-harness.ts'

afterEach(() => {
  vi.unstubAllGlobals()
  localStorage.clear()
})

describe('the browser shell’s bridge, in a window that groups the list by backend', () => {
  it('asks for the usual first page and the app’s state before reading the grouping choice, then for the grouped page, which the app takes; the other is never handed out', async () => {
    localStorage.setItem('latchkey.switcher.group-by-backend', 'true')
    const { api, invokes } = await loadBridge()
    const plain = { offset: 0, limit: PAGE_SIZE }
    const grouped = { offset: 0, limit: PAGE_SIZE, grouped: true }
    expect(invokes()).toEqual([
      ['accounts:list', plain],
      ['app:state', null],
      ['backends:list', null],
      ['accounts:list', grouped],
    ])
    // The app (grouped) takes the grouped answer.
    expect(await api.accountsList(grouped)).toEqual({ ok: true, value: 4 })
    // The person turns grouping off later: the list is asked of the shell again, not taken from the early, older answer.
    expect(await api.accountsList(plain)).toEqual({ ok: true, value: 5 })
    expect(invokes().slice(4)).toEqual([['accounts:list', plain]])
  })
})
