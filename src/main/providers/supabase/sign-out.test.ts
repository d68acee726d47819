import { describe, expect, it } from 'vitest'
import { RefreshRejectedError } from '../../core/errors.ts'
import { failure, leaked, signInWithPassword, TARGETS, useTarget } from './test-targets.ts'
import { untilExpired } from '../testing/server-clock.ts'

describe.each(TARGETS)('Supabase sign-out against the $name', (target) => {
  const harness = useTarget(target)

  it('ends this device’s session only; another session of the same person stays alive; the message says until when the token lasts', async () => {
    const person = await harness.person()
    const here = await signInWithPassword(harness, person)
    const elsewhere = await signInWithPassword(harness, person)
    const result = await harness.provider.signOut(harness.config, here.session, harness.ctx)
    expect(result.revokedOnServer).toBe(true)
    expect(result.endSessionUrl).toBeNull()
    const until = new Date(here.session.expiresAt ?? 0).toISOString().slice(0, 16).replace('T', ' ')
    expect(result.message).toBe(
      `Signed out of ${harness.host} on this device; your other sessions stay signed in. The access token already issued cannot be recalled: it stays valid until ${until} UTC.`,
    )
    expect(await failure(harness.provider.refresh(harness.config, here.session, harness.ctx))).toBeInstanceOf(RefreshRejectedError)
    const renewed = await harness.provider.refresh(harness.config, elsewhere.session, harness.ctx)
    harness.secrets.add(renewed.session.refreshToken ?? '').add(renewed.session.accessToken)
    expect(leaked(harness, result.message)).toEqual([])
  })

  it('a session that already ended is reported as such', async () => {
    const person = await harness.person()
    const { session } = await signInWithPassword(harness, person)
    await harness.provider.signOut(harness.config, session, harness.ctx)
    const again = await harness.provider.signOut(harness.config, session, harness.ctx)
    expect(again.message).toBe(`This session had already ended on ${harness.host}. Latchkey forgot it.`)
  })

  it('an unreachable server: forgotten here, honest that it was not ended there', async () => {
    const person = await harness.person()
    const { session } = await signInWithPassword(harness, person)
    const gone = harness.provider.parseConfig({ url: 'http://127.0.0.1:9', apiKey: harness.server.anonKey })
    const result = await harness.provider.signOut(gone, session, harness.ctx)
    expect(result.revokedOnServer).toBe(false)
    expect(result.message).toContain('could not reach 127.0.0.1:9 to end it there')
  })
})

describe.each(TARGETS)('Supabase sign-out of a session whose access token expired, against the $name', (target) => {
  const harness = useTarget(target, { jwtExpSeconds: 3 })

  it('renews it first and ends it on the server (the expired token alone is refused with bad_jwt)', async () => {
    const person = await harness.person()
    const { session } = await signInWithPassword(harness, person)
    // Once the server refuses it (its exp, in whole seconds); a renewed one then has at least 2 s left.
    await untilExpired(session.accessToken)
    const result = await harness.provider.signOut(harness.config, session, harness.ctx)
    expect(result.revokedOnServer).toBe(true)
    // The expired token was all that was handed out: nothing stays valid.
    expect(result.message).toBe(`Signed out of ${harness.host} on this device; your other sessions stay signed in.`)
    expect(await failure(harness.provider.refresh(harness.config, session, harness.ctx))).toBeInstanceOf(RefreshRejectedError)
    expect(leaked(harness, result.message)).toEqual([])
  })
})
