import type { IncomingMessage } from 'node:http'
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { readBodyUpTo } from './request-body.ts'

/** A request whose body comes in `chunks`. */
function request(chunks: string[]): IncomingMessage {
  return Readable.from(chunks.map((chunk) => Buffer.from(chunk))) as unknown as IncomingMessage
}

describe('readBodyUpTo', () => {
  it('gives the whole body, in order, up to the limit itself', async () => {
    expect((await readBodyUpTo(request(['ab', 'cd', 'e']), 5))?.toString()).toBe('abcde')
    expect((await readBodyUpTo(request([]), 5))?.length).toBe(0)
  })

  it('gives nothing for a body past the limit, and stops reading it there', async () => {
    // A body that never ends: waiting for its end would never answer.
    const body = new Readable({ read: () => undefined })
    for (const chunk of ['ab', 'cd', 'ef']) body.push(Buffer.from(chunk))
    expect(await readBodyUpTo(body as unknown as IncomingMessage, 5)).toBeUndefined()
    expect(body.destroyed).toBe(true)
  })
})
