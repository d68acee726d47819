import type { BackendConfig } from '../../core/provider.ts'

/**
 * The keychain part of a Teable account's configuration: the token it holds, when that token
 * expires (known when Latchkey created, refreshed or found it in the server's list), and the ids
 * of the tokens Latchkey created.
 */
export function tokenSecrets(config: BackendConfig): { token: string | null; expiresAt: string | null; created: string[] } {
  const token = config.token ?? ''
  const expiresAt = config.tokenExpiresAt ?? ''
  return {
    token: token === '' ? null : token,
    expiresAt: token === '' || expiresAt === '' ? null : expiresAt,
    created: (config.createdTokens ?? '').split(',').filter((id) => id !== ''),
  }
}
