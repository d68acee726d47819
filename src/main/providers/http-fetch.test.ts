import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { gzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { closeServer } from '../../dev/close-server.ts'
import { listenOnLoopback } from '../../dev/listen.ts'
import { httpFetch } from './http-fetch.ts'

interface Seen {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}

interface TestServer {
  url: string
  seen: Seen[]
  connections: number
  server: Server
}

const servers: Server[] = []

afterEach(async () => {
  await Promise.all(servers.splice(0).map(closeServer))
})

/** A server on 127.0.0.1 that records what arrives and answers with `handle`. */
async function serve(handle: (request: IncomingMessage, response: ServerResponse, seen: Seen) => void): Promise<TestServer> {
  const server = createServer()
  const state: TestServer = { url: '', seen: [], connections: 0, server }
  server.on('connection', () => {
    state.connections++
  })
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const seen = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('latin1') }
      state.seen.push(seen)
      handle(request, response, seen)
    })
  })
  state.url = await listenOnLoopback(server)
  servers.push(server)
  return state
}

const ok = (_request: IncomingMessage, response: ServerResponse): void => {
  response.end('ok')
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection')
}

describe('httpFetch requests', () => {
  it('sends the method and each kind of body as fetch encodes it', async () => {
    const server = await serve(ok)
    await httpFetch(`${server.url}/text`, { method: 'POST', body: 'plain words' })
    await httpFetch(`${server.url}/form`, { method: 'PUT', body: new URLSearchParams({ a: '1', b: 'x y' }) })
    const form = new FormData()
    form.append('name', 'Ada')
    form.append('avatar', new File([new Uint8Array([1, 2, 3])], 'a.png', { type: 'image/png' }))
    await httpFetch(`${server.url}/multipart`, { method: 'PATCH', body: form })
    await httpFetch(`${server.url}/blob`, { method: 'POST', body: new Blob(['{"a":1}'], { type: 'application/json' }) })
    await httpFetch(`${server.url}/bytes`, { method: 'POST', body: new Uint8Array([104, 105]) })
    await httpFetch(new Request(`${server.url}/request`, { method: 'DELETE', headers: { 'x-one': 'yes' } }))
    await httpFetch(new URL(`${server.url}/empty`), { method: 'POST' })

    const [text, params, multipart, blob, bytes, request, empty] = server.seen
    expect(text).toMatchObject({ method: 'POST', url: '/text', body: 'plain words', headers: { 'content-type': 'text/plain;charset=UTF-8', 'content-length': '11' } })
    expect(params).toMatchObject({ method: 'PUT', body: 'a=1&b=x+y', headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' } })
    const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(multipart?.headers['content-type'] ?? '')?.[1]
    expect(boundary).toBeDefined()
    expect(multipart?.method).toBe('PATCH')
    expect(multipart?.body).toContain(`--${boundary ?? ''}\r\nContent-Disposition: form-data; name="name"\r\n\r\nAda\r\n`)
    expect(multipart?.body).toContain('Content-Disposition: form-data; name="avatar"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n\x01\x02\x03\r\n')
    expect(multipart?.headers['content-length']).toBe(String(Buffer.byteLength(multipart?.body ?? '', 'latin1')))
    expect(blob).toMatchObject({ body: '{"a":1}', headers: { 'content-type': 'application/json' } })
    expect(bytes).toMatchObject({ body: 'hi', headers: { 'content-length': '2' } })
    expect(bytes?.headers['content-type']).toBeUndefined()
    expect(request).toMatchObject({ method: 'DELETE', url: '/request', headers: { 'x-one': 'yes' } })
    expect(empty).toMatchObject({ method: 'POST', body: '', headers: { 'content-length': '0' } })
  })

  it('refuses a body on GET as fetch does', async () => {
    const server = await serve(ok)
    await expect(httpFetch(server.url, { method: 'GET', body: 'x' })).rejects.toBeInstanceOf(TypeError)
    expect(server.seen).toHaveLength(0)
  })

  it('reuses one kept-alive connection for sequential requests', async () => {
    const server = await serve(ok)
    for (let i = 0; i < 3; i++) expect(await (await httpFetch(`${server.url}/${String(i)}`)).text()).toBe('ok')
    expect(server.seen).toHaveLength(3)
    expect(server.connections).toBe(1)
  })
})

describe('httpFetch answers', () => {
  it('gives the status, status text, repeated headers, url and body', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(418, 'Short And Stout', [['Set-Cookie', 'a=1; Path=/'], ['Set-Cookie', 'b=2; Path=/'], ['X-Many', 'one'], ['X-Many', 'two'], ['Content-Type', 'application/json']])
      response.end('{"teapot":true}')
    })
    const response = await httpFetch(`${server.url}/pot#part`)
    expect(response).toBeInstanceOf(Response)
    expect(response.status).toBe(418)
    expect(response.statusText).toBe('Short And Stout')
    expect(response.ok).toBe(false)
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/'])
    expect(response.headers.get('x-many')).toBe('one, two')
    expect(response.url).toBe(`${server.url}/pot`)
    expect(response.redirected).toBe(false)
    expect(await response.json()).toEqual({ teapot: true })
  })

  it.each([204, 205, 304])('gives a null body for %i', async (status) => {
    const server = await serve((_request, response) => {
      response.writeHead(status)
      response.end()
    })
    const response = await httpFetch(server.url)
    expect(response.status).toBe(status)
    expect(response.body).toBeNull()
  })

  it('gives a null body for HEAD', async () => {
    const server = await serve((_request, response) => {
      response.setHeader('content-length', '5')
      response.end()
    })
    const response = await httpFetch(server.url, { method: 'HEAD' })
    expect(response.body).toBeNull()
    expect(response.headers.get('content-length')).toBe('5')
  })

  it('decodes a gzip answer', async () => {
    const server = await serve((request, response) => {
      response.setHeader('content-encoding', 'gzip')
      response.end(gzipSync(`zipped for ${request.headers['accept-encoding'] ?? ''}`))
    })
    expect(await (await httpFetch(server.url)).text()).toBe('zipped for gzip, deflate, br')
  })

  it('refuses an answer larger than the caller takes', async () => {
    const server = await serve((_request, response) => {
      response.end('x'.repeat(2000))
    })
    const error = await rejection(httpFetch(server.url, { maxResponseBytes: 1000 }))
    expect(error).toBeInstanceOf(TypeError)
    expect(((error as TypeError).cause as Error).message).toMatch(/larger than/)
    expect(await (await httpFetch(server.url, { maxResponseBytes: 2000 })).text()).toHaveLength(2000)
  })
})

