export { createOidcProvider } from './provider.ts'
export type { OidcProviderOptions } from './provider.ts'
