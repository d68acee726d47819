import { describe, expect, it } from 'vitest'
import { accountFileJson, sealedIn } from './account-file.ts'

const record = (id: string, profile: Record<string, string> = {}) => ({ id, label: 'A "quoted" name, "sealed":"v1.x"}', profile })

describe('the sealed secrets of an account file', () => {
  it('are found in what accountFileJson writes, whatever the record holds', () => {
    const sealed = 'v1.' + Buffer.from('nonce-ciphertext-tag').toString('base64url')
    expect(sealedIn('a', accountFileJson(record('a'), sealed))).toBe(sealed)
    expect(sealedIn('a', accountFileJson(record('a', { sealed: 'v1.not-this-one' }), sealed))).toBe(sealed)
    expect(sealedIn('a', accountFileJson(record('a', { sealed: 'v1.not-this-one' }), null))).toBeNull()
    expect(sealedIn('a', accountFileJson(null, sealed))).toBe(sealed)
  })

  it('are read from files laid out otherwise too, and nothing is taken from a file that is not one', () => {
    const sealed = 'v1.abc'
    // Members in another order (written by hand, or by another tool).
    expect(sealedIn('a', JSON.stringify({ sealed, v: 1, account: record('a') }))).toBe(sealed)
    expect(sealedIn('a', JSON.stringify({ v: 1, account: record('a', { sealed: 'v1.inner' }), sealed: null, note: 'x' }))).toBeNull()
    // Not a string of sealed text where the secrets go.
    expect(sealedIn('a', '{"v":1,"account":null,"sealed":"v1.a\\"b"}')).toBe('v1.a"b')
    expect(sealedIn('a', '{"v":1,"account":null,"sealed":"v1.abc')).toBeUndefined()
    expect(sealedIn('a', '{"v":2,"account":null,"sealed":"v1.abc"}')).toBeUndefined()
    // Another account's record, read the long way: nothing.
    expect(sealedIn('a', JSON.stringify({ sealed, v: 1, account: record('b') }))).toBeUndefined()
  })
})
