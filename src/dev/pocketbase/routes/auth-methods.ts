/** GET /api/collections/{collection}/auth-methods (apis/record_auth_methods.go), with the pre-v0.23 legacy fields. */
import type { App } from '../app.ts'
import type { Ctx } from '../http.ts'
import { sendJson } from '../http.ts'
import { s256Challenge } from '../oauth2.ts'
import { randomString } from '../random.ts'
import { pathCollection } from './common.ts'

export async function authMethods(app: App, ctx: Ctx): Promise<void> {
  const collection = pathCollection(app, ctx)
  const password = collection.password.enabled
  const oauth2 = collection.oauth2.enabled
  const providers: Record<string, unknown>[] = []
  if (oauth2 && app.upstream !== undefined) {
    const { name, displayName } = app.upstream.config
    const state = randomString(30)
    const codeVerifier = randomString(43)
    const codeChallenge = s256Challenge(codeVerifier)
    // A provider that cannot be set up (here: its discovery document is unreachable) is left out, as in PocketBase.
    const authURL = await app.upstream.authUrl(state, codeChallenge).catch(() => undefined)
    if (authURL !== undefined) {
      providers.push({
        name,
        displayName,
        ...(app.flavor.providerLogo ? { logo: '' } : {}),
        state,
        authURL,
        authUrl: authURL,
        codeVerifier,
        codeChallenge,
        codeChallengeMethod: 'S256',
      })
    }
  }
  const identityFields = password ? collection.password.identityFields : []
  sendJson(ctx, 200, {
    password: { identityFields, enabled: password },
    oauth2: { providers, enabled: oauth2 },
    mfa: { enabled: collection.mfa.enabled, duration: collection.mfa.enabled ? collection.mfa.durationSeconds : 0 },
    otp: { enabled: collection.otp.enabled, duration: collection.otp.enabled ? collection.otp.durationSeconds : 0 },
    authProviders: oauth2 ? providers : null,
    usernamePassword: password && identityFields.includes('username'),
    emailPassword: password && identityFields.includes('email'),
  })
}
