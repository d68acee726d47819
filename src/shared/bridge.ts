/**
 * Builds the `window.latchkey` object from the contract's channel list: one named closure per
 * channel, never a generic `invoke(channel, …)`. Used by the Electron preload (over ipcRenderer)
 * and by the browser shell's bridge (over HTTP), so both expose exactly the same shape.
 */
import {
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  methodName,
  type Api,
  type EventChannel,
  type EventMap,
  type InvokeChannel,
  type Result,
  type Unsubscribe,
} from './contract.ts'

export interface Transport {
  invoke(channel: InvokeChannel, args: unknown): Promise<Result<unknown>>
  subscribe(channel: EventChannel, listener: (payload: unknown) => void): Unsubscribe
}

export function createApi(transport: Transport): Api {
  const api: Record<string, unknown> = {}
  for (const channel of INVOKE_CHANNELS) {
    api[methodName(channel)] = (args?: unknown) => transport.invoke(channel, args)
  }
  api.on = <E extends EventChannel>(event: E, listener: (payload: EventMap[E]) => void): Unsubscribe => {
    if (!(EVENT_CHANNELS as readonly string[]).includes(event)) throw new Error(`Unknown event ${event}`)
    return transport.subscribe(event, (payload) => listener(payload as EventMap[E]))
  }
  return Object.freeze(api) as unknown as Api
}
