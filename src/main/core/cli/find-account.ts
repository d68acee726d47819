/**
 * Which account a command line means: its id, its label, its email, or `backend:email` (the backend
 * kind or its name). On a miss, the closest names, so the message can say what was probably meant.
 */
import type { AccountRecord } from '../settings/schema.ts'

export interface Named {
  record: AccountRecord
  /** The backend's short name (e.g. the issuer's host). */
  backend: string
}

export type Found = { kind: 'one'; record: AccountRecord } | { kind: 'none'; closest: string[] } | { kind: 'many'; names: string[] }

export function findAccount(query: string, accounts: Named[]): Found {
  const wanted = query.trim().toLowerCase()
  const exact = (a: Named): boolean => a.record.id.toLowerCase() === wanted
  const byId = accounts.filter(exact)
  if (byId.length === 1 && byId[0]) return { kind: 'one', record: byId[0].record }
  const hits = accounts.filter((a) => namesOf(a).some((name) => name.toLowerCase() === wanted))
  if (hits.length === 1 && hits[0]) return { kind: 'one', record: hits[0].record }
  if (hits.length > 1) return { kind: 'many', names: hits.map(preferredName) }
  return { kind: 'none', closest: closestNames(wanted, accounts) }
}

/** What a person would type for this account, most specific first. */
export function preferredName(a: Named): string {
  const email = a.record.identity.email
  return email ? `${a.record.provider}:${email}` : a.record.label
}

function namesOf(a: Named): string[] {
  const names = [a.record.label]
  const email = a.record.identity.email
  if (email) names.push(email, `${a.record.provider}:${email}`, `${a.backend}:${email}`)
  return names
}

function closestNames(wanted: string, accounts: Named[]): string[] {
  const scored = accounts.map((a) => {
    const distance = Math.min(...namesOf(a).map((name) => editDistance(wanted, name.toLowerCase())), editDistance(wanted, a.record.id.toLowerCase()))
    const contains = namesOf(a).some((name) => name.toLowerCase().includes(wanted) || wanted.includes(name.toLowerCase()))
    return { name: preferredName(a), score: contains ? 0 : distance }
  })
  const limit = Math.max(3, Math.ceil(wanted.length / 2))
  return scored
    .filter((s) => s.score <= limit)
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, 3)
    .map((s) => s.name)
}

/** Levenshtein distance, two rows. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost)
    }
    previous = current
  }
  return previous[b.length] ?? 0
}
