import { createServer } from 'node:http'
import { connect, type AddressInfo, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { getWithHost } from '../../../dev/raw-get.ts'
import { isAppError } from '../errors.ts'
import { FakeClock } from '../testing/fake-clock.ts'
import { LOOPBACK_LIMITS, MAX_PENDING_SIGN_INS, openLoopback } from './loopback.ts'
import type { LoopbackOptions, LoopbackReceiver } from './loopback.ts'

const STATE = 'the-state-of-this-attempt'
const opened: LoopbackReceiver[] = []
async function open(options?: Partial<LoopbackOptions>): Promise<LoopbackReceiver> {
  const receiver = await openLoopback({ state: STATE, ...options })
  opened.push(receiver)
  return receiver
}

afterEach(() => {
  for (const receiver of opened.splice(0)) receiver.close()
})

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => error,
  )
}

describe('openLoopback', () => {
  it('listens on 127.0.0.1 with an ephemeral port and the default path', async () => {
    const receiver = await open()
    expect(receiver.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/)
    expect(new URL(receiver.redirectUri).port).not.toBe('0')
  })

  it('settles with the full URL of the first GET on the path and answers a plain page', async () => {
    const receiver = await open()
    const response = await fetch(`${receiver.redirectUri}?code=abc&state=${STATE}`)
    const url = await receiver.callback
    expect(url.searchParams.get('code')).toBe('abc')
    expect(url.searchParams.get('state')).toBe(STATE)
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('You can close this tab and return to Latchkey.')
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'")
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('referrer-policy')).toBe('no-referrer')
  })

  it('keeps the first answer: a later redirect is refused or answered 404', async () => {
    const receiver = await open()
    await fetch(`${receiver.redirectUri}?code=first&state=${STATE}`)
    const second = await fetch(`${receiver.redirectUri}?code=second&state=${STATE}`).then(
      (response) => response.status,
      () => 'refused',
    )
    expect(second === 'refused' || second === 404).toBe(true)
    expect((await receiver.callback).searchParams.get('code')).toBe('first')
  })

  it('answers 404 on other paths and keeps waiting', async () => {
    const receiver = await open({ path: '/cb' })
    const origin = new URL(receiver.redirectUri).origin
    expect((await fetch(`${origin}/favicon.ico`)).status).toBe(404)
    expect((await fetch(`${origin}/callback?code=x&state=${STATE}`)).status).toBe(404)
    await fetch(`${origin}/cb?code=real&state=${STATE}`)
    expect((await receiver.callback).searchParams.get('code')).toBe('real')
  })

  it('survives a request line that is not a URL and keeps waiting', async () => {
    const receiver = await open()
    const { port } = new URL(receiver.redirectUri)
    const status = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.end('GET http://[ HTTP/1.1\r\nHost: x\r\n\r\n'))
      let answer = ''
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString()))
      socket.on('end', () => resolve(answer.split('\r\n')[0] ?? ''))
      socket.on('error', reject)
    })
    expect(status).toMatch(/^HTTP\/1\.1 (400|404)/)
    await fetch(`${receiver.redirectUri}?code=still-here&state=${STATE}`)
    expect((await receiver.callback).searchParams.get('code')).toBe('still-here')
  })

  it('answers 400 to a callback with a wrong or missing state and keeps waiting for the right one', async () => {
    const receiver = await open()
    const wrong = await fetch(`${receiver.redirectUri}?code=someone-elses&state=forged`)
    expect(wrong.status).toBe(400)
    expect(await wrong.text()).toContain('does not belong to the sign-in')
    expect((await fetch(`${receiver.redirectUri}?code=no-state`)).status).toBe(400)
    expect((await fetch(`${receiver.redirectUri}?code=two&state=forged&state=${STATE}`)).status).toBe(400)
    const right = await fetch(`${receiver.redirectUri}?code=mine&state=${STATE}`)
    expect(right.status).toBe(200)
    expect((await receiver.callback).searchParams.get('code')).toBe('mine')
  })

  it('answers 400 to a callback addressed to another host name (DNS rebinding) and keeps waiting', async () => {
    const receiver = await open()
    const { port } = new URL(receiver.redirectUri)
    const target = `${receiver.redirectUri}?code=rebound&state=${STATE}`
    expect(await getWithHost(target, `localhost:${port}`)).toBe(400)
    expect(await getWithHost(target, `evil.example:${port}`)).toBe(400)
    expect(await getWithHost(target, '127.0.0.1')).toBe(400)
    expect(await getWithHost(target, `127.0.0.1:${port}`)).toBe(200)
    expect((await receiver.callback).searchParams.get('code')).toBe('rebound')
  })

  it('refuses to open more receivers than the cap on pending sign-ins, with a clear message', async () => {
    for (let index = 0; index < MAX_PENDING_SIGN_INS; index += 1) await open({ state: `s${String(index)}` })
    const error = await rejection(openLoopback({ state: 'one-too-many' }))
    expect(isAppError(error, 'RATE_LIMITED')).toBe(true)
    expect((error as Error).message).toBe(
      `${String(MAX_PENDING_SIGN_INS)} sign-ins are already waiting for the browser. Finish or cancel one of them, then try again.`,
    )
    // Closing one makes room again.
    opened.pop()?.close()
    await open({ state: 'room-again' })
  })

  it('caps connections and cuts off clients that never finish their request, then still answers', async () => {
    const receiver = await open()
    const { port } = new URL(receiver.redirectUri)
    const extra = 8
    const sockets: Socket[] = []
    const closed: Promise<void>[] = []
    let closedCount = 0
    for (let index = 0; index < LOOPBACK_LIMITS.maxConnections + extra; index += 1) {
      const socket = connect(Number(port), '127.0.0.1')
      socket.on('error', () => undefined)
      // A request that never ends its headers.
      socket.write('GET /callback HTTP/1.1\r\nHost: 127.0.0.1\r\n')
      closed.push(new Promise((resolve) => socket.once('close', () => resolve())))
      socket.once('close', () => (closedCount += 1))
      sockets.push(socket)
    }
    // Over the cap, the server drops connections at once; the others wait for their timeout.
    await expect.poll(() => closedCount).toBeGreaterThanOrEqual(extra)
    expect(closedCount).toBe(extra)
    for (const socket of sockets) socket.destroy()
    await Promise.all(closed)
    await fetch(`${receiver.redirectUri}?code=after-flood&state=${STATE}`)
    expect((await receiver.callback).searchParams.get('code')).toBe('after-flood')
  })

  it('says sign-in did not complete on an error, in a sentence, and echoes nothing the server sent', async () => {
    const receiver = await open()
    const response = await fetch(`${receiver.redirectUri}?state=${STATE}&error=${encodeURIComponent('<script>x</script>')}`)
    const html = await response.text()
    expect(html).toContain('did not complete')
    expect(html).toContain('The sign-in server stopped the sign-in.')
    expect(html).not.toMatch(/script/)
    await receiver.callback
  })

  it('explains access_denied in one sentence instead of showing the code', async () => {
    const receiver = await open()
    const html = await (await fetch(`${receiver.redirectUri}?error=access_denied&state=${STATE}`)).text()
    expect(html).toContain('The sign-in was declined, at your request or by the sign-in server.')
    expect(html).not.toContain('access_denied')
    await receiver.callback
  })

  it('times out with AUTH_TIMEOUT and stops listening', async () => {
    const clock = new FakeClock()
    const receiver = await open({ clock, timeoutMs: 300_000 })
    await clock.advance(300_000)
    const error = await rejection(receiver.callback)
    expect(isAppError(error, 'AUTH_TIMEOUT')).toBe(true)
    expect((error as Error).message).toBe('The browser sign-in was not completed within 5 minutes.')
    await expect(fetch(`${receiver.redirectUri}?code=late&state=${STATE}`)).rejects.toThrow()
  })

  it('rejects with AUTH_CANCELLED when closed before an answer', async () => {
    const receiver = await open()
    receiver.close()
    expect(isAppError(await rejection(receiver.callback), 'AUTH_CANCELLED')).toBe(true)
    await expect(fetch(receiver.redirectUri)).rejects.toThrow()
  })

  it('reports PORT_IN_USE naming a pinned port that is taken', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as AddressInfo).port
    try {
      const error = await rejection(openLoopback({ state: STATE, port }))
      expect(isAppError(error, 'PORT_IN_USE')).toBe(true)
      expect((error as Error).message).toContain(String(port))
    } finally {
      blocker.close()
    }
  })

  it('uses a pinned port when it is free', async () => {
    const probe = createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const port = (probe.address() as AddressInfo).port
    await new Promise((resolve) => probe.close(resolve))
    const receiver = await open({ port, path: '/oauth/done' })
    expect(receiver.redirectUri).toBe(`http://127.0.0.1:${String(port)}/oauth/done`)
  })
})

describe('a server that cannot carry the state back', () => {
  it('ends the wait only for a callback the caller says belongs, still only on 127.0.0.1:<port>', async () => {
    const receiver = await openLoopback({ state: 'unused-state-value', path: '/back', belongs: (url) => url.searchParams.get('token') === 'ok' })
    try {
      const base = receiver.redirectUri
      expect((await fetch(`${base}?state=unused-state-value`)).status).toBe(400)
      expect((await fetch(`${base}?token=wrong`)).status).toBe(400)
      const port = new URL(base).port
      expect(await getWithHost(`${base}?token=ok`, `localhost:${port}`)).toBe(400)
      expect((await fetch(`${base}?token=ok`)).status).toBe(200)
      expect((await receiver.callback).searchParams.get('token')).toBe('ok')
    } finally {
      receiver.close()
    }
  })
})
