/** Seeds for a long list: "Account 0" … "Account n-1", OpenID Connect, each signed in with a session good for a while. */
import { testSession, type Seed } from '../../src/dev/seeded-folder.ts'

export function numberedAccounts(count: number, now: number): Seed[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `account-${String(index).padStart(4, '0')}`,
    label: `Account ${String(index)}`,
    provider: 'oidc',
    config: { issuer: 'https://id.example.test', clientId: 'latchkey' },
    email: `person${String(index)}@example.test`,
    secrets: { session: testSession(now) },
  }))
}
