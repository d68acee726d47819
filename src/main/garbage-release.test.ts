import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import { getHeapSpaceStatistics } from 'node:v8'
import { describe, expect, it } from 'vitest'
import { collectGarbage } from './garbage-release.ts'

const largeObjectsUsed = (): number => getHeapSpaceStatistics().find((space) => space.space_name === 'large_object_space')?.space_used_size ?? 0

/**
 * A fresh Node process lets its young generation grow while records that survive are built (as a
 * start does before keepYoungGenerationSmall is set), drops them, and reports the young
 * generation's size after collectGarbage, or after a plain full collection.
 */
function youngAfter(collection: 'collectGarbage' | 'plain gc'): { grownMiB: number; afterMiB: number } {
  const module = resolve(import.meta.dirname, 'garbage-release.ts')
  const script = `
    const { getHeapSpaceStatistics } = await import('node:v8')
    const young = () => getHeapSpaceStatistics().find((space) => space.space_name === 'new_space').space_size / 1048576
    let kept = []
    for (let i = 0; i < 20000; i++) kept.push({ id: 'acct-' + i, label: 'Account ' + i, padding: 'x'.repeat(300) + i })
    const grownMiB = young()
    kept = null
    const { collectGarbage } = await import(${JSON.stringify(module)})
    if (${JSON.stringify(collection)} === 'collectGarbage') collectGarbage()
    else { (await import('node:v8')).setFlagsFromString('--expose-gc'); (await import('node:vm')).runInNewContext('gc')() }
    console.log(JSON.stringify({ grownMiB, afterMiB: young() }))
  `
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as { grownMiB: number; afterMiB: number }
}

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

  it('gives back what the young generation grew by during start-up, which a plain full collection keeps', () => {
    const plain = youngAfter('plain gc')
    const reduced = youngAfter('collectGarbage')
    expect(plain.grownMiB).toBeGreaterThanOrEqual(8)
    expect(plain.afterMiB).toBeGreaterThanOrEqual(8)
    expect(reduced.grownMiB).toBeGreaterThanOrEqual(8)
    expect(reduced.afterMiB).toBeLessThanOrEqual(2)
  })
})
