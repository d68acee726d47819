/**
 * The full, memory-reducing garbage collections the shells run: once start-up is over, and after a
 * burst of renewals (below).
 *
 * Once start-up is over (the vault opened, every session restored): reading 10,000 accounts leaves
 * about 7 MiB of dead large objects in the old generation: the start-up index's text (5 MB at
 * 10,000 accounts, parsed in one piece), the parsed index's tables, the tables the account maps
 * outgrew. They were still in use at the collections during start-up, so they were promoted, and
 * only a full collection frees them; an idle process does not run one (none came in 40 s of
 * idling). It costs one pause (30 to 70 ms at 10,000 accounts, 30 ms at none, on a busy 2-core
 * machine) after the page has its list and the sessions are live.
 *
 * Memory-reducing ("last resort", as V8 names it): it also shrinks the young generation back to
 * its starting size (a plain full collection leaves it as large as it grew: 32 MiB stayed 32 MiB,
 * where this one took it to 1 MiB), so whatever it grew by before keepYoungGenerationSmall was set
 * (see young-generation.ts) is given back.
 *
 * The shells run the same collection after a burst of renewals (many accounts due at once, see
 * RefreshBursts). With 10,000 due at once, renewed eight at a time per server (see scheduler.ts)
 * through providers/http-fetch.ts, the browser shell peaks at 130–142 MiB resident, and this
 * collection (a pause of about 55 ms) took it from 129.5 to 117.6 MiB as soon as they were over.
 * (Before both, with Node's fetch and all 10,000 at once: about 450 MiB at the peak, 138–155 MiB
 * after the collection.)
 *
 * V8 offers no other way in: `--expose-gc` is turned on at run time and the `gc` function taken
 * from a new context (the app's own global gets none).
 */
import { setFlagsFromString } from 'node:v8'
import type { Logger } from './core/ports.ts'
import { runInNewContext } from 'node:vm'

type Gc = (options?: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void

let collect: Gc | null = null

/** A full, memory-reducing garbage collection, now. */
export function collectGarbage(): void {
  if (!collect) {
    setFlagsFromString('--expose-gc')
    collect = runInNewContext('gc') as Gc
  }
  collect({ type: 'major', execution: 'sync', flavor: 'last-resort' })
}

/** The same on the event loop's next turn: what start-up had queued (the page's events) goes first. */
export function releaseStartUpGarbage(): void {
  setTimeout(collectGarbage, 0)
}

/** The same after a burst of renewals, logged with how long it took and the resident memory before and after it (MiB). */
export function releaseBurstGarbage(logger: Logger): () => void {
  return () => {
    const before = process.memoryUsage.rss()
    const started = performance.now()
    collectGarbage()
    const ms = Math.round(performance.now() - started)
    const mib = (bytes: number): number => Math.round(bytes / 104857.6) / 10
    logger.info('memory.released-after-renewals', { ms, rssMiBBefore: mib(before), rssMiBAfter: mib(process.memoryUsage.rss()) })
  }
}
