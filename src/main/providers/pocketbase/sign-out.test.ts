import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALICE, emulatorOnly, leakedSecrets, REAL_POCKETBASE, signInWithPassword, startHarness } from './test-harness.ts'
import type { Harness } from './test-harness.ts'

describe('sign-out from PocketBase and BosBase (local only)', () => {
  let pocketbase: Harness
  let bosbase: Harness
  beforeAll(async () => {
    pocketbase = await startHarness()
    if (!REAL_POCKETBASE) bosbase = await startHarness({ mode: 'bosbase' })
  })
  afterAll(async () => {
    expect(leakedSecrets(pocketbase)).toEqual([])
    if (!REAL_POCKETBASE) expect(leakedSecrets(bosbase)).toEqual([])
    await pocketbase.stop()
    if (!REAL_POCKETBASE) await bosbase.stop()
  })

  it('says plainly that the token stays valid, and until when (UTC)', async () => {
    const { session } = await signInWithPassword(pocketbase, ALICE)
    const before = pocketbase.emulator.requests().length
    const result = await pocketbase.provider.signOut(pocketbase.config, session, pocketbase.ctx)
    expect(result.revokedOnServer).toBe(false)
    expect(result.endSessionUrl).toBeNull()
    const until = new Date(session.expiresAt ?? 0).toISOString().slice(0, 16).replace('T', ' ')
    expect(result.message).toContain('cannot revoke')
    expect(result.message).toContain(`until ${until} UTC`)
    expect(result.message).toContain('Anyone holding a copy of the token can also renew it until it expires')
    // Nothing was asked of the server, and the token indeed still works there.
    expect(pocketbase.emulator.requests().length).toBe(before)
    await expect(pocketbase.provider.refresh(pocketbase.config, session, pocketbase.ctx)).resolves.toBeDefined()
    expect(leakedSecrets(pocketbase, result.message)).toEqual([])
  })

  emulatorOnly.it('says a BosBase token lasts about 100 years', async () => {
    const { session } = await signInWithPassword(bosbase, ALICE)
    const result = await bosbase.provider.signOut(bosbase.config, session, bosbase.ctx)
    expect(result).toMatchObject({ revokedOnServer: false, endSessionUrl: null })
    expect(result.message).toContain('about 100 years')
    expect(result.message).not.toContain('renew it')
    expect(result.message).toContain('password or email is changed')
  })
})
