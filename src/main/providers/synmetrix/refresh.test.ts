import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { closeServer } from '../../../dev/close-server.ts'
import { systemClock } from '../../core/ports.ts'
import { recordingLogger } from '../../core/testing/recording-logger.ts'
import { createSynmetrixProvider } from './provider.ts'
import { FakeClock } from '../../core/testing/fake-clock.ts'
import { boot, flush } from '../../core/testing/harness.ts'
import { RefreshRejectedError, TransientError } from '../../core/errors.ts'
import { ALICE, BOB, coreWithAccount, failure, leakedSecrets, signIn, startHarness, useHarness } from './test-harness.ts'

describe('refresh against hasura-backend-plus (rotating refresh tokens)', () => {
  const harness = useHarness()

  it('rotates the refresh token: the new one works, the old one is gone', async () => {
    const { session } = await signIn(harness, ALICE)
    harness.advanceServerTime(2_000)
    const { session: next, profile } = await harness.provider.refresh(harness.config, session, harness.ctx)
    expect(next.refreshToken).not.toBe(session.refreshToken)
    expect(next.accessToken).not.toBe(session.accessToken)
    expect(next.expiresAt).toBeGreaterThan(session.expiresAt ?? Infinity)
    expect(profile).toMatchObject({ 'Allowed roles': 'user, analyst' })
    expect(harness.emulator.refreshTokensOf(ALICE.email)).not.toContain(session.refreshToken)
    const error = await failure(harness.provider.refresh(harness.config, session, harness.ctx))
    expect(error).toBeInstanceOf(RefreshRejectedError)
    expect(error.message).toMatch(/no longer accepts this session/)
  })

  it('rejects an expired refresh token (30 days, counted in whole days)', async () => {
    const { session } = await signIn(harness, BOB)
    harness.advanceServerTime(31 * 86_400_000)
    try {
      expect(await failure(harness.provider.refresh(harness.config, session, harness.ctx))).toBeInstanceOf(RefreshRejectedError)
    } finally {
      harness.advanceServerTime(-31 * 86_400_000)
    }
  })

  it('refuses a refresh token that is not a UUID before sending it, and treats an unreachable server as transient', async () => {
    const { session } = await signIn(harness, BOB)
    // A token HBP cannot even look up (not a UUID) is refused before anything is sent.
    expect(await failure(harness.provider.refresh(harness.config, { ...session, refreshToken: 'not-a-uuid' }, harness.ctx))).toBeInstanceOf(RefreshRejectedError)
    const gone = await startHarness()
    await gone.stop()
    const error = await failure(harness.provider.refresh(gone.config, session, harness.ctx))
    expect(error).toBeInstanceOf(TransientError)
  })

  it('reproduces HBP’s race: two refreshes of one token both succeed and fork it (no reuse detection)', async () => {
    const { session } = await signIn(harness, BOB)
    const hold = harness.emulator.holdRefreshes()
    const both = Promise.all([harness.provider.refresh(harness.config, session, harness.ctx), harness.provider.refresh(harness.config, session, harness.ctx)])
    while (hold.waiting() < 2) await new Promise((resolve) => setImmediate(resolve))
    hold.release()
    const [a, b] = await both
    expect(a.session.refreshToken).not.toBe(b.session.refreshToken)
    const live = harness.emulator.refreshTokensOf(BOB.email)
    expect(live).toContain(a.session.refreshToken)
    expect(live).toContain(b.session.refreshToken)
  })

  it('backs off on 429 and says until when', async () => {
    const limited = await startHarness({ rateLimit: { max: 3, windowMs: 60_000 } })
    try {
      const { session } = await signIn(limited, ALICE) // jwks + login = 2 requests
      await limited.provider.refresh(limited.config, session, limited.ctx).catch(() => undefined)
      const error = await failure(limited.provider.refresh(limited.config, session, limited.ctx))
      expect(error).toBeInstanceOf(TransientError)
      expect(error.message).toMatch(/slow down; it will try again after \d\d:\d\d/)
      // HBP's limiter: X-RateLimit-Reset in Unix seconds marks the end of its window.
      const at = error.retryAt ?? 0
      expect(at).toBeGreaterThan(limited.ctx.clock.now() + 50_000)
      expect(at).toBeLessThanOrEqual(limited.ctx.clock.now() + 61_000)
    } finally {
      await limited.stop()
    }
  })
})

