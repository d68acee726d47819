/**
 * Builds the core, its providers and the router from a shell's adapters. Shared by the Electron
 * shell and the browser shell, so both run exactly the same code behind the bridge.
 */
import type { BackendPreset, Notice, ProviderKind } from '../shared/contract.ts'
import type { OpenedSettings } from './adapters/settings-file.ts'
import { AccountStore } from './core/accounts/account-store.ts'
import { AccountRegistry } from './core/accounts/registry.ts'
import { Latchkey } from './core/app/latchkey.ts'
import { ProviderSet } from './core/app/provider-set.ts'
import type { AuditLog } from './core/cli/audit.ts'
import type { AccountFiles, Clipboard, Clock, ExternalBrowser, Logger, SecretStore } from './core/ports.ts'
import { systemClock } from './core/ports.ts'
import { SecretVault } from './core/secrets/vault.ts'
import { createHandlers } from './ipc/handlers/index.ts'
import { createRouter, type Router } from './ipc/router.ts'
import { schemas } from './ipc/schemas.ts'
import { allProviders } from './providers/index.ts'

export interface ShellAdapters {
  shell: 'electron' | 'browser'
  version: string
  /**
   * The settings file, or how to open it given the stamp the start-up index saw for it (a file
   * still as the index saw it is then read only when asked for).
   */
  settings: OpenedSettings | ((trustedStamp: string | null) => OpenedSettings)
  /** Each account's own file (its newest record and sealed secrets), in the data folder. */
  accountFiles: AccountFiles
  secrets: { store: SecretStore } | { store: null; reason: string }
  browser: ExternalBrowser
  clipboard: Clipboard | null
  logger: Logger
  clock?: Clock
  keychainTimeoutMs?: number
  /** Ready-made backend configurations to offer on "Add account" (the demo uses this). */
  presets?: Partial<Record<ProviderKind, BackendPreset[]>>
  /** Where tokens handed to other tools are recorded (none: not recorded, tests). */
  audit?: AuditLog
  /** Called once a burst of renewals is over (at least 1,000 with no 2-second pause, then such a pause). */
  afterRefreshBurst?: () => void
}

export function composeLatchkey(adapters: ShellAdapters): { latchkey: Latchkey; router: Router } {
  return composeOn(new AccountStore(adapters.accountFiles, adapters.logger), adapters)
}

/**
 * The same, with the account files read in slices (see AccountStore.opened): the browser shell
 * listens first and serves the page while they are read.
 */
export async function composeLatchkeyInSlices(adapters: ShellAdapters): Promise<{ latchkey: Latchkey; router: Router }> {
  return composeOn(await AccountStore.opened(adapters.accountFiles, adapters.logger), adapters)
}

function composeOn(records: AccountStore, adapters: ShellAdapters): { latchkey: Latchkey; router: Router } {
  const clock = adapters.clock ?? systemClock
  const notices: Notice[] = []
  const settings = typeof adapters.settings === 'function' ? adapters.settings(records.indexedStamp()) : adapters.settings
  if (settings.recovered) {
    const { movedTo, reason } = settings.recovered
    notices.push({
      id: 'settings-recovered',
      level: 'warning',
      message:
        movedTo === null
          ? `Your settings file could not be read (${reason}). It could not be moved aside either, so Latchkey started with fresh settings that are not saved; fix or remove ${settings.store.path} and restart.`
          : `Your settings file could not be read (${reason}). It was kept as ${movedTo} and Latchkey started with fresh settings.`,
    })
  }
  // Accounts of a settings file that had to be moved aside are offered back like other orphans.
  records.keepIfMissing(settings.recovered?.accounts ?? [])
  const indexed = records.indexedSettings(settings.store.stamp?.() ?? null)
  const registry = new AccountRegistry(settings.store, { records, clock, indexed })
  const vault = new SecretVault(adapters.secrets.store, {
    clock,
    logger: adapters.logger,
    records,
    // Keychain items of older versions (one per account) move into their account's file, also for an
    // account missing from the settings whose file is here: restoring it brings its session back.
    ownsLegacyItem: (id) => registry.has(id) || records.account(id) !== null,
    ...(adapters.secrets.store === null ? { unavailableReason: adapters.secrets.reason } : {}),
    ...(adapters.keychainTimeoutMs ? { timeoutMs: adapters.keychainTimeoutMs } : {}),
  })
  const latchkey = new Latchkey({
    shell: adapters.shell,
    version: adapters.version,
    registry,
    vault,
    providers: new ProviderSet(allProviders(), adapters.presets),
    browser: adapters.browser,
    clipboard: adapters.clipboard,
    clock,
    logger: adapters.logger,
    notices,
    audit: adapters.audit ?? null,
    ...(adapters.afterRefreshBurst ? { afterRefreshBurst: adapters.afterRefreshBurst } : {}),
  })
  const router = createRouter(createHandlers(latchkey), schemas, adapters.logger)
  return { latchkey, router }
}
