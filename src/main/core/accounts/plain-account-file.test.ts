/**
 * The quick read of an account file gives what the schema's parse gives, or leaves the file to it:
 * never a record the schema would refuse, strip or read differently.
 */
import { describe, expect, it } from 'vitest'
import { ACCOUNT_FIELDS } from '../settings/account-record-check.ts'
import { accountFileParts } from './account-file.ts'
import { partsSchema } from './account-store.ts'
import { plainParts } from './plain-account-file.ts'

/** An account file's record as this version writes it (an OIDC account, no problem remembered). */
const record = {
  ...{ id: 'a1', label: 'Work', provider: 'oidc', config: { issuer: 'https://id.example.test' }, identity: { subject: 'alice', name: 'Alice', email: null } },
  ...{ profile: {}, createdAt: '2026-01-02T03:04:05.000Z', lastRefreshAt: null, expiresAt: null, attention: null, signedOut: false },
}

const variants: [string, unknown][] = [
  ['a plain record', { v: 1, account: record, sealed: 'v1.abc' }],
  ['no record, a session', { v: 1, account: null, sealed: 'v1.abc' }],
  ['every optional field', { v: 1, account: { ...record, refreshStartedAt: null, cliAccess: true, credentials: [{ kind: 'pat', label: 'Token', status: 'ok', expiresAt: 'x', message: 'fine' }] }, sealed: null }],
  ['what is kept of its session', { v: 1, account: { ...record, sessionFacts: { expiresAt: 1767330245000, issuedAt: 1767326645000, refreshable: true } }, sealed: 'v1.abc' }],
  ['a session that never expires', { v: 1, account: { ...record, sessionFacts: { expiresAt: null, issuedAt: 1767326645000, refreshable: false, isStatic: true } }, sealed: 'v1.abc' }],
  ['session facts with a time as text', { v: 1, account: { ...record, sessionFacts: { expiresAt: '2026-01-02T04:04:05.000Z', issuedAt: 1, refreshable: true } }, sealed: null }],
  ['a profile with a yes/no and a time', { v: 1, account: { ...record, profile: { name: 'Alice', email_verified: { kind: 'yes-no', value: 'true' }, updated_at: { kind: 'time', value: '2025-12-05T17:10:36.000Z' } } }, sealed: null }],
  ['a profile value of a kind this version does not know', { v: 1, account: { ...record, profile: { colour: { kind: 'colour', value: 'red' } } }, sealed: null }],
  ['a number in the profile', { v: 1, account: { ...record, profile: { age: 36 } }, sealed: null }],
  ['a problem remembered', { v: 1, account: { ...record, attention: { reason: 'revoked', message: 'Gone', since: 'then', retryAt: 'later' } }, sealed: null }],
  ['a field of another version', { v: 1, account: { ...record, pinned: true }, sealed: null }],
  ['an identity field of another version', { v: 1, account: { ...record, identity: { ...record.identity, avatar: 'x' } }, sealed: null }],
  ['a credential field of another version', { v: 1, account: { ...record, credentials: [{ kind: 'pat', label: 'T', status: 'ok', scope: 'all' }] }, sealed: null }],
  ['a field named __proto__', JSON.parse(`{"v":1,"sealed":null,"account":${JSON.stringify(record).slice(0, -1)},"__proto__":{"x":1}}}`)],
  ['another format version', { v: 2, account: record, sealed: null }],
  ['an unknown kind of backend', { v: 1, account: { ...record, provider: 'carrier-pigeon' }, sealed: null }],
  ['an empty id', { v: 1, account: { ...record, id: '' }, sealed: null }],
  ['a number as the label', { v: 1, account: { ...record, label: 7 }, sealed: null }],
  ['a missing field', { v: 1, account: { ...record, signedOut: undefined }, sealed: null }],
  ['a number in the configuration', { v: 1, account: { ...record, config: { port: 443 } }, sealed: null }],
  ['a list as the profile', { v: 1, account: { ...record, profile: ['x'] }, sealed: null }],
  ['an unknown problem', { v: 1, account: { ...record, attention: { reason: 'gremlins', message: 'x', since: 'y' } }, sealed: null }],
  ['a session that is not text', { v: 1, account: record, sealed: 42 }],
  ['no session field', { v: 1, account: record }],
  ['a list', [record]],
]

/** The quick read of a file's text: undefined when it is left to the schema (or not an account file at all). */
const quick = (value: unknown) => {
  const parts = accountFileParts(JSON.stringify(value))
  return typeof parts === 'string' ? undefined : plainParts(parts)
}

describe('the quick read of an account file', () => {
  it.each(variants)('with %s: the schema’s result, or left to the schema', (_what, value) => {
    const parts = accountFileParts(JSON.stringify(value))
    if (typeof parts === 'string') return
    const plain = plainParts(parts)
    if (plain === undefined) return
    const parsed = partsSchema.safeParse(parts)
    expect(parsed.success).toBe(true)
    expect(plain).toEqual({ account: parsed.data?.account ?? null, sealed: parsed.data?.sealed })
  })

  it('reads the files this version writes, and leaves the rest to the schema', () => {
    const read = variants.filter(([, value]) => quick(value) !== undefined).map(([what]) => what)
    expect(read).toEqual(['a plain record', 'no record, a session', 'every optional field', 'what is kept of its session', 'a session that never expires', 'a profile with a yes/no and a time', 'a problem remembered'])
  })

  it('knows every field the schema knows (a new field must be added to both, or its files take the slow way)', () => {
    expect([...ACCOUNT_FIELDS].sort()).toEqual(Object.keys(partsSchema.shape.account.unwrap().shape).sort())
  })
})
