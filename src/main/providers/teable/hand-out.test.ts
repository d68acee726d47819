/** What `latchkey token` hands out for a Teable account: the personal access token, never the cookie session. */
import { describe, expect, it } from 'vitest'
import { AppError } from '../../core/errors.ts'
import { cookieSession, tokenSession } from './credentials.ts'
import { readTeableSettings } from './config.ts'
import { teableHandOut } from './hand-out.ts'

const PAT = 'teable_accAbC123_c2lnbmF0dXJl'
const COOKIE = 'auth_session=s%3Aabcdef.signature'
const settings = readTeableSettings({ url: 'https://teable.example.test' })
const identity = { subject: 'usr1', name: 'Alice', email: 'alice@example.test' }

describe('Teable token hand-out', () => {
  it('hands out the personal access token of a signed-in account, never its cookie', () => {
    const account = { config: { url: 'https://teable.example.test', token: PAT }, session: cookieSession(COOKIE, settings, Date.now()), identity, label: 'Alice' }
    const handed = teableHandOut(account, { idToken: false, role: null })
    expect(handed).toEqual({ token: PAT, expiresAt: null, kind: 'personal access token' })
  })

  it('gives a token-only account its token with the expiry it was listed with', () => {
    const expiresAt = Date.now() + 86_400_000
    const account = { config: { url: 'https://teable.example.test', token: PAT }, session: tokenSession(PAT, expiresAt, ['table|read'], Date.now()), identity, label: 'Alice' }
    expect(teableHandOut(account, { idToken: false, role: null }).expiresAt).toBe(expiresAt)
  })

  it('gives a signed-in account’s token the expiry Latchkey keeps with it, and none when it does not know one', () => {
    const config = { url: 'https://teable.example.test', token: PAT, tokenExpiresAt: '2031-05-01T12:00:00.000Z' }
    const account = { config, session: cookieSession(COOKIE, settings, Date.now()), identity, label: 'Alice' }
    expect(teableHandOut(account, { idToken: false, role: null }).expiresAt).toBe(Date.parse('2031-05-01T12:00:00.000Z'))
    const other = { ...account, config: { ...config, tokenExpiresAt: 'not a date' } }
    expect(teableHandOut(other, { idToken: false, role: null }).expiresAt).toBeNull()
  })

  it('refuses, saying how to get one, when the account holds no personal access token', () => {
    const account = { config: { url: 'https://teable.example.test' }, session: cookieSession(COOKIE, settings, Date.now()), identity, label: 'Alice' }
    expect(() => teableHandOut(account, { idToken: false, role: null })).toThrow(AppError)
    expect(() => teableHandOut(account, { idToken: false, role: null })).toThrow(/Create or paste one/)
    expect(() => teableHandOut({ ...account, config: { ...account.config, token: PAT } }, { idToken: true, role: null })).toThrow(/no ID token/)
  })
})
