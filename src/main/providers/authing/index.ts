export { createAuthingProvider } from './provider.ts'
export type { AuthingProviderOptions } from './provider.ts'
