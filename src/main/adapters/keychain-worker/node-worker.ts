/** The keychain worker as a forked Node process (the browser shell and tests). */
import { fork } from 'node:child_process'
import type { KeychainReply } from './protocol.ts'
import type { StartWorker } from './client.ts'

export function forkedKeychainWorker(path: string, env: NodeJS.ProcessEnv = process.env): StartWorker {
  return () => {
    const child = fork(path, [], { env, execArgv: [], serialization: 'json', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
    return {
      send: (request) => {
        child.send(request, (error) => {
          if (error) child.kill('SIGKILL')
        })
      },
      onMessage: (listener) => child.on('message', (reply) => listener(reply as KeychainReply)),
      onExit: (listener) => child.once('exit', () => listener()),
      kill: () => child.kill('SIGKILL'),
      get pid() {
        return child.pid
      },
    }
  }
}