describe('httpFetch redirects', () => {
  it('follows a 303 after a POST as a GET without the body', async () => {
    const server = await serve((request, response, seen) => {
      if (request.url === '/start') response.writeHead(303, { location: '/done' }).end()
      else response.end(`${seen.method} ${seen.body}`)
    })
    const response = await httpFetch(`${server.url}/start`, { method: 'POST', body: 'secret form' })
    expect(await response.text()).toBe('GET ')
    expect(response.url).toBe(`${server.url}/done`)
    expect(response.redirected).toBe(true)
    expect(server.seen[1]?.headers['content-type']).toBeUndefined()
  })

  it('keeps the method and body through a 307', async () => {
    const server = await serve((request, response, seen) => {
      if (request.url === '/start') response.writeHead(307, { location: '/done' }).end()
      else response.end(`${seen.method} ${seen.body}`)
    })
    expect(await (await httpFetch(`${server.url}/start`, { method: 'POST', body: 'kept' })).text()).toBe('POST kept')
  })

  it('drops authorization and cookie on a hop to another origin, keeps them on the same one', async () => {
    const other = await serve(ok)
    const server = await serve((request, response) => {
      if (request.url === '/here') response.writeHead(302, { location: '/there' }).end()
      else if (request.url === '/there') response.writeHead(302, { location: `${other.url}/away` }).end()
    })
    const response = await httpFetch(`${server.url}/here`, { headers: { authorization: 'Bearer t', cookie: 'c=1', 'x-kept': 'k' } })
    expect(response.url).toBe(`${other.url}/away`)
    expect(server.seen[1]?.headers).toMatchObject({ authorization: 'Bearer t', cookie: 'c=1' })
    expect(other.seen[0]?.headers.authorization).toBeUndefined()
    expect(other.seen[0]?.headers.cookie).toBeUndefined()
    expect(other.seen[0]?.headers['x-kept']).toBe('k')
  })

  it('gives the 3xx itself with redirect manual, and rejects with redirect error', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(302, { location: '/next?code=abc' }).end('moved')
    })
    const manual = await httpFetch(`${server.url}/start`, { redirect: 'manual' })
    expect(manual.status).toBe(302)
    expect(manual.headers.get('location')).toBe('/next?code=abc')
    expect(await manual.text()).toBe('moved')
    expect(server.seen).toHaveLength(1)
    await expect(httpFetch(`${server.url}/start`, { redirect: 'error' })).rejects.toThrow(TypeError)
    expect(server.seen).toHaveLength(2)
  })

  it('stops after 20 redirects', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(302, { location: '/again' }).end()
    })
    await expect(httpFetch(server.url)).rejects.toThrow(TypeError)
    expect(server.seen).toHaveLength(21)
  })
})

