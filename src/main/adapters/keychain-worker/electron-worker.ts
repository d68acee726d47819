/** The keychain worker as an Electron utility process (no Node-mode Electron binary needed). */
import { utilityProcess } from 'electron'
import type { KeychainReply } from './protocol.ts'
import type { StartWorker } from './client.ts'

export function utilityKeychainWorker(path: string): StartWorker {
  return () => {
    const child = utilityProcess.fork(path, [], { serviceName: 'Latchkey keychain', stdio: 'inherit' })
    return {
      send: (request) => child.postMessage(request),
      onMessage: (listener) => child.on('message', (reply) => listener(reply as KeychainReply)),
      onExit: (listener) => child.once('exit', () => listener()),
      kill: () => void child.kill(),
      get pid() {
        return child.pid
      },
    }
  }
}
