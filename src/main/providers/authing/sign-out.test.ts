/** Signing out of the Authing emulator: /api/v2/logout kills the token, reported honestly. */
import { describe, expect, it } from 'vitest'
import { RefreshRejectedError } from '../../core/errors.ts'
import { ADA, signIn, useHarness } from './test-harness.ts'

const harness = useHarness()

describe('sign-out', () => {
  it('ends the session on the server: the token stops working', async () => {
    const { session } = await signIn(harness, ADA.email, ADA.password)
    const result = await harness.provider.signOut(harness.config, session, harness.ctx)
    expect(result).toMatchObject({ revokedOnServer: true, endSessionUrl: null })
    await expect(harness.provider.refresh(harness.config, session, harness.ctx)).rejects.toBeInstanceOf(RefreshRejectedError)
    const again = await harness.provider.signOut(harness.config, session, harness.ctx)
    expect(again.revokedOnServer).toBe(false)
    expect(again.message).toMatch(/already ended/)
  })

  it('says plainly when the server could not be reached', async () => {
    const { session } = await signIn(harness, ADA.email, ADA.password)
    const result = await harness.provider.signOut({ ...harness.config, appHost: 'http://127.0.0.1:9' }, session, harness.ctx)
    expect(result.revokedOnServer).toBe(false)
    expect(result.message).toMatch(/Could not reach .* stays valid until \d{4}-/)
  })
})
