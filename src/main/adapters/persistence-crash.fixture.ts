/**
 * Run by persistence-crash.test.ts: Latchkey's core on the real settings file, account files and
 * keychain worker, with a scripted backend that renews instantly.
 *
 *   node persistence-crash.fixture.ts <data-dir> setup <count>   signs in <count> accounts
 *   node persistence-crash.fixture.ts <data-dir> churn <run>     refreshes a quarter of them (the run's: every fourth,
 *                                                                 from <run> mod 4) round and round,
 *                                                                 printing "durable <id> <access token>" after each
 *   node persistence-crash.fixture.ts <data-dir> check           prints every account's state as JSON, and
 *                                                                 how many account files the start read beside
 *                                                                 the start-up index (null: it had none to use)
 *
 * LATCHKEY_CRASH_KEEPS_OLD_TOKEN=1: the backend's renewal leaves the old token valid (PocketBase).
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
const records = new AccountStore(accountFiles(join(dataDir, 'accounts')), logger)
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
