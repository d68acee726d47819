/** Reading a request's body in the emulators, each of which refuses one past its own size limit in its own words. */
import type { IncomingMessage } from 'node:http'

/** The whole body, or undefined as soon as it passes `maxBytes` (the rest is not read). */
export async function readBodyUpTo(request: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > maxBytes) return undefined
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}
