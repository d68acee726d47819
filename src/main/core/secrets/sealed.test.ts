import { describe, expect, it } from 'vitest'
import { newVaultKey, open, parseVaultKey, seal } from './sealed.ts'

describe('sealing', () => {
  it('never uses a nonce twice, across many pools of them, and every record opens', () => {
    const key = parseVaultKey(newVaultKey())
    if (!key) throw new Error('no key')
    const nonces = new Set<string>()
    for (let i = 0; i < 2000; i++) {
      const sealed = seal(key, 'acct', `secret ${String(i % 3)}`)
      nonces.add(Buffer.from(sealed.slice(3), 'base64url').subarray(0, 12).toString('hex'))
      expect(open(key, 'acct', sealed)).toBe(`secret ${String(i % 3)}`)
    }
    expect(nonces.size).toBe(2000)
  })
})
