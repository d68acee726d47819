/** The only module that touches ipcMain: binds every contract channel to the guarded router. */
import { ipcMain, type WebContents } from 'electron'
import { INVOKE_CHANNELS } from '../../shared/contract.ts'
import type { EventSink } from '../core/app/events.ts'
import type { Logger } from '../core/ports.ts'
import type { Router } from './router.ts'
import { guardRouter, type SenderPolicy } from './sender-policy.ts'

export function bindIpc(router: Router, policy: SenderPolicy, logger: Logger): () => void {
  const guarded = guardRouter(router, policy, (channel) => logger.warn('ipc.forbidden-sender', { channel }))
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, (event, args: unknown) => guarded(event.senderFrame?.url, channel, args))
  }
  return () => {
    for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(channel)
  }
}

/** Forwards core events to one window. */
export function eventsTo(webContents: WebContents): EventSink {
  return (event, payload) => {
    if (!webContents.isDestroyed()) webContents.send(event, payload)
  }
}
