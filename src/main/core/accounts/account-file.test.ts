import { describe, expect, it } from 'vitest'
import { accountFileJson, accountFileParts, recordOf, sealedIn } from './account-file.ts'

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

describe('the record of an account file, read without its sealed secrets', () => {
  it('is what a parse of the whole file finds, whatever the record holds', () => {
    const sealed = 'v1.' + Buffer.from('nonce-ciphertext-tag').toString('base64url')
    for (const [account, secrets] of [
      [record('a'), sealed],
      [record('a', { sealed: 'v1.not-this-one' }), sealed],
      [record('a', { note: ',"sealed":null}' }), null],
      [null, sealed],
      [null, null],
    ] as const) {
      const text = accountFileJson(account, secrets)
      const whole = accountFileParts(text)
      expect(typeof whole).toBe('object')
      expect(recordOf(text)).toEqual({ account: (whole as { account: unknown }).account, sealed: secrets !== null })
    }
  })

  it('is left to the whole parse (undefined) for any text laid out otherwise or not JSON', () => {
    // Members in another order, or one more member.
    expect(recordOf(JSON.stringify({ sealed: 'v1.abc', v: 1, account: record('a') }))).toBeUndefined()
    expect(recordOf('{"v":1,"account":{"id":"a"},"note":1,"sealed":null}')).toBeUndefined()
    expect(recordOf('{"v":1,"account":{"id":"a"},"sealed":"v1.a\\"b"}')).toBeUndefined()
    expect(recordOf('{"v":1,"account":{"id":"a"},"sealed":"v1.a\\\\b"}')).toBeUndefined()
    // Cut short, or the record not one JSON value.
    expect(recordOf('{"v":1,"account":{"id":"a"},"sealed":"v1.abc')).toBeUndefined()
    expect(recordOf('{"v":1,"account":{"id":"a","sealed":null}')).toBeUndefined()
    expect(recordOf('{"v":1,"account":{"id":"a"},{"x":1},"sealed":null}')).toBeUndefined()
    expect(recordOf('{"v":2,"account":null,"sealed":null}')).toBeUndefined()
  })
})
