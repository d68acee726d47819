/**
 * The scale targets as this run measured them: each section adds what it measured, and
 * `npm run bench` (and the soak) print them together at the end, what was asked beside what was
 * measured, so a run says at a glance which are met. Only the sections that ran add any.
 */

interface Target {
  target: string
  asked: string
  measured: string
  met: boolean
}

const targets: Target[] = []

/** A ratio that must be at most `limit` (×). */
export function ratioTarget(target: string, ratio: number, limit: number): void {
  targets.push({ target, asked: `≤ ${String(limit)}×`, measured: `${ratio.toFixed(2)}×`, met: ratio <= limit })
}

/** Counts that must each be exactly `wanted` (one per measured case, shown together). */
export function countTarget(target: string, counts: number[], wanted: number): void {
  targets.push({ target, asked: `exactly ${String(wanted)}`, measured: counts.map(String).join(' / '), met: counts.length > 0 && counts.every((count) => count === wanted) })
}

/** Prints the targets added so far (nothing when no section added any). */
export function printTargets(): void {
  if (targets.length === 0) return
  console.log('\nThe scale targets, as this run measured them (each section above has the details)')
  console.table(targets.map(({ target, asked, measured, met }) => ({ target, asked, measured, met: met ? 'yes' : 'no' })))
}
