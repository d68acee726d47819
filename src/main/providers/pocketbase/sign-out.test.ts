import { describe, expect } from 'vitest'
import { ALICE, bosBaseOnly, leakedSecrets, pocketBaseOnly, signInWithPassword, useHarness } from './test-harness.ts'

describe('sign-out from PocketBase and BosBase (local only)', () => {
  const harness = useHarness()

  pocketBaseOnly.it('says plainly that the token stays valid, and until when (UTC)', async () => {
    const { session } = await signInWithPassword(harness, ALICE)
    const before = harness.emulator.requests().length
    const result = await harness.provider.signOut(harness.config, session, harness.ctx)
    expect(result.revokedOnServer).toBe(false)
    expect(result.cannotRevoke).toBe(true)
    expect(result.endSessionUrl).toBeNull()
    const until = new Date(session.expiresAt ?? 0).toISOString().slice(0, 16).replace('T', ' ')
    expect(result.message).toContain('cannot revoke')
    expect(result.message).toContain(`until ${until} UTC`)
    expect(result.message).toContain('Anyone holding a copy of the token can also renew it until it expires')
    // Nothing was asked of the server, and the token indeed still works there.
    expect(harness.emulator.requests().length).toBe(before)
    await expect(harness.provider.refresh(harness.config, session, harness.ctx)).resolves.toBeDefined()
    expect(leakedSecrets(harness, result.message)).toEqual([])
  })

  bosBaseOnly.it('says a BosBase token lasts about 100 years', async () => {
    const { session } = await signInWithPassword(harness, ALICE)
    const before = harness.emulator.requests().length
    const result = await harness.provider.signOut(harness.config, session, harness.ctx)
    expect(result).toMatchObject({ revokedOnServer: false, cannotRevoke: true, endSessionUrl: null })
    expect(result.message).toContain('about 100 years')
    expect(result.message).not.toContain('renew it')
    expect(result.message).toContain('password or email is changed')
    expect(harness.emulator.requests().length).toBe(before)
    expect(leakedSecrets(harness, result.message)).toEqual([])
  })
})
