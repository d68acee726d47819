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
    let text: string
    try {
      // Node answers a PKCS#1 v1.5 padding error with random bytes (implicit rejection), so a wrong
      // key would only sometimes be caught; take the raw RSA result and check the padding here
      // (0x00 0x02, at least 8 non-zero bytes, 0x00, the message), as a server without implicit
      // rejection does.
      const raw = privateDecrypt({ key: this.#privateKey, padding: constants.RSA_NO_PADDING }, Buffer.from(encrypted, 'base64'))
      const end = raw.indexOf(0, 2)
      if (raw[0] !== 0 || raw[1] !== 2 || end < 10) throw new Error('bad padding')
      text = new TextDecoder('utf-8', { fatal: true }).decode(raw.subarray(end + 1))
    } catch {
      throw E.decrypt()
    }
    if (text === '' || /\p{Cc}/u.test(text)) throw E.decrypt()
    return text
  }
}
