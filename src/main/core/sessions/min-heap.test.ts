import { describe, expect, it } from 'vitest'
import { IndexedMinHeap } from './min-heap.ts'

function drain(heap: IndexedMinHeap): Array<[string, number]> {
  const out: Array<[string, number]> = []
  for (let top = heap.pop(); top; top = heap.pop()) out.push([top.id, top.key])
  return out
}

describe('IndexedMinHeap', () => {
  it('pops in key order after random inserts, updates and removals', () => {
    let seed = 7
    const next = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31
    const heap = new IndexedMinHeap()
    const expected = new Map<string, number>()
    for (let i = 0; i < 2_000; i++) {
      const id = `a${Math.floor(next() * 500)}`
      const roll = next()
      if (roll < 0.2) {
        expect(heap.delete(id)).toBe(expected.delete(id))
      } else {
        const key = Math.floor(next() * 10_000)
        heap.set(id, key)
        expected.set(id, key)
      }
      expect(heap.size).toBe(expected.size)
    }
    for (const [id, key] of expected) expect(heap.get(id)).toBe(key)
    const keys = drain(heap).map(([, key]) => key)
    expect(keys).toEqual([...expected.values()].sort((a, b) => a - b))
    expect(heap.size).toBe(0)
  })

  it('keeps equal keys first in, first out, and an update counts as new', () => {
    const heap = new IndexedMinHeap()
    heap.set('a', 5)
    heap.set('b', 5)
    heap.set('c', 5)
    heap.set('a', 5)
    expect(drain(heap).map(([id]) => id)).toEqual(['b', 'c', 'a'])
  })

  it('peeks without removing and reports absent ids', () => {
    const heap = new IndexedMinHeap()
    expect(heap.peek()).toBeUndefined()
    heap.set('x', 3)
    heap.set('y', 1)
    expect(heap.peek()).toEqual({ id: 'y', key: 1 })
    expect(heap.size).toBe(2)
    expect(heap.has('z')).toBe(false)
    expect(heap.get('z')).toBeUndefined()
    expect(heap.delete('z')).toBe(false)
    heap.clear()
    expect(heap.size).toBe(0)
    expect(heap.has('x')).toBe(false)
  })
})
