/**
 * `npm run demo`: local backends with demo users, offered as presets on "Add account", so a
 * newcomer signs in within a minute without setting anything up.
 */
import { startOidcServer, type OidcServer } from './oidc-server.ts'

export interface Demo {
  presets: { kind: 'oidc'; name: string; config: Record<string, string> }[]
  describe(): string[]
  /** Every token the demo servers handed out (the end-to-end suite checks none leaked). */
  issuedTokens(): string[]
  stop(): Promise<void>
}

/** A fixed port keeps demo accounts pointing at the same issuer across runs; any port if it is taken. */
const DEMO_OIDC_PORT = 47410

export async function startDemo(options: { oidcPort?: number } = {}): Promise<Demo> {
  const port = options.oidcPort ?? DEMO_OIDC_PORT
  const oidc = await startOidcServer({ port }).catch(() => startOidcServer({ port: 0 }))
  return {
    presets: [{ kind: 'oidc', name: 'Demo OpenID Connect server', config: { issuer: oidc.issuer, clientId: oidc.clientId } }],
    describe: () => describeOidc(oidc),
    issuedTokens: () => oidc.issuedTokens(),
    stop: () => oidc.stop(),
  }
}

function describeOidc(oidc: OidcServer): string[] {
  return [
    `Demo OpenID Connect server at ${oidc.issuer} (client id ${oidc.clientId}).`,
    `  Sign in as: ${oidc.users.map((u) => `${u.id} / ${u.password}`).join(', ')}`,
    '  In Latchkey: Add account → "Demo OpenID Connect server" → Sign in with browser.',
  ]
}