describe('refresh through the core: single flight and persist-before-use', () => {
  const harness = useHarness()

  it('50 concurrent callers cause one refresh request', async () => {
    const { latchkey, id } = await coreWithAccount(harness)
    const before = harness.emulator.requests().filter((r) => r.path === '/auth/token/refresh').length
    const results = await Promise.all(Array.from({ length: 50 }, () => latchkey.refresh(id)))
    const after = harness.emulator.requests().filter((r) => r.path === '/auth/token/refresh').length
    expect(after - before).toBe(1)
    expect(new Set(results.map((summary) => summary.expiresAt)).size).toBe(1)
    expect(harness.emulator.refreshTokensOf(ALICE.email)).toHaveLength(1)
    latchkey.dispose()
  })

  it('a crash between the server’s answer and the session write loses the account’s session only: HBP already deleted the old token', async () => {
    const { w, latchkey, id } = await coreWithAccount(harness)
    const sealedBefore = (JSON.parse(w.files.files.get(id) ?? '{}') as { sealed?: string }).sealed
    // The account file write of the rotated token never completes: the process "dies" there. The
    // first write of the refresh (its in-flight mark) goes through, before the request.
    const realWrite = w.files.write.bind(w.files)
    let writes = 0
    w.files.write = (fileId, text) => (++writes === 1 ? realWrite(fileId, text) : new Promise<void>(() => undefined))
    void latchkey.refresh(id).catch(() => undefined)
    while (writes < 2) await flush()
    latchkey.dispose()
    // Restart on what was persisted: the old session, marked as being refreshed.
    const persisted = JSON.parse(w.files.files.get(id) ?? '{}') as { sealed?: string; account?: { refreshStartedAt?: string | null } }
    expect(persisted.sealed).toBe(sealedBefore)
    expect(persisted.account?.refreshStartedAt).toEqual(expect.any(String))
    w.files.write = realWrite
    const restarted = boot({ ...w, clock: new FakeClock(Date.now()) })
    await restarted.latchkey.loadSecrets()
    const account = restarted.latchkey.accounts().find((candidate) => candidate.id === id)
    expect(account?.label).toBe('Alice at Synmetrix')
    // Unrecoverable on HBP: the old refresh token was deleted by the rotation, and the new one lived only in the lost answer.
    const after = await restarted.latchkey.refresh(id).catch((error: unknown) => error)
    const summary = restarted.latchkey.accounts().find((candidate) => candidate.id === id)
    expect(summary?.status).toBe('needs-attention')
    expect(summary?.attention?.reason).toBe('refresh-rejected')
    expect(summary?.attention?.message).toMatch(/^Latchkey stopped while renewing this session/)
    expect(after).toBeDefined()
    // The orphan the lost answer carried is still live on the server until "Sign out on all devices" or 30 days.
    expect(harness.emulator.refreshTokensOf(ALICE.email).length).toBeGreaterThanOrEqual(1)
    expect(leakedSecrets(harness, w.settings.text())).toEqual([])
    restarted.latchkey.dispose()
  })
})

describe('a refresh whose connection breaks before the answer', () => {
  it('is not sent again by itself, and a later refusal says the lost answer may be why (HBP rotates before it answers)', async () => {
    // A server that hangs up, after seeing it, on the first renewal (the second request of the sign-in's kept-alive connection).
    const seen: string[] = []
    const server = createServer((request, response) => {
      seen.push((request.url ?? '').split('?')[0] ?? '')
      if (seen.filter((path) => path === '/auth/token/refresh').length === 1 && request.url?.startsWith('/auth/token/refresh') === true) request.socket.destroy()
      else if (request.url?.startsWith('/auth/jwks') === true) response.writeHead(501, { 'content-type': 'application/json' }).end('{"statusCode":501,"error":"Not Implemented","message":"JWKS is not implemented on this server."}')
      // By now HBP had rotated the token the lost request carried.
      else response.writeHead(401, { 'content-type': 'application/json' }).end('{"statusCode":401,"error":"Unauthorized","message":"Invalid or expired refresh token."}')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`
      const provider = createSynmetrixProvider()
      const config = provider.parseConfig({ url })
      // Sign-in's first request (the HBP check) leaves a kept-alive connection, which the renewal reuses.
      const started = await provider.beginSignIn(config, { clock: systemClock, logger: recordingLogger() })
      expect(started.kind).toBe('form')
      const session = { accessToken: 'a.b.c', refreshToken: '3f2a8c1e-5b7d-4e9f-a0c1-2d3e4f5a6b7c', idToken: null, tokenType: 'Bearer', scopes: [], expiresAt: null, issuedAt: 0 }
      const error = await failure(provider.refresh(config, session, { clock: systemClock, logger: recordingLogger() }))
      expect(error).toBeInstanceOf(TransientError)
      expect(seen).toEqual(['/auth/jwks', '/auth/token/refresh'])
      // The scheduler's next try meets a token the server no longer has: the message says why that may be.
      const rejected = await failure(provider.refresh(config, session, { clock: systemClock, logger: recordingLogger() }))
      expect(rejected).toBeInstanceOf(RefreshRejectedError)
      expect(rejected.message).toMatch(/last attempt to renew it got no answer/)
      // Another session's rejection keeps the usual words.
      const other = await failure(provider.refresh(config, { ...session, refreshToken: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a' }, { clock: systemClock, logger: recordingLogger() }))
      expect(other.message).toMatch(/signed out elsewhere/)
    } finally {
      await closeServer(server)
    }
  })
})
