/**
 * One full garbage collection once start-up is over (the vault opened, every session restored).
 * Reading 10,000 accounts leaves about 7 MiB of dead large objects in the old generation: the
 * start-up index's text (5 MB at 10,000 accounts, parsed in one piece), the parsed index's tables,
 * the tables the account maps outgrew. They were still in use at the collections during start-up,
 * so they were promoted, and only a full collection frees them; an idle process does not run one
 * (none came in 40 s of idling). It costs one pause (30 to 70 ms at 10,000 accounts, 30 ms at
 * none, on a busy 2-core machine) after the page has its list and the sessions are live.
 *
 * V8 offers no other way in: `--expose-gc` is turned on at run time and the `gc` function taken
 * from a new context (the app's own global gets none).
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

let collect: (() => void) | null = null

/** A full garbage collection, now. */
export function collectGarbage(): void {
  if (!collect) {
    setFlagsFromString('--expose-gc')
    collect = runInNewContext('gc') as () => void
  }
  collect()
}

/** The same on the event loop's next turn: what start-up had queued (the page's events) goes first. */
export function releaseStartUpGarbage(): void {
  setTimeout(collectGarbage, 0)
}
