import { getHeapSpaceStatistics } from 'node:v8'
import { describe, expect, it } from 'vitest'
import { collectGarbage } from './startup-garbage.ts'

const largeObjectsUsed = (): number => getHeapSpaceStatistics().find((space) => space.space_name === 'large_object_space')?.space_used_size ?? 0

describe('collectGarbage', () => {
  it('frees a large text that was promoted while in use and then dropped, as the start-up index text is', async () => {
    let text: string | null = JSON.stringify(Array.from({ length: 20_000 }, (_, i) => ({ id: `acct-${String(i)}`, label: `Account ${String(i)}`, padding: 'x'.repeat(200) })))
    // Parsing it allocates far more than the young generation holds: the text, in use, is promoted.
    const parsed = JSON.parse(text) as unknown[]
    expect(parsed).toHaveLength(20_000)
    const before = largeObjectsUsed()
    text = null
    await new Promise((resolve) => setImmediate(resolve))
    collectGarbage()
    expect(text).toBeNull()
    expect(before - largeObjectsUsed()).toBeGreaterThan(4 * 1024 * 1024)
  })
})