describe('httpFetch failures', () => {
  it('rejects with the reason of a signal aborted before the request, without connecting', async () => {
    const server = await serve(ok)
    const controller = new AbortController()
    controller.abort(new Error('given up'))
    await expect(httpFetch(server.url, { signal: controller.signal })).rejects.toThrow('given up')
    expect(server.connections).toBe(0)
  })

  it('rejects with the reason of a signal aborted during the request, and ends the request', async () => {
    let closed: Promise<void> = Promise.resolve()
    const server = await serve((request) => {
      closed = new Promise((resolve) => request.socket.on('close', () => resolve()))
    })
    const controller = new AbortController()
    const pending = httpFetch(server.url, { method: 'POST', body: 'x', signal: controller.signal })
    await expect.poll(() => server.seen.length).toBe(1)
    controller.abort()
    const error = await rejection(pending)
    expect(error).toBeInstanceOf(DOMException)
    expect((error as DOMException).name).toBe('AbortError')
    await closed
  })

  it('rejects a timeout with a TimeoutError', async () => {
    const server = await serve(() => undefined)
    const error = await rejection(httpFetch(server.url, { signal: AbortSignal.timeout(50) }))
    expect((error as DOMException).name).toBe('TimeoutError')
  })

  it('gives every request a deadline, on top of the caller\'s own signal', async () => {
    const server = await serve(() => {
      // Never answers.
    })
    const caller = new AbortController()
    const error = await rejection(httpFetch(server.url, { signal: caller.signal, timeoutMs: 50 }))
    expect((error as DOMException).name).toBe('TimeoutError')
    expect(caller.signal.aborted).toBe(false)
  })

  it('rejects a refused connection with TypeError("fetch failed") and the cause', async () => {
    const server = await serve(ok)
    const url = server.url
    await new Promise((resolve) => server.server.close(resolve))
    const error = await rejection(httpFetch(url))
    expect(error).toBeInstanceOf(TypeError)
    expect((error as TypeError).message).toBe('fetch failed')
    expect(((error as TypeError).cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED')
  })

  it('rejects an answer cut off mid-body with TypeError and a cause', async () => {
    const server = await serve((request, response) => {
      response.writeHead(200, { 'content-length': '100' })
      response.write('only part', () => {
        request.socket.resetAndDestroy()
      })
    })
    const error = await rejection(httpFetch(server.url))
    expect(error).toBeInstanceOf(TypeError)
    expect((error as TypeError).message).toBe('fetch failed')
    expect((error as TypeError).cause).toBeInstanceOf(Error)
  })

  /** A server that hangs up, without an answer, on the second request of any connection (as on a kept-alive one it had timed out). */
  async function hangsUpOnReuse(): Promise<TestServer> {
    const requestsOn = new WeakMap<object, number>()
    return serve((request, response) => {
      const count = (requestsOn.get(request.socket) ?? 0) + 1
      requestsOn.set(request.socket, count)
      if (count > 1) request.socket.destroy()
      else response.end('ok')
    })
  }

  it('sends a GET once more on a new connection when a kept-alive one turns out closed', async () => {
    const server = await hangsUpOnReuse()
    expect(await (await httpFetch(`${server.url}/first`)).text()).toBe('ok')
    const response = await httpFetch(`${server.url}/second`)
    expect(await response.text()).toBe('ok')
    expect(server.seen.map((seen) => seen.url)).toEqual(['/first', '/second', '/second'])
    expect(server.connections).toBe(2)
  })

  it('never sends a GET marked once twice (one that uses something up, as hasura-backend-plus\'s refresh)', async () => {
    const server = await hangsUpOnReuse()
    expect(await (await httpFetch(`${server.url}/first`)).text()).toBe('ok')
    expect(await rejection(httpFetch(`${server.url}/token/refresh`, { once: true }))).toBeInstanceOf(TypeError)
    expect(server.seen.map((seen) => seen.url)).toEqual(['/first', '/token/refresh'])
  })

  it('never sends a POST twice: a kept-alive connection that turns out closed fails it', async () => {
    const server = await hangsUpOnReuse()
    expect(await (await httpFetch(`${server.url}/first`)).text()).toBe('ok')
    const error = await rejection(httpFetch(`${server.url}/refresh`, { method: 'POST', body: 'refresh_token=once' }))
    expect(error).toBeInstanceOf(TypeError)
    expect(server.seen.map((seen) => seen.url)).toEqual(['/first', '/refresh'])
  })
})
