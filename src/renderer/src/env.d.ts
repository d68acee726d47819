/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { Api } from '../../shared/contract.ts'

declare global {
  interface Window {
    /** Built from the contract by the preload (Electron) or the web bridge (browser shell). */
    readonly latchkey: Api
  }
}

export {}
