/**
 * A collection's auth rule (PocketBase's `authRule`, checked by recordAuthResponse on every sign-in,
 * refresh and impersonation): '' lets everyone in; the emulator understands conjunctions of
 * `field = literal` on the record's own fields (e.g. `verified = true`), which is what its tests
 * and the demo need. Anything else is refused when the emulator starts, not guessed at.
 *
 * BosBase keeps records in PostgreSQL and writes a rule's `true`/`false` as 1/0, so a clause that
 * compares a bool field with `true` or `false` fails as a query ("operator does not exist: boolean =
 * integer") and the rule lets no one in; a quoted 'true' is cast to a boolean and works.
 */
import type { AuthRecord } from './store.ts'

type Literal = string | number | boolean
export type AuthRule = { field: keyof AuthRecord; value: Literal }[]

const CLAUSE = /^\s*([a-zA-Z_]\w*)\s*=\s*(true|false|-?\d+(?:\.\d+)?|"[^"]*"|'[^']*')\s*$/

export function parseAuthRule(rule: string): AuthRule {
  if (rule.trim() === '') return []
  return rule.split('&&').map((clause) => {
    const match = CLAUSE.exec(clause)
    if (match === null) throw new Error(`The emulator cannot evaluate the auth rule clause "${clause.trim()}".`)
    const [, field = '', raw = ''] = match
    const value: Literal = raw === 'true' ? true : raw === 'false' ? false : /^["']/.test(raw) ? raw.slice(1, -1) : Number(raw)
    return { field: field as keyof AuthRecord, value }
  })
}

const POSTGRES_BOOLEANS: Record<string, boolean> = { true: true, t: true, yes: true, on: true, '1': true, false: false, f: false, no: false, off: false, '0': false }

export function satisfiesAuthRule(rule: AuthRule, record: AuthRecord, postgres = false): boolean {
  return rule.every(({ field, value }) => {
    const actual = record[field]
    if (!postgres || typeof actual !== 'boolean') return actual === value
    if (typeof value !== 'string') return false
    return POSTGRES_BOOLEANS[value.trim().toLowerCase()] === actual
  })
}
