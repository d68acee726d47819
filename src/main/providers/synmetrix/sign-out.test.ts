import { describe, expect, it } from 'vitest'
import { ALICE, BOB, signIn, useHarness } from './test-harness.ts'

describe('sign-out of this device', () => {
  const harness = useHarness()

  it('deletes this device’s refresh token only, and says the JWT stays valid and until when', async () => {
    const here = await signIn(harness, ALICE)
    const elsewhere = await signIn(harness, ALICE)
    const result = await harness.provider.signOut(harness.config, here.session, harness.ctx)
    expect(result.revokedOnServer).toBe(true)
    const until = `${new Date(here.session.expiresAt ?? 0).toISOString().slice(0, 16).replace('T', ' ')} UTC`
    expect(result.message).toBe(
      `Signed out of this device: ${new URL(harness.emulator.url).host} deleted this device’s refresh token. The access token already issued stays valid until ${until}: HBP cannot revoke it.`,
    )
    const live = harness.emulator.refreshTokensOf(ALICE.email)
    expect(live).not.toContain(here.session.refreshToken)
    expect(live).toContain(elsewhere.session.refreshToken)
  })

  it('says plainly when the server could not be reached', async () => {
    const { session } = await signIn(harness, BOB)
    const config = harness.provider.parseConfig({ url: 'http://127.0.0.1:9' })
    const result = await harness.provider.signOut(config, session, harness.ctx)
    expect(result.revokedOnServer).toBe(false)
    expect(result.message).toMatch(/could not be reached, so its refresh token may still work/)
  })
})
