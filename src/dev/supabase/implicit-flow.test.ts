/**
 * The implicit flow (a client that sends no PKCE challenge): the emailed link's /verify redirects
 * with the new session in the address's fragment, as GoTrue's does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSupabaseEmulator, type SupabaseEmulator } from './server.ts'

let emulator: SupabaseEmulator
beforeAll(async () => {
  emulator = await startSupabaseEmulator({ users: [{ email: 'ada@example.test', password: 'lovelace-1815' }] })
})
afterAll(() => emulator.stop())

describe('the implicit flow', () => {
  it('hands the session over in the fragment of the address the magic link returns to', async () => {
    const headers = { apikey: emulator.anonKey, 'content-type': 'application/json' }
    const back = 'http://127.0.0.1:9/welcome'
    const sent = await fetch(`${emulator.url}/otp?redirect_to=${encodeURIComponent(back)}`, { method: 'POST', headers, body: JSON.stringify({ email: 'ada@example.test' }) })
    expect(sent.status).toBe(200)
    const link = /Link: (\S+)/.exec(emulator.mails().at(-1)?.text ?? '')?.[1] ?? ''
    const answer = await fetch(link, { redirect: 'manual' })
    expect(answer.status).toBe(303)
    const target = new URL(answer.headers.get('location') ?? '')
    expect(target.origin + target.pathname).toBe(back)
    const fields = new URLSearchParams(target.hash.slice(1))
    expect([...fields.keys()]).toEqual(['access_token', 'expires_at', 'expires_in', 'refresh_token', 'token_type', 'type'])
    expect(fields.get('token_type')).toBe('bearer')
    expect(fields.get('type')).toBe('magiclink')
    expect(fields.get('expires_in')).toBe('3600')
    expect(emulator.issuedTokens()).toEqual(expect.arrayContaining([fields.get('access_token'), fields.get('refresh_token')]))
  })
})
