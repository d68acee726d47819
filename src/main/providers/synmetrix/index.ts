export { createSynmetrixProvider } from './provider.ts'
