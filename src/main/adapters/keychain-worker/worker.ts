/**
 * The keychain worker: a child process (Node) or utility process (Electron) that alone loads keytar
 * and answers the main process's keychain calls. Restarting it gives libsecret a fresh D-Bus
 * connection; a crash in it ends only it. Secrets travel over the IPC channel, never argv or env.
 */
import type { SecretStore } from '../../core/ports.ts'
import { keytarSecretStore, loadKeytar } from '../keytar-secret-store.ts'
import type { KeychainReply, KeychainRequest } from './protocol.ts'

interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void
  postMessage(message: unknown): void
}

// Set in an Electron utility process only (Electron's types declare it everywhere).
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort
const reply = (message: KeychainReply): void => {
  if (parentPort) parentPort.postMessage(message)
  else process.send?.(message)
}
const keytar = loadKeytar()
const stores = new Map<string, SecretStore>()

async function answer(request: KeychainRequest): Promise<KeychainReply> {
  try {
    let store = stores.get(request.service)
    if (!store) stores.set(request.service, (store = keytarSecretStore(await keytar, request.service)))
    switch (request.op) {
      case 'get':
        return { id: request.id, ok: true, value: await store.get(request.key) }
      case 'set':
        await store.set(request.key, request.secret)
        return { id: request.id, ok: true, value: null }
      case 'delete':
        await store.delete(request.key)
        return { id: request.id, ok: true, value: null }
      case 'loadAll':
        return { id: request.id, ok: true, value: [...(await store.loadAll())] }
    }
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error))
    return { id: request.id, ok: false, name: failure.name, message: failure.message }
  }
}

const onRequest = (request: KeychainRequest): void => void answer(request).then(reply)
if (parentPort) parentPort.on('message', (event) => onRequest(event.data as KeychainRequest))
else {
  process.on('message', (message) => onRequest(message as KeychainRequest))
  // The main process went away: nothing is left to answer.
  process.on('disconnect', () => process.exit(0))
}
