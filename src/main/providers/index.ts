/** Every backend this build offers. Adding a backend: implement Provider in its own folder, list it here. */
import type { Provider } from '../core/provider.ts'
import { createAuthingProvider } from './authing/index.ts'
import { createOidcProvider } from './oidc/index.ts'
import { createPocketBaseProvider } from './pocketbase/index.ts'
import { createSupabaseProvider } from './supabase/index.ts'
import { createSynmetrixProvider } from './synmetrix/index.ts'
import { createTeableProvider } from './teable/index.ts'

export function allProviders(): Provider[] {
  return [createOidcProvider(), createPocketBaseProvider(), createTeableProvider(), createSynmetrixProvider(), createAuthingProvider(), createSupabaseProvider()]
}
