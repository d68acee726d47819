/** Builds a whole core (Latchkey) on in-memory fakes, for tests that exercise it end to end. */
import type { EventChannel, EventMap } from '../../../shared/contract.ts'
import { AccountStore } from '../accounts/account-store.ts'
import { AccountRegistry } from '../accounts/registry.ts'
import { Latchkey } from '../app/latchkey.ts'
import { ProviderSet } from '../app/provider-set.ts'
import type { SecretStore, SettingsStore } from '../ports.ts'
import type { Provider } from '../provider.ts'
import { open, parseVaultKey } from '../secrets/sealed.ts'
import { SecretVault, VAULT_KEY_PREFIX } from '../secrets/vault.ts'
import { SETTINGS_DEFAULTS, type SettingsData } from '../settings/schema.ts'
import { FakeClock } from './fake-clock.ts'
import { fakeKeychain } from './fake-keychain.ts'
import { fakeProvider, fakeSession, signedInAs, type FakeProvider } from './fake-provider.ts'
import { memoryAccountFiles } from './memory-account-files.ts'
import { recordingLogger } from './recording-logger.ts'

export function memorySettings(initial: SettingsData = SETTINGS_DEFAULTS): SettingsStore<SettingsData> & { text(): string } {
  let data = structuredClone(initial)
  return { path: '/memory/settings.json', read: () => structuredClone(data), write: (v) => void (data = structuredClone(v)), text: () => JSON.stringify(data) }
}

export interface World {
  clock: FakeClock
  keychain: ReturnType<typeof fakeKeychain>
  settings: ReturnType<typeof memorySettings>
  files: ReturnType<typeof memoryAccountFiles>
  logger: ReturnType<typeof recordingLogger>
  provider: FakeProvider
  opened: string[]
  /** When set, the browser does not open and says this. */
  openFailure: string | null
  clipboard: string[]
}

export function world(): World {
  const clock = new FakeClock()
  return {
    clock,
    keychain: fakeKeychain(),
    settings: memorySettings(),
    files: memoryAccountFiles(),
    logger: recordingLogger(),
    provider: fakeProvider(() => clock.now()),
    opened: [],
    openFailure: null,
    clipboard: [],
  }
}

/**
 * A Latchkey over the world's fakes; call again on the same world to "restart" the app.
 * `providers`: real backends in place of the world's fake one (the OpenID Connect interoperability suite).
 */
export function boot(w: World, options: { keychain?: SecretStore | null; clipboard?: boolean; afterRefreshBurst?: () => void; providers?: Provider[]; records?: AccountStore } = {}) {
  const store = options.keychain === undefined ? w.keychain : options.keychain
  const records = options.records ?? new AccountStore(w.files, w.logger)
  const registry = new AccountRegistry(w.settings, { records, clock: w.clock })
  const latchkey = new Latchkey({
    shell: 'browser',
    version: 'test',
    registry,
    vault: new SecretVault(store, {
      clock: w.clock,
      logger: w.logger,
      records,
      ownsLegacyItem: (id) => registry.has(id),
      ...(store ? {} : { unavailableReason: 'No keychain library.' }),
    }),
    providers: new ProviderSet(options.providers ?? [w.provider]),
    browser: { open: (url) => (w.openFailure === null ? (w.opened.push(url), Promise.resolve()) : Promise.reject(new Error(w.openFailure))) },
    clipboard: options.clipboard
      ? {
          writeText: (t) => (w.clipboard.push(t), Promise.resolve()),
          readText: () => Promise.resolve(w.clipboard.at(-1) ?? ''),
          clear: () => (w.clipboard.push(''), Promise.resolve()),
        }
      : null,
    clock: w.clock,
    logger: w.logger,
    random: () => 0.5,
    ...(options.afterRefreshBurst ? { afterRefreshBurst: options.afterRefreshBurst } : {}),
  })
  const events: { event: EventChannel; payload: unknown }[] = []
  latchkey.subscribe(<E extends EventChannel>(event: E, payload: EventMap[E]) => void events.push({ event, payload }))
  return { latchkey, events }
}

export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** Signs `subject` in through the fake provider's browser step, with a session good for an hour. */
export async function signIn(w: World, latchkey: Latchkey, subject: string) {
  const step = await latchkey.beginSignIn('oidc', { issuer: 'https://id.example.test' })
  if (step.kind !== 'browser') throw new Error('expected a browser step')
  w.provider.completeBrowser(signedInAs(subject, fakeSession(w.clock.now(), 3_600_000)))
  const done = await latchkey.completeSignIn(step.attemptId)
  if (done.kind !== 'done') throw new Error('expected done')
  return done.account
}

/**
 * A world in which `subjects` signed in (`before` runs then, with their accounts) and Latchkey quit
 * cleanly, which leaves the start-up index; booted by `start`. `stampsLie`: a file's stamp looks
 * unchanged after a write, as a real one can (times kept to the second or two, a write of the same
 * size within one; an atomic replace whose new file took a freed inode number).
 */
export async function quitAfterSignIns(
  start: (w: World) => { latchkey: Latchkey },
  subjects: string[],
  options: { stampsLie?: boolean; before?: (latchkey: Latchkey, accounts: Awaited<ReturnType<typeof signIn>>[]) => void } = {},
) {
  const w = world()
  if (options.stampsLie) w.files.stampOf = () => 'unchanged'
  const { latchkey } = start(w)
  await latchkey.loadSecrets()
  const accounts: Awaited<ReturnType<typeof signIn>>[] = []
  for (const subject of subjects) accounts.push(await signIn(w, latchkey, subject))
  options.before?.(latchkey, accounts)
  const listed = latchkey.accounts()
  await latchkey.shutdown()
  return { w, accounts, listed }
}

/** What the world's disk holds for an account, opened with the vault key from the world's keychain. */
export function storedSecret(w: World, id: string): string | undefined {
  const text = w.files.files.get(id)
  const keyItem = [...w.keychain.items].find(([name]) => name.startsWith(VAULT_KEY_PREFIX))?.[1]
  if (!text || !keyItem) return undefined
  const sealed = (JSON.parse(text) as { sealed: string | null }).sealed
  const key = parseVaultKey((JSON.parse(keyItem) as { key: string }).key)
  return sealed && key ? (open(key, id, sealed) ?? undefined) : undefined
}

/** A `start` that boots on a world and remembers each Latchkey; call `stopAll` after each test. */
export function tracked() {
  const running: Latchkey[] = []
  return {
    start: (w: World, options?: Parameters<typeof boot>[1]) => {
      const booted = boot(w, options)
      running.push(booted.latchkey)
      return booted
    },
    /** The same with the account files read in slices, as the browser shell reads them (see AccountStore.opened). */
    startInSlices: async (w: World, options?: Parameters<typeof boot>[1]) => {
      const booted = boot(w, { ...options, records: await AccountStore.opened(w.files, w.logger) })
      running.push(booted.latchkey)
      return booted
    },
    stopAll: () => running.splice(0).forEach((l) => l.dispose()),
  }
}
