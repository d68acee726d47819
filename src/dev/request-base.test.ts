import { ServerResponse } from 'node:http'
import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { clientIp, requestBase } from './request-base.ts'

function incoming(fields: { method?: string; url?: string; remoteAddress?: string }): IncomingMessage {
  return { method: fields.method, url: fields.url, socket: { remoteAddress: fields.remoteAddress } } as unknown as IncomingMessage
}

describe('requestBase', () => {
  it('gives the method, the address with its query, and no path parameters yet', () => {
    const req = incoming({ method: 'POST', url: '/api/x?fields=id' })
    const res = new ServerResponse(req)
    const base = requestBase(req, res)
    expect(base.req).toBe(req)
    expect(base.res).toBe(res)
    expect(base.method).toBe('POST')
    expect(base.url.pathname).toBe('/api/x')
    expect(base.url.searchParams.get('fields')).toBe('id')
    expect(base.params).toEqual({})
  })

  it('takes a request without a method or address as a GET of /', () => {
    const req = incoming({})
    const base = requestBase(req, new ServerResponse(req))
    expect(base.method).toBe('GET')
    expect(base.url.pathname).toBe('/')
  })
})

describe('clientIp', () => {
  it('gives an IPv4 caller without its IPv6 prefix, and an IPv6 one as it is', () => {
    expect(clientIp(incoming({ remoteAddress: '::ffff:127.0.0.1' }))).toBe('127.0.0.1')
    expect(clientIp(incoming({ remoteAddress: '::1' }))).toBe('::1')
    expect(clientIp(incoming({}))).toBe('')
  })
})
