import type { BackendConfig } from '../../core/provider.ts'

/** The keychain part of a Teable account's configuration. */
export function tokenSecrets(config: BackendConfig): { token: string | null; created: string[] } {
  const token = config.token ?? ''
  return { token: token === '' ? null : token, created: (config.createdTokens ?? '').split(',').filter((id) => id !== '') }
}
