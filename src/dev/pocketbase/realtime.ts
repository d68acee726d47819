/**
 * Just enough of PocketBase's realtime broker for the OAuth2 "realtime" flow: SSE clients that get
 * `PB_CONNECT {clientId}`, subscribe to `@oauth2`, and receive `{state, code, error?}` when the
 * browser reaches /api/oauth2-redirect with `state = clientId`.
 */
import type { Ctx } from './http.ts'
import { randomString } from './random.ts'
import type { AuthRecord } from './store.ts'

export interface RealtimeClient {
  id: string
  /** The IP the SSE connection came from. */
  ip: string
  subscriptions: Set<string>
  /** The auth record of the first subscribe request, if any (later requests must match it). */
  auth: AuthRecord | undefined
  send(name: string, data: unknown): void
}

export class Realtime {
  readonly #clients = new Map<string, RealtimeClient>()

  /** Starts an event stream as the answer to GET /api/realtime. */
  connect(ctx: Ctx): RealtimeClient {
    const response = ctx.res
    const client: RealtimeClient = {
      id: randomString(40),
      ip: ctx.ip,
      subscriptions: new Set(),
      auth: undefined,
      send: (name, data) => {
        response.write(`id:${client.id}\nevent:${name}\ndata:${JSON.stringify(data)}\n\n`)
      },
    }
    ctx.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-accel-buffering': 'no' })
    this.#clients.set(client.id, client)
    response.on('close', () => this.#clients.delete(client.id))
    client.send('PB_CONNECT', { clientId: client.id })
    return client
  }

  find(id: string): RealtimeClient | undefined {
    return this.#clients.get(id)
  }
}
