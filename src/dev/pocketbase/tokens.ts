/**
 * PocketBase's JWTs: HS256, signed with `record.tokenKey + collection.<type>Token.secret`, claims
 * `{collectionId, exp, id, type, …}` (sorted, as Go marshals a claims map). `exp` is whole seconds
 * cut down (jwt.NewNumericDate), and a token is valid only while now < exp (no leeway).
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { AuthRecord, Store, TokenType } from './store.ts'

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url')
}

function signature(input: string, key: string): Buffer {
  return createHmac('sha256', key).update(input).digest()
}

function signingKey(record: AuthRecord, type: TokenType): string {
  return record.tokenKey + record.collection.secrets[type]
}

export function issueToken(record: AuthRecord, type: TokenType, seconds: number, nowMs: number, extra: Record<string, unknown> = {}): string {
  const claims: Record<string, unknown> = {
    ...extra,
    collectionId: record.collection.id,
    exp: Math.floor(nowMs / 1000 + seconds),
    id: record.id,
    type,
  }
  const sorted = Object.fromEntries(Object.entries(claims).sort(([a], [b]) => (a < b ? -1 : 1)))
  const input = `${HEADER}.${base64url(JSON.stringify(sorted))}`
  return `${input}.${signature(input, signingKey(record, type)).toString('base64url')}`
}

/** The claims without checking the signature (security.ParseUnverifiedJWT); {} for anything unreadable. */
export function unverifiedClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1]
  if (payload === undefined) return {}
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims) ? (claims as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

/** FindAuthRecordByToken: the record whose current tokenKey signed this unexpired token of this type. */
export function findRecordByToken(store: Store, token: string, type: TokenType, nowMs: number): AuthRecord | undefined {
  const parts = token.split('.')
  if (parts.length !== 3) return undefined
  const claims = unverifiedClaims(token)
  const { id, collectionId, exp } = claims
  if (typeof id !== 'string' || typeof collectionId !== 'string' || claims.type !== type) return undefined
  const collection = store.collection(collectionId)
  const record = collection === undefined ? undefined : store.find(collection, id)
  if (record === undefined) return undefined
  const expected = signature(`${parts[0] ?? ''}.${parts[1] ?? ''}`, signingKey(record, type))
  const given = Buffer.from(parts[2] ?? '', 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined
  if (typeof exp !== 'number' || nowMs >= exp * 1000) return undefined
  return record
}
