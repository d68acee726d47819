/**
 * Run by persistence-crash.test.ts: Latchkey's core on the real settings file, account files and
 * keychain worker, with a scripted backend that renews instantly.
 *
 *   node persistence-crash.fixture.ts <data-dir> setup <count>   signs in <count> accounts
 *   node persistence-crash.fixture.ts <data-dir> churn <run>     refreshes a quarter of them (the run's: every fourth,
 *                                                                 from <run> mod 4) round and round,
 *                                                                 printing "durable <id> <access token>" after each,
 *                                                                 and writes the start-up index anew whenever a
 *                                                                 quarter were written since the last one (at
 *                                                                 most every INDEX_EVERY_MS), printing "indexing"
 *                                                                 when it begins and "indexed" when it is in place
 *   node persistence-crash.fixture.ts <data-dir> check           prints every account's state as JSON, and
 *                                                                 how many account files the start read beside
 *                                                                 the start-up index (null: it had none to use)
 *
 * LATCHKEY_CRASH_KEEPS_OLD_TOKEN=1: the backend's renewal leaves the old token valid (PocketBase).
 * Every file old enough for a stamp has the same one, so a start trusts the index for every file
 * the journal does not name: what is checked is that the journal names every file written.
 */
import { join } from 'node:path'
import { AccountStore } from '../core/accounts/account-store.ts'
import { AccountRegistry } from '../core/accounts/registry.ts'
import { Latchkey } from '../core/app/latchkey.ts'
import { ProviderSet } from '../core/app/provider-set.ts'
import { systemClock, type Logger } from '../core/ports.ts'
import { SecretVault } from '../core/secrets/vault.ts'
import { fakeProvider, fakeSession, signedInAs } from '../core/testing/fake-provider.ts'
import { accountFiles } from './account-files.ts'
import { openConfSettings } from './conf-settings.ts'
import { keychainWorkerStore } from './keychain-worker/client.ts'
import { forkedKeychainWorker } from './keychain-worker/node-worker.ts'

const [dataDir = '.', mode = 'check', countText = '10'] = process.argv.slice(2)
/** What the start-up read of the account files said (see AccountStore). */
let indexRead: { accounts: number; reread: number } | null = null
const logger: Logger = {
  info(event, fields) {
    if (event === 'accounts.index-read') indexRead = fields as typeof indexRead
    if (event === 'accounts.index-refreshed') console.log('indexed')
  },
  warn() {},
  error() {},
}
const provider = fakeProvider(() => Date.now())
// A backend whose renewal leaves the old token valid (PocketBase): one write per refresh, not flushed.
provider.renewalKeepsOldToken = process.env.LATCHKEY_CRASH_KEEPS_OLD_TOKEN === '1'
// Tokens ordered across runs of this process: later ones have larger numbers.
let sequence = 0
provider.refresh = (_config, session) => {
  provider.refreshCalls.push(session)
  const serial = Date.now() * 1000 + (sequence++ % 1000)
  return Promise.resolve({ session: fakeSession(Date.now(), 3_600_000, { accessToken: `access-${String(serial)}`, refreshToken: `refresh-${String(serial)}` }) })
}
const keychain = keychainWorkerStore(forkedKeychainWorker(join(import.meta.dirname, 'keychain-worker/worker.ts')), 'Latchkey Crash Test')
/** How soon another index may be written during a churn run: often, so that kills land while one is written. */
const INDEX_EVERY_MS = 10
const files = accountFiles(join(dataDir, 'accounts'))
// Stamps that never change once a file is old enough for one: only the journal can say Latchkey
// wrote a file since the index (as where times are kept to the second and an inode is reused).
const list = files.list?.bind(files)
const stamp = files.stamp?.bind(files)
const blind = (real: string): string => (real === '' ? '' : 'unchanged')
files.list = function* () {
  for (const file of list?.() ?? []) yield { id: file.id, stamp: blind(file.stamp) }
}
files.stamp = (id) => blind(stamp?.(id) ?? '')
const beginNextJournal = files.beginNextJournal?.bind(files)
files.beginNextJournal = (head) => {
  beginNextJournal?.(head)
  console.log('indexing')
}
const records = new AccountStore(files, logger, 'now', mode === 'churn' ? { indexEveryMs: INDEX_EVERY_MS } : {})
const registry = new AccountRegistry(openConfSettings({ cwd: dataDir }).store, { records })
const latchkey = new Latchkey({
  shell: 'browser',
  version: 'test',
  registry,
  vault: new SecretVault(keychain, { clock: systemClock, logger, records }),
  providers: new ProviderSet([provider]),
  browser: { open: () => Promise.resolve() },
  clipboard: null,
  clock: systemClock,
  logger,
})
await latchkey.loadSecrets()

if (mode === 'setup') {
  for (let i = 0; i < Number(countText); i++) {
    const step = await latchkey.beginSignIn('oidc', { issuer: 'https://id.example.test' }, `Account ${String(i)}`)
    if (step.kind !== 'browser') throw new Error('expected a browser step')
    provider.completeBrowser(signedInAs(`user-${String(i)}`, fakeSession(Date.now(), 3_600_000)))
    await latchkey.completeSignIn(step.attemptId)
  }
  await latchkey.shutdown()
  console.log('ready')
} else if (mode === 'churn') {
  // A quarter of the accounts each run, another quarter the next: the others keep the files the
  // start-up index describes, so two runs between checks leave half of them as indexed.
  const all = latchkey.accounts().map((a) => a.id)
  const quarter = all.filter((_, index) => index % 4 === Number(countText) % 4)
  const ids = quarter.length > 0 ? quarter : all
  const lane = async (start: number): Promise<never> => {
    for (let n = start; ; n += 4) {
      const id = ids[n % ids.length] ?? ''
      await latchkey.refresh(id)
      const copied = await latchkey.copyToken(id, 'access')
      console.log(`durable ${id} ${copied.delivered === 'value' ? copied.value : ''}`)
      // A renewal waits for the network: the event loop turns between them (with the unflushed
      // writes of the backend that keeps old tokens, the lanes would otherwise never leave it one).
      await new Promise((resolve) => setImmediate(resolve))
    }
  }
  await Promise.all([0, 1, 2, 3].map(lane))
} else {
  const state = Object.fromEntries(
    await Promise.all(
      latchkey.accounts().map(async (a) => {
        const copied = await latchkey.copyToken(a.id, 'access').catch(() => null)
        const { lastRefreshAt } = latchkey.detail(a.id)
        return [a.id, { status: a.status, attention: a.attention, lastRefreshAt, token: copied && 'value' in copied ? copied.value : null }] as const
      }),
    ),
  )
  console.log(JSON.stringify({ state, notices: latchkey.appState().notices, indexRead }))
  await latchkey.shutdown()
}
keychain.stop()
