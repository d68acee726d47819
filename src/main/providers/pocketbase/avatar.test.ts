import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import PocketBase from 'pocketbase'
import type { RecordModel } from 'pocketbase'
import { afterEach, describe, expect, it } from 'vitest'
import { readAtMost } from '../picture.ts'
import { AVATAR_MAX_BYTES, avatarPreview } from './avatar.ts'
import type { PocketBaseClient } from './client.ts'

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])
const record = { id: 'r1', collectionId: 'c1', collectionName: 'users', avatar: 'me.png' } as unknown as RecordModel

let server: Server | undefined
afterEach(() => server?.close())

/** A file server whose one picture is `send`; it counts the bytes it managed to write. */
async function fileServer(send: (write: (chunk: Buffer) => boolean, end: () => void, declare: (length: number) => void) => void) {
  const sent = { bytes: 0 }
  server = createServer((_request, response) => {
    const write = (chunk: Buffer): boolean => {
      sent.bytes += chunk.length
      return response.write(chunk)
    }
    send(write, () => response.end(), (length) => response.setHeader('content-length', String(length)))
  })
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`
  const client = { pb: new PocketBase(url) } as unknown as PocketBaseClient
  return { client, sent }
}

describe('the avatar preview', () => {
  it('shows a picture within the limit', async () => {
    const { client } = await fileServer((write, end) => {
      write(PNG)
      end()
    })
    expect(await avatarPreview(client, record)).toBe(`data:image/png;base64,${PNG.toString('base64')}`)
  })

  it('stops reading a picture that streams past the limit, and shows none', async () => {
    const chunk = Buffer.alloc(64 * 1024, 1)
    let sent = 0
    server = createServer((_request, response) => {
      response.write(PNG)
      // A server that would send 50 times the limit if the reader let it.
      const pump = (): void => {
        while (sent < 50 * AVATAR_MAX_BYTES) {
          sent += chunk.length
          if (!response.write(chunk)) return
        }
        response.end()
      }
      response.on('drain', pump)
      response.on('error', () => undefined)
      pump()
    })
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
    const client = { pb: new PocketBase(`http://127.0.0.1:${String((server.address() as AddressInfo).port)}`) } as unknown as PocketBaseClient
    expect(await avatarPreview(client, record)).toBeNull()
    expect(sent).toBeLessThan(4 * AVATAR_MAX_BYTES)
  })

  it('does not start reading a picture whose declared size is over the limit', async () => {
    const { client } = await fileServer((write, _end, declare) => {
      declare(AVATAR_MAX_BYTES + 1)
      write(PNG)
    })
    expect(await avatarPreview(client, record)).toBeNull()
  })

  it('reads a stream up to the limit and no further', async () => {
    const stream = (sizes: number[]) =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const size of sizes) controller.enqueue(new Uint8Array(size))
          controller.close()
        },
      })
    expect((await readAtMost(stream([3, 4]), 7))?.length).toBe(7)
    expect(await readAtMost(stream([3, 5]), 7)).toBeNull()
  })
})
