/**
 * The only module that touches ipcRenderer. Exposes `window.latchkey`, built from the contract's
 * channel list; callbacks receive the payload only, never the raw IpcRendererEvent.
 */
import { contextBridge, ipcRenderer } from 'electron'
import { createApi } from '../shared/bridge.ts'
import type { Result } from '../shared/contract.ts'

const api = createApi({
  invoke: (channel, args) => ipcRenderer.invoke(channel, args) as Promise<Result<unknown>>,
  subscribe(channel, listener) {
    const handler = (_event: Electron.IpcRendererEvent, payload: unknown): void => listener(payload)
    ipcRenderer.on(channel, handler)
    return () => {
      ipcRenderer.removeListener(channel, handler)
    }
  },
})

contextBridge.exposeInMainWorld('latchkey', api)
