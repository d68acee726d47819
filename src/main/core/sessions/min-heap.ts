/**
 * A binary min-heap of string ids ordered by a numeric key, with an index from id to position so
 * that insert, update and remove are all O(log n). Equal keys come out in the order they were set.
 */
export interface HeapTop {
  readonly id: string
  readonly key: number
}

export class IndexedMinHeap {
  readonly #ids: string[] = []
  readonly #keys: number[] = []
  /** Tie-breaker: when the key was last set, so equal keys leave first-in, first-out. */
  readonly #order: number[] = []
  readonly #position = new Map<string, number>()
  #nextOrder = 0

  get size(): number {
    return this.#ids.length
  }

  has(id: string): boolean {
    return this.#position.has(id)
  }

  /** The key of `id`, or undefined when it is not in the heap. */
  get(id: string): number | undefined {
    const at = this.#position.get(id)
    return at === undefined ? undefined : this.#keys[at]
  }

  /** Inserts `id`, or moves it to its new key if it is already there. */
  set(id: string, key: number): void {
    const order = this.#nextOrder++
    const at = this.#position.get(id)
    if (at === undefined) {
      const end = this.#ids.length
      this.#ids.push(id)
      this.#keys.push(key)
      this.#order.push(order)
      this.#position.set(id, end)
      this.#up(end)
      return
    }
    this.#keys[at] = key
    this.#order[at] = order
    this.#restore(at)
  }

  delete(id: string): boolean {
    const at = this.#position.get(id)
    if (at === undefined) return false
    this.#removeAt(at)
    return true
  }

  peekKey(): number | undefined {
    return this.#keys[0]
  }

  peek(): HeapTop | undefined {
    const id = this.#ids[0]
    return id === undefined ? undefined : { id, key: this.#keys[0] as number }
  }

  pop(): HeapTop | undefined {
    const top = this.peek()
    if (top) this.#removeAt(0)
    return top
  }

  clear(): void {
    this.#ids.length = 0
    this.#keys.length = 0
    this.#order.length = 0
    this.#position.clear()
  }

  #removeAt(at: number): void {
    const last = this.#ids.length - 1
    this.#position.delete(this.#ids[at] as string)
    if (at !== last) this.#move(last, at)
    this.#ids.pop()
    this.#keys.pop()
    this.#order.pop()
    if (at < last) this.#restore(at)
  }

  #restore(at: number): void {
    if (this.#up(at) === at) this.#down(at)
  }

  #less(a: number, b: number): boolean {
    const ka = this.#keys[a] as number
    const kb = this.#keys[b] as number
    return ka < kb || (ka === kb && (this.#order[a] as number) < (this.#order[b] as number))
  }

  #up(start: number): number {
    let at = start
    while (at > 0) {
      const parent = (at - 1) >> 1
      if (!this.#less(at, parent)) break
      this.#swap(at, parent)
      at = parent
    }
    return at
  }

  #down(start: number): void {
    const size = this.#ids.length
    let at = start
    for (;;) {
      const left = 2 * at + 1
      if (left >= size) return
      const right = left + 1
      const child = right < size && this.#less(right, left) ? right : left
      if (!this.#less(child, at)) return
      this.#swap(at, child)
      at = child
    }
  }

  /** Copies slot `from` into slot `to` (used when the last slot fills a hole). */
  #move(from: number, to: number): void {
    const id = this.#ids[from] as string
    this.#ids[to] = id
    this.#keys[to] = this.#keys[from] as number
    this.#order[to] = this.#order[from] as number
    this.#position.set(id, to)
  }

  #swap(a: number, b: number): void {
    const id = this.#ids[a] as string
    const key = this.#keys[a] as number
    const order = this.#order[a] as number
    this.#move(b, a)
    this.#ids[b] = id
    this.#keys[b] = key
    this.#order[b] = order
    this.#position.set(id, b)
  }
}
