/**
 * The server's own password-encryption key pair. Clients fetch the public half from
 * GET /api/v2/.well-known and send passwords RSA-encrypted with it (PKCS#1 v1.5, base64), as
 * authing-js-sdk 4.x does with jsencrypt and authing-py-sdk with `rsa`. A password encrypted with
 * any other key (the one the Python SDK embeds, say) fails with 2016.
 */
import { constants, generateKeyPairSync, privateDecrypt } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { E } from './errors.ts'

export class PasswordKey {
  readonly publicKeyPem: string
  readonly #privateKey: KeyObject

  constructor() {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 })
    this.publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString()
    this.#privateKey = privateKey
  }

  decrypt(encrypted: string): string {
    try {
      const plain = privateDecrypt({ key: this.#privateKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(encrypted, 'base64'))
      const text = plain.toString('utf8')
      // Implicit rejection turns a wrong key into random bytes rather than an error: refuse those too.
      if (text === '' || text.includes('\uFFFD') || /\p{Cc}/u.test(text)) throw new Error('not a password')
      return text
    } catch {
      throw E.decrypt()
    }
  }
}
