/**
 * Run by refresh-crash.test.ts: Latchkey's core with the Supabase provider, the real settings file,
 * account files and keychain worker, against a Supabase Auth server the test runs.
 *
 *   node refresh-crash.fixture.ts <data-dir> setup <auth-url> <anon-key> <email> <password>
 *       signs the person in and prints "ready"
 *   node refresh-crash.fixture.ts <data-dir> crash
 *       renews the session; once the server's answer is in, before Latchkey writes it, prints
 *       "answered <fingerprint of the new refresh token>" and waits to be killed
 *   node refresh-crash.fixture.ts <data-dir> check
 *       renews the session again and prints "renewed <status> <fingerprint of the refresh token now kept>"
 *
 * Only fingerprints (a SHA-256 prefix) of tokens leave this process.
 */
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { accountFiles } from '../../adapters/account-files.ts'
import { openConfSettings } from '../../adapters/conf-settings.ts'
import { keychainWorkerStore } from '../../adapters/keychain-worker/client.ts'
import { forkedKeychainWorker } from '../../adapters/keychain-worker/node-worker.ts'
import { AccountStore } from '../../core/accounts/account-store.ts'
import { AccountRegistry } from '../../core/accounts/registry.ts'
import { decodeSecrets } from '../../core/app/account-secrets.ts'
import { Latchkey } from '../../core/app/latchkey.ts'
import { ProviderSet } from '../../core/app/provider-set.ts'
import { systemClock, type Logger } from '../../core/ports.ts'
import { SecretVault } from '../../core/secrets/vault.ts'
import { createSupabaseProvider } from './provider.ts'

const [dataDir = '.', mode = 'check', url = '', apiKey = '', email = '', password = ''] = process.argv.slice(2)
const logger: Logger = { info() {}, warn() {}, error() {} }
const fingerprint = (token: string | null): string => createHash('sha256').update(token ?? '').digest('hex').slice(0, 16)

const provider = createSupabaseProvider()
if (mode === 'crash') {
  const renew = provider.refresh.bind(provider)
  provider.refresh = async (config, session, ctx) => {
    const answer = await renew(config, session, ctx)
    console.log(`answered ${fingerprint(answer.session.refreshToken)}`)
    // The process dies here: the answer never reaches the keychain.
    return new Promise<never>(() => {})
  }
}

const keychain = keychainWorkerStore(forkedKeychainWorker(join(import.meta.dirname, '../../adapters/keychain-worker/worker.ts')), 'Latchkey Supabase Crash Test')
const records = new AccountStore(accountFiles(join(dataDir, 'accounts')), logger)
const registry = new AccountRegistry(openConfSettings({ cwd: dataDir }).store, { records })
const vault = new SecretVault(keychain, { clock: systemClock, logger, records })
const latchkey = new Latchkey({ shell: 'browser', version: 'test', registry, vault, providers: new ProviderSet([provider]), browser: { open: () => Promise.resolve() }, clipboard: null, clock: systemClock, logger })
await latchkey.loadSecrets()

/** The refresh token the keychain holds for the account now. */
function keptRefreshToken(id: string): string | null {
  return decodeSecrets(vault.get(id))?.session?.refreshToken ?? null
}

if (mode === 'setup') {
  const step = await latchkey.beginSignIn('supabase', { url, apiKey })
  if (step.kind !== 'form') throw new Error('expected the sign-in form')
  const done = await latchkey.continueSignIn(step.attemptId, 'password', { identity: email, password })
  if (done.kind !== 'done') throw new Error('expected to be signed in')
  console.log(`ready ${fingerprint(keptRefreshToken(done.account.id))}`)
} else {
  const [account] = latchkey.accounts()
  if (account === undefined) throw new Error('no account')
  const renewed = await latchkey.refresh(account.id)
  console.log(`renewed ${renewed.status} ${fingerprint(keptRefreshToken(account.id))}`)
}
await latchkey.shutdown()
keychain.stop()
