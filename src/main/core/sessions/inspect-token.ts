/**
 * What a token says about itself, for display: the decoded claims of a JWT (signature NOT
 * checked — never use this to trust anything), its scopes and its times. Opaque tokens yield no
 * claims. The token itself is never part of the result.
 */
import { decodeJwt } from 'jose'
import type { TokenInspection } from '../../../shared/contract.ts'

export function inspectToken(token: string, kind: 'access' | 'id'): TokenInspection {
  const claims = decodeClaims(token)
  return {
    kind,
    claims,
    scopes: claims ? scopesOf(claims) : [],
    issuedAt: claims ? isoFromSeconds(claims['iat']) : null,
    expiresAt: claims ? isoFromSeconds(claims['exp']) : null,
  }
}

function decodeClaims(token: string): Record<string, unknown> | null {
  try {
    return { ...decodeJwt(token) }
  } catch {
    return null // opaque (or not a readable JWT)
  }
}

/** OAuth's `scope` (space-separated string) or the `scp` array some servers use instead. */
function scopesOf(claims: Record<string, unknown>): string[] {
  const scope = claims['scope']
  if (typeof scope === 'string') return scope.split(/\s+/).filter((part) => part.length > 0)
  const scp = claims['scp']
  if (Array.isArray(scp)) return scp.filter((part): part is string => typeof part === 'string' && part.length > 0)
  if (typeof scp === 'string') return scp.split(/\s+/).filter((part) => part.length > 0)
  return []
}

/** A NumericDate (seconds since the epoch) as ISO, or null when absent or out of range. */
function isoFromSeconds(value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null
  const date = new Date(value * 1000)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}
