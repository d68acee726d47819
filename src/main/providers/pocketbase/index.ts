export { createPocketBaseProvider } from './provider.ts'
export type { PocketBaseProviderOptions } from './provider.ts'
