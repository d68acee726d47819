/**
 * The main process's side of the keychain worker: a SecretStore whose calls run in a separate
 * process. The process is started on the first call; when it dies, the calls it never answered are
 * sent once more to a fresh one, and the next call starts one. `reconnect()` ("Try again") replaces
 * it, so libsecret opens a new D-Bus connection (a dead one stays dead for the life of a process).
 */
import type { SecretStore } from '../../core/ports.ts'
import type { KeychainReply, KeychainRequest } from './protocol.ts'

/** `Latchkey` for packaged builds, `Latchkey Dev` otherwise, so development never touches real sessions. */
export function keychainServiceName(packaged: boolean): string {
  return packaged ? 'Latchkey' : 'Latchkey Dev'
}

export interface WorkerProcess {
  send(request: KeychainRequest): void
  onMessage(listener: (reply: KeychainReply) => void): void
  onExit(listener: () => void): void
  kill(): void
  readonly pid: number | undefined
}

export type StartWorker = () => WorkerProcess

export interface KeychainWorkerStore extends SecretStore {
  reconnect(): Promise<void>
  /** Ends the worker (at quit). */
  stop(): void
  /** The worker's process id, while one runs. */
  readonly pid: number | undefined
  /** How many worker processes have been started. */
  readonly starts: number
}

type Request = KeychainRequest extends infer R ? (R extends KeychainRequest ? Omit<R, 'id'> : never) : never

interface Call {
  request: Request
  resolve: (value: unknown) => void
  reject: (error: Error) => void
  retried: boolean
  worker: WorkerProcess
}

export function keychainWorkerStore(start: StartWorker, service: string): KeychainWorkerStore {
  let worker: WorkerProcess | null = null
  let starts = 0
  let nextId = 1
  const pending = new Map<number, Call>()

  const launch = (): WorkerProcess => {
    const started = start()
    starts++
    started.onMessage((reply) => {
      const call = pending.get(reply.id)
      if (!call || call.worker !== started) return
      pending.delete(reply.id)
      if (reply.ok) call.resolve(reply.value)
      else call.reject(Object.assign(new Error(reply.message), { name: reply.name }))
    })
    started.onExit(() => {
      if (worker === started) worker = null
      for (const [id, call] of [...pending]) {
        if (call.worker !== started) continue
        pending.delete(id)
        if (call.retried) call.reject(new Error('The keychain process stopped before it answered.'))
        else dispatch({ ...call, retried: true })
      }
    })
    return started
  }

  const dispatch = (call: Omit<Call, 'worker'>): void => {
    const current = (worker ??= launch())
    const id = nextId++
    pending.set(id, { ...call, worker: current })
    current.send({ ...call.request, id })
  }

  const call = <T>(request: Request): Promise<T> =>
    new Promise<T>((resolve, reject) => dispatch({ request, resolve: resolve as (value: unknown) => void, reject, retried: false }))

  return {
    get: (key) => call<string | null>({ op: 'get', service, key }),
    set: async (key, secret) => {
      await call({ op: 'set', service, key, secret })
    },
    delete: async (key) => {
      await call({ op: 'delete', service, key })
    },
    loadAll: async () => new Map(await call<[string, string][]>({ op: 'loadAll', service })),
    reconnect() {
      const old = worker
      worker = null
      old?.kill()
      return Promise.resolve()
    },
    stop() {
      const old = worker
      worker = null
      old?.kill()
    },
    get pid() {
      return worker?.pid
    },
    get starts() {
      return starts
    },
  }
}
