import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { signApiKey } from '../../../dev/supabase/jwt.ts'
import { RefreshRejectedError, TransientError } from '../../core/errors.ts'
import { systemClock } from '../../core/ports.ts'
import { recordingLogger } from '../../core/testing/recording-logger.ts'
import { createSupabaseProvider } from './provider.ts'
import type { Session } from '../../core/sessions/session.ts'
import { failure, leaked, signInWithPassword, TARGETS, useTarget } from './test-targets.ts'
import type { Harness } from './test-targets.ts'
import { untilNextSecond, untilPast } from '../testing/server-clock.ts'

const REUSE_INTERVAL_SECONDS = 1

async function refresh(harness: Harness, session: Session): Promise<Session> {
  const { session: next } = await harness.provider.refresh(harness.config, session, harness.ctx)
  harness.secrets.add(next.accessToken)
  if (next.refreshToken !== null) harness.secrets.add(next.refreshToken)
  return next
}


describe.each(TARGETS)('Supabase refresh against the $name', (target) => {
  const harness = useTarget(target, { reuseIntervalSeconds: REUSE_INTERVAL_SECONDS, jwtExpSeconds: 60 })

  it('rotates: a new refresh token and a new access token that works', async () => {
    const person = await harness.person()
    const { session } = await signInWithPassword(harness, person)
    // A token issued in the same second as the first (iat, exp) would be the same token.
    await untilNextSecond(Date.now())
    const next = await refresh(harness, session)
    expect(next.refreshToken).not.toBe(session.refreshToken)
    expect(next.accessToken).not.toBe(session.accessToken)
    expect(next.expiresAt).toBeGreaterThan(session.expiresAt ?? Infinity)
    await refresh(harness, next)
  })

  it('crash recovery: the answer was lost before it was saved; the old token (the immediate parent) still renews', async () => {
    const person = await harness.person()
    const { session } = await signInWithPassword(harness, person)
    // The server answered, but the process died before the keychain write: the answer is lost.
    const lost = await refresh(harness, session)
    await untilPast(Date.now(), REUSE_INTERVAL_SECONDS)
    // After the restart, the saved (old) token is presented again, well past the reuse interval.
    const recovered = await refresh(harness, session)
    expect(recovered.refreshToken).toBe(lost.refreshToken)
    // …and the session goes on normally.
    const onwards = await refresh(harness, recovered)
    expect(onwards.refreshToken).not.toBe(recovered.refreshToken)
  })

  it('an older token used again ends the whole session (reuse detection), in words a person understands', async () => {
    const person = await harness.person()
    const { session } = await signInWithPassword(harness, person)
    const second = await refresh(harness, session)
    const third = await refresh(harness, second)
    // Past the interval since the first token was used (it was revoked then).
    await untilPast(Date.now(), REUSE_INTERVAL_SECONDS)
    const error = await failure(refresh(harness, session))
    expect(error).toBeInstanceOf(RefreshRejectedError)
    expect(error.message).toBe(`${harness.host} saw this session’s renewal token used twice and ended the session to be safe (it may have been copied). Sign in again.`)
    // The family is revoked: even the newest token no longer renews (once past the reuse interval since
    // that revocation, which the server counts as the newest token's use).
    await untilPast(Date.now(), REUSE_INTERVAL_SECONDS)
    expect(await failure(refresh(harness, third))).toBeInstanceOf(RefreshRejectedError)
    expect(leaked(harness, error.message)).toEqual([])
  })

  it('within the reuse interval a concurrent reuse is tolerated', async () => {
    const person = await harness.person()
    const { session } = await signInWithPassword(harness, person)
    const second = await refresh(harness, session)
    await refresh(harness, second)
    // The grandparent, but within the interval of its revocation: allowed.
    await expect(refresh(harness, session)).resolves.toMatchObject({ tokenType: 'bearer' })
  })

  it('a banned user cannot renew', async () => {
    const person = await harness.person()
    const { session } = await signInWithPassword(harness, person)
    await harness.admin('PUT', `/admin/users/${person.id}`, { ban_duration: '24h' })
    const error = await failure(refresh(harness, session))
    expect(error).toBeInstanceOf(RefreshRejectedError)
    expect(error.message).toBe(`This account is banned on ${harness.host}. Sign in again.`)
  })

  it('two renewals of one token at once make one request and share its answer', async () => {
    const person = await harness.person()
    const { session } = await signInWithPassword(harness, person)
    const [a, b] = await Promise.all([refresh(harness, session), refresh(harness, session)])
    expect(a).toEqual(b)
  })

  it('an unreachable server is transient (retried later), and says so', async () => {
    const person = await harness.person()
    const { session } = await signInWithPassword(harness, person)
    const gone = harness.provider.parseConfig({ url: 'http://127.0.0.1:9', apiKey: harness.server.anonKey })
    const error = await failure(harness.provider.refresh(gone, session, harness.ctx))
    expect(error).toBeInstanceOf(TransientError)
    expect(error.message).toBe('Could not reach 127.0.0.1:9 to renew the session.')
  })
})

describe('Supabase refresh when the server is busy with the same session', () => {
  it('409 conflict (the server gave up waiting for the session’s lock) is transient: the token was not spent, the account keeps it', async () => {
    // RefreshTokenGrant (internal/tokens/service.go) retries a locked session for 5 s, then answers
    // 409 {code: "conflict"} without touching the token: nothing to sign in again for.
    const server = createServer((_request, response) => {
      response.writeHead(409, { 'content-type': 'application/json', 'x-supabase-api-version': '2024-01-01', 'x-sb-error-code': 'conflict' })
      response.end(JSON.stringify({ code: 'conflict', message: 'Too many concurrent token refresh requests on the same session or refresh token' }))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const provider = createSupabaseProvider()
      const port = (server.address() as AddressInfo).port
      const anonKey = await signApiKey(new TextEncoder().encode('any secret will do for a key that is only read'), 'anon')
      const config = provider.parseConfig({ url: `http://127.0.0.1:${String(port)}`, apiKey: anonKey })
      const session: Session = { accessToken: 'a.b.c', refreshToken: 'abcdefghijkl', idToken: null, tokenType: 'bearer', scopes: [], expiresAt: null, issuedAt: 0 }
      const error = await failure(provider.refresh(config, session, { clock: systemClock, logger: recordingLogger() }))
      expect(error).toBeInstanceOf(TransientError)
      expect(error.message).toBe(`127.0.0.1:${String(port)} is busy renewing this session (another renewal was under way); Latchkey tries again shortly.`)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
