export { createSupabaseProvider } from './provider.ts'
export type { SupabaseProviderOptions } from './provider.ts'
