export { createTeableProvider } from './provider.ts'
export type { TeableProviderOptions } from './provider.ts'
