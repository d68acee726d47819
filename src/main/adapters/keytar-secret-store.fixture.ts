/**
 * Run by keytar-secret-store.test.ts in a child process whose environment points at a private
 * keyring (or at none). Prints one JSON line with what it observed.
 *
 *   node keytar-secret-store.fixture.ts round-trip <service>
 *   node keytar-secret-store.fixture.ts vault <service>
 */
import { systemClock, type Logger } from '../core/ports.ts'
import { SecretVault } from '../core/secrets/vault.ts'
import { loadKeytarSecretStore } from './keytar-secret-store.ts'

const [mode, service = 'Latchkey Test'] = process.argv.slice(2)
const loaded = await loadKeytarSecretStore(service)

if (mode === 'round-trip') {
  if (!loaded.store) {
    console.log(JSON.stringify({ error: loaded.reason }))
  } else {
    const store = loaded.store
    await store.set('account-1', 'secret-one')
    await store.set('account-2', 'secret-two')
    await store.set('account-2', 'secret-two-rotated')
    const afterSet = Object.fromEntries(await store.loadAll())
    await store.delete('account-1')
    const afterDelete = Object.fromEntries(await store.loadAll())
    // A second process run (an app restart) sees the same keychain through a fresh vault.
    const vault = new SecretVault(store, { clock: systemClock, logger: silent() })
    await vault.load()
    console.log(JSON.stringify({ afterSet, afterDelete, vault: { loadCalls: vault.loadCalls, got: vault.get('account-2'), health: vault.health() } }))
  }
} else if (mode === 'vault') {
  const lines: string[] = []
  const logger = silent(lines)
  const vault = loaded.store
    ? new SecretVault(loaded.store, { clock: systemClock, logger, timeoutMs: 5000 })
    : new SecretVault(null, { clock: systemClock, logger, unavailableReason: loaded.reason })
  await vault.load()
  const before = vault.get('account-1') ?? null
  const stored = await vault.put('account-1', 'secret-in-memory')
  console.log(
    JSON.stringify({
      libraryLoaded: loaded.store !== null,
      before,
      health: vault.health(),
      stored,
      storage: vault.storageOf('account-1'),
      kept: vault.get('account-1') === 'secret-in-memory',
      logs: lines,
    }),
  )
} else {
  console.log(JSON.stringify({ error: `unknown mode ${mode}` }))
}

function silent(lines: string[] = []): Logger {
  const log = (event: string, fields?: Record<string, unknown>) => void lines.push(`${event} ${JSON.stringify(fields ?? {})}`)
  return { info: log, warn: log, error: log }
}
