import { describe, expect, it } from 'vitest'
import type { ProviderAccount } from '../../core/provider.ts'
import type { Session } from '../../core/sessions/session.ts'
import { signInWithPassword, TARGETS, useTarget } from './test-targets.ts'
import { untilExpired, untilIssuedExpired } from '../testing/server-clock.ts'

/** Access tokens last 3 s, counted in whole seconds: one renewed when the old one has expired has at least 2 s left. */
const TOKEN_SECONDS = 3

describe.each(TARGETS)('Supabase account forms when the access token has expired (a computer waking up), against the $name', (target) => {
  const harness = useTarget(target, { jwtExpSeconds: TOKEN_SECONDS })

  /** Saves the profile; the action must not report the session ended and must hand back the renewed session. */
  async function saveProfileKeepingSession(account: ProviderAccount): Promise<Session> {
    const saved = await harness.provider.runAction?.(account, 'profile', 'save', { name: 'Awake', avatarUrl: '' }, harness.ctx)
    expect(saved?.sessionEnded).toBeUndefined()
    expect(saved?.identity?.name).toBe('Awake')
    const kept = saved?.session
    if (kept === undefined) throw new Error('the renewed session was not handed back')
    harness.secrets.add(kept.accessToken).add(kept.refreshToken ?? '')
    return kept
  }

  it('the forms are listed and an action runs, on a renewed session the account keeps; the session is not reported ended', async () => {
    const person = await harness.person({ name: 'Sleepy' })
    const signedIn = await signInWithPassword(harness, person)
    const account: ProviderAccount = { config: harness.config, session: signedIn.session, identity: signedIn.identity, label: person.email }
    await untilExpired(signedIn.session.accessToken)
    const list = await harness.provider.actions?.(account, harness.ctx)
    expect(list?.map((action) => action.id)).toContain('profile')
    // Asleep again: the token the list was renewed to has expired too.
    await untilIssuedExpired(Date.now(), TOKEN_SECONDS)
    const kept = await saveProfileKeepingSession(account)
    // The renewed session goes on renewing.
    const next = await harness.provider.refresh(harness.config, kept, harness.ctx)
    harness.secrets.add(next.session.accessToken).add(next.session.refreshToken ?? '')
  })

  it('an access token the server finds expired before this computer does (clocks apart) is renewed, not taken as the session ending', async () => {
    const person = await harness.person({ name: 'Behind' })
    const signedIn = await signInWithPassword(harness, person)
    // This computer's clock is behind the server's: by its reckoning the token has an hour left.
    const session = { ...signedIn.session, expiresAt: Date.now() + 3_600_000 }
    const account: ProviderAccount = { config: harness.config, session, identity: signedIn.identity, label: person.email }
    await untilExpired(signedIn.session.accessToken)
    const kept = await saveProfileKeepingSession(account)
    expect(kept.refreshToken).not.toBe(session.refreshToken)
  })
})
