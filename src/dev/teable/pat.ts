/**
 * Personal access tokens as Teable makes them (access-token.encryptor.ts): `teable_<id>_<sign>`,
 * the sign AES-128-CBC encrypted as base64 JSON. A token whose last part does not decrypt makes
 * the server throw (500), as the real one does.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

export class PatCodec {
  #key: Buffer = randomBytes(16)
  #iv: Buffer = randomBytes(16)

  /** The encryption key and iv, which a restart keeps so the tokens it issued stay valid (the demo). */
  get keys(): { key: Buffer; iv: Buffer } {
    return { key: this.#key, iv: this.#iv }
  }

  set keys(saved: { key: Buffer; iv: Buffer }) {
    this.#key = saved.key
    this.#iv = saved.iv
  }

  encode(id: string, sign: string): string {
    const cipher = createCipheriv('aes-128-cbc', this.#key, this.#iv)
    const encrypted = Buffer.concat([cipher.update(JSON.stringify({ sign }), 'utf8'), cipher.final()]).toString('base64')
    return `teable_${id}_${encrypted}`
  }

  /** null when it is not a Teable token at all; throws when its sign cannot be decrypted. */
  decode(token: string): { id: string; sign: string } | null {
    const [prefix, id, encrypted] = token.split('_')
    if (id === undefined || id === '' || prefix !== 'teable') return null
    const decipher = createDecipheriv('aes-128-cbc', this.#key, this.#iv)
    const text = Buffer.concat([decipher.update(Buffer.from(encrypted ?? '', 'base64')), decipher.final()]).toString('utf8')
    const parsed = JSON.parse(text) as { sign?: unknown }
    if (typeof parsed.sign !== 'string') throw new Error('no sign')
    return { id, sign: parsed.sign }
  }
}
