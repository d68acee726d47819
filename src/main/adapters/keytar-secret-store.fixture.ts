/**
 * Run by the keychain tests in a child process whose environment points at a private keyring (or
 * at none): the real vault over the real keychain worker and real account files. Reads one JSON
 * command per stdin line and prints one JSON line per answer.
 *
 *   node keytar-secret-store.fixture.ts <data-dir> <service>
 *
 * Commands: {op:'load'|'retry'|'worker'|'quit'}, {op:'put',id,secret}, {op:'get',id},
 * {op:'raw',call:'get'|'set'|'delete'|'loadAll',key?,secret?} (the keychain store itself); a raw get
 * with announce:true first prints {"sent":true} once its call has gone to the keychain worker.
 */
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { AccountStore } from '../core/accounts/account-store.ts'
import { systemClock, type Logger } from '../core/ports.ts'
import { SecretVault } from '../core/secrets/vault.ts'
import { accountFiles } from './account-files.ts'
import { keychainWorkerStore } from './keychain-worker/client.ts'
import { forkedKeychainWorker } from './keychain-worker/node-worker.ts'

const [dataDir = '.', service = 'Latchkey Test'] = process.argv.slice(2)
const lines: string[] = []
const log = (event: string, fields?: Record<string, unknown>): void => void lines.push(`${event} ${JSON.stringify(fields ?? {})}`)
const logger: Logger = { info: log, warn: log, error: log }
const store = keychainWorkerStore(forkedKeychainWorker(join(import.meta.dirname, 'keychain-worker/worker.ts')), service)
const records = new AccountStore(accountFiles(join(dataDir, 'accounts')), logger)
const vault = new SecretVault(store, { clock: systemClock, logger, records, timeoutMs: 5000, ownsLegacyItem: (id) => id.startsWith('acct-') })

type Command = { op: string; id?: string; secret?: string; call?: string; key?: string; announce?: boolean }

async function run(command: Command): Promise<unknown> {
  switch (command.op) {
    case 'load':
      await vault.load()
      return { health: vault.health(), loadCalls: vault.loadCalls, problems: vault.problems() }
    case 'retry':
      return { health: await vault.retry(), problems: vault.problems() }
    case 'put':
      return { stored: await vault.put(command.id ?? '', command.secret ?? '') }
    case 'get':
      return { value: vault.get(command.id ?? '') ?? null, storage: vault.storageOf(command.id ?? '') }
    case 'worker':
      return { pid: store.pid ?? null, starts: store.starts }
    case 'raw': {
      const key = command.key ?? ''
      if (command.call === 'get') {
        const value = store.get(key)
        if (command.announce === true) console.log(JSON.stringify({ sent: true }))
        return { value: await value }
      }
      if (command.call === 'set') await store.set(key, command.secret ?? '')
      else if (command.call === 'delete') await store.delete(key)
      if (command.call === 'set' || command.call === 'delete') return { value: null }
      return { value: Object.fromEntries(await store.loadAll()) }
    }
    case 'quit':
      await vault.flush()
      store.stop()
      process.exit(0)
      return null
    default:
      return { error: `unknown op ${command.op}` }
  }
}

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue
  const command = JSON.parse(line) as Command
  const answer = await run(command).catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }))
  console.log(JSON.stringify({ ...(answer as object), logs: lines.splice(0) }))
}
store.stop()
