import { describe, expect, it } from 'vitest'
import { accountFileJson, recordPartOf, sealedIn } from './account-file.ts'

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

describe('the record part of an account file, from its bytes', () => {
  const bytes = (text: string): Buffer => Buffer.from(text, 'utf8')

  it('is the record exactly as accountFileJson wrote it, and says whether sealed secrets follow, whatever the record holds', () => {
    const tricky = record('a', { sealed: 'v1.not-this-one', note: 'é ü ,"sealed":null}' })
    for (const account of [record('a'), tricky, null]) {
      expect(recordPartOf(bytes(accountFileJson(account, 'v1.abc_-')))).toEqual({ account: JSON.stringify(account), sealed: true })
      expect(recordPartOf(bytes(accountFileJson(account, null)))).toEqual({ account: JSON.stringify(account), sealed: false })
    }
  })

  it('is not taken from bytes laid out otherwise, which are then read as text', () => {
    // Members in another order, another version, sealed text JSON had to escape, a file cut short, a member after the secrets.
    expect(recordPartOf(bytes(JSON.stringify({ sealed: 'v1.abc', v: 1, account: record('a') })))).toBeUndefined()
    expect(recordPartOf(bytes('{"v":2,"account":null,"sealed":"v1.abc"}'))).toBeUndefined()
    expect(recordPartOf(bytes('{"v":1,"account":null,"sealed":"v1.a\\"b"}'))).toBeUndefined()
    expect(recordPartOf(bytes('{"v":1,"account":null,"sealed":"v1.a\\\\b"}'))).toBeUndefined()
    expect(recordPartOf(bytes('{"v":1,"account":null,"sealed":"v1.abc'))).toBeUndefined()
    expect(recordPartOf(bytes('{"v":1,"account":null,"sealed":"v1.abc","note":"x"}'))).toBeUndefined()
    expect(recordPartOf(bytes('{"v":1,"account":null,"sealed":nul}'))).toBeUndefined()
    expect(recordPartOf(bytes(''))).toBeUndefined()
  })
})
