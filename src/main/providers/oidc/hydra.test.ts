/**
 * What a person meets with ORY Hydra besides the shared interoperability suite (interop.test.ts):
 * its own scope name `offline`, refresh tokens without prompt=consent, clients registered with
 * only `offline`, and a refresh token past its lifetime.
 */
import { describe, expect, it } from 'vitest'
import { RefreshRejectedError } from '../../core/errors.ts'
import type { BackendConfig } from '../../core/provider.ts'
import { attemptSignIn, HYDRA_NAME, interopFailure, interopTarget, rememberSession, useInteropTarget } from './interop-targets.ts'
import type { InteropTarget } from './interop-targets.ts'

const REFRESH_TOKEN_TTL_SECONDS = 4
const hydra = interopTarget(HYDRA_NAME)

describe.runIf(hydra !== undefined)('ORY Hydra as a person meets it', () => {
  const harness = useInteropTarget(hydra as InteropTarget, { refreshTokenTtlSeconds: REFRESH_TOKEN_TTL_SECONDS })
  const configWith = (settings: Record<string, string>): BackendConfig =>
    harness.provider.parseConfig({ issuer: harness.server.issuer, clientId: harness.server.clientId, ...settings })

  it("issues a refresh token for its own scope name 'offline', which Latchkey then renews", async () => {
    const config = configWith({ scopes: 'openid profile email offline' })
    const { session } = await (await attemptSignIn(harness, config)).result
    expect(session.scopes).toContain('offline')
    expect(session.refreshToken).not.toBeNull()
    const { session: next } = await harness.provider.refresh(config, session, harness.ctx)
    rememberSession(harness, next)
    expect(next.refreshToken).not.toBe(session.refreshToken)
  })

  it('issues a refresh token for offline_access without prompt=consent (consent set to never)', async () => {
    const { url, result } = await attemptSignIn(harness, configWith({ consent: 'never' }))
    expect(url.searchParams.has('prompt')).toBe(false)
    expect((await result).session.refreshToken).not.toBeNull()
  })

  it('issues no refresh token without offline or offline_access: the session then needs a new sign-in to renew', async () => {
    const config = configWith({ scopes: 'openid profile email' })
    const { session } = await (await attemptSignIn(harness, config)).result
    expect(session.refreshToken).toBeNull()
    const error = await interopFailure(harness, harness.provider.refresh(config, session, harness.ctx))
    expect(error).toBeInstanceOf(RefreshRejectedError)
  })

  it("names the scope a client registered the way Hydra's guides do (only 'offline') refuses, and what to change", async () => {
    const clientId = await harness.server.createPublicClient?.('openid offline profile email')
    const config = harness.provider.parseConfig({ issuer: harness.server.issuer, clientId: clientId ?? '' })
    const error = await interopFailure(harness, (await attemptSignIn(harness, config)).result)
    expect(error.code).toBe('AUTH_FAILED')
    expect(error.message).toContain('invalid_scope')
    expect(error.message).toContain('offline_access')
    expect(error.message).toContain("Change Scopes in this account's settings to ones this client may ask for.")
    expect(error.message).toContain('this provider also takes “offline” in place of offline_access')
  })

  it('refuses a refresh token past its lifetime, so the account asks for a new sign-in', async () => {
    const { session } = await (await attemptSignIn(harness, harness.config)).result
    // Hydra keeps the token's expiry in whole seconds (not always rounded down): its lifetime and one
    // second more. Waited from the answer only, the refresh was taken once in a quiet run.
    await new Promise((resolve) => setTimeout(resolve, (REFRESH_TOKEN_TTL_SECONDS + 1) * 1000))
    const error = await interopFailure(harness, harness.provider.refresh(harness.config, session, harness.ctx))
    expect(error).toBeInstanceOf(RefreshRejectedError)
  })
})
