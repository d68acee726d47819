/**
 * Builds the core, its providers and the router from a shell's adapters. Shared by the Electron
 * shell and the browser shell, so both run exactly the same code behind the bridge.
 */
import type { BackendPreset, Notice, ProviderKind } from '../shared/contract.ts'
import { AccountRegistry } from './core/accounts/registry.ts'
import { Latchkey } from './core/app/latchkey.ts'
import { ProviderSet } from './core/app/provider-set.ts'
import type { Clipboard, Clock, ExternalBrowser, Logger, SecretStore, SettingsStore } from './core/ports.ts'
import { systemClock } from './core/ports.ts'
import { SecretVault } from './core/secrets/vault.ts'
import type { SettingsData } from './core/settings/schema.ts'
import { createHandlers } from './ipc/handlers/index.ts'
import { createRouter, type Router } from './ipc/router.ts'
import { schemas } from './ipc/schemas.ts'
import { allProviders } from './providers/index.ts'

export interface ShellAdapters {
  shell: 'electron' | 'browser'
  version: string
  settings: { store: SettingsStore<SettingsData>; recovered: { movedTo: string; reason: string } | null }
  secrets: { store: SecretStore } | { store: null; reason: string }
  browser: ExternalBrowser
  clipboard: Clipboard | null
  logger: Logger
  clock?: Clock
  keychainTimeoutMs?: number
  /** Ready-made backend configurations to offer on "Add account" (the demo uses this). */
  presets?: Partial<Record<ProviderKind, BackendPreset[]>>
}

export function composeLatchkey(adapters: ShellAdapters): { latchkey: Latchkey; router: Router } {
  const clock = adapters.clock ?? systemClock
  const notices: Notice[] = []
  if (adapters.settings.recovered) {
    const { movedTo, reason } = adapters.settings.recovered
    notices.push({
      id: 'settings-recovered',
      level: 'warning',
      message: `Your settings file could not be read (${reason}). It was kept as ${movedTo} and Latchkey started with fresh settings.`,
    })
  }
  const vault = new SecretVault(adapters.secrets.store, {
    clock,
    logger: adapters.logger,
    ...(adapters.secrets.store === null ? { unavailableReason: adapters.secrets.reason } : {}),
    ...(adapters.keychainTimeoutMs ? { timeoutMs: adapters.keychainTimeoutMs } : {}),
  })
  const latchkey = new Latchkey({
    shell: adapters.shell,
    version: adapters.version,
    registry: new AccountRegistry(adapters.settings.store),
    vault,
    providers: new ProviderSet(allProviders(), adapters.presets),
    browser: adapters.browser,
    clipboard: adapters.clipboard,
    clock,
    logger: adapters.logger,
    notices,
  })
  const router = createRouter(createHandlers(latchkey), schemas, adapters.logger)
  return { latchkey, router }
}
