/**
 * Opens the settings file through conf or electron-store (they take the same options) and never
 * wipes it: a path that cannot be read (a folder, a broken link, no permission), a file that is not
 * settings (`null`, a list), fails the schema, or fails a migration is renamed aside to
 * `<configName>.corrupt-<timestamp>.json`, a fresh store is opened, and the caller is told why.
 * When even that is impossible, Latchkey starts on settings kept in memory and says so.
 */
import { existsSync, lstatSync, readFileSync, renameSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { SettingsStore } from '../core/ports.ts'
import {
  SETTINGS_DEFAULTS,
  SETTINGS_MIGRATIONS,
  SETTINGS_PROJECT_VERSION,
  SETTINGS_SCHEMA,
  type SettingsData,
} from '../core/settings/schema.ts'
import { currentSettings } from '../core/settings/current-settings.ts'
import { stampOf } from './file-stamp.ts'

/** The options handed to conf / electron-store. */
export interface ConfLikeOptions {
  schema: typeof SETTINGS_SCHEMA
  migrations: typeof SETTINGS_MIGRATIONS
  defaults: SettingsData
  projectVersion: string
  cwd: string
  configName: string
  clearInvalidConfig: false
  configFileMode: number
  /** Read and checked once, then kept (frozen) in memory: a second read of 10,000 accounts cost as much as the first. */
  cache: true
}

/** The part of a conf / electron-store instance the settings need. */
export interface ConfLike {
  store: SettingsData
  readonly path: string
}

export interface SettingsFileOptions {
  /** The folder the file lives in (the app's userData folder). */
  cwd: string
  /** File name without `.json`; default `settings`. */
  configName?: string
  /**
   * The stamp the file had when Latchkey last read it whole (the start-up index keeps it): while
   * the file still has it, it is read and checked only when first asked for (see AccountRegistry).
   */
  trustedStamp?: string | null
}

export interface OpenedSettings {
  store: SettingsStore<SettingsData>
  /**
   * Set when the existing file could not be used: moved aside to `movedTo`, or (null) left where it
   * was. `accounts`: the account entries the moved file still holds (when it is JSON with a list of
   * them), for the app to offer back.
   */
  recovered: { movedTo: string | null; reason: string; accounts?: unknown[] } | null
}

export function openSettingsFile(create: (options: ConfLikeOptions) => ConfLike, options: SettingsFileOptions): OpenedSettings {
  const confOptions: ConfLikeOptions = {
    schema: SETTINGS_SCHEMA,
    migrations: SETTINGS_MIGRATIONS,
    defaults: SETTINGS_DEFAULTS,
    projectVersion: SETTINGS_PROJECT_VERSION,
    cwd: options.cwd,
    configName: options.configName ?? 'settings',
    clearInvalidConfig: false,
    configFileMode: 0o600,
    cache: true,
  }
  const file = join(options.cwd, `${confOptions.configName}.json`)
  if (options.trustedStamp && stampOf(file) === options.trustedStamp) return { store: openedWhenUsed(create, confOptions, file), recovered: null }
  const current = readCurrent(file)
  if (current !== null) return { store: openedWhenUsed(create, confOptions, file, current), recovered: null }
  const unreadable = unreadableReason(file)
  if (unreadable !== null) return recover(create, confOptions, file, unreadable)
  let conf: ConfLike
  try {
    conf = create(confOptions)
  } catch (error) {
    const reason = describeUnusableFile(error)
    if (reason === null || !existsSync(file)) throw error
    return recover(create, confOptions, file, reason)
  }
  return { store: wrap(conf), recovered: null }
}

function recover(create: (options: ConfLikeOptions) => ConfLike, options: ConfLikeOptions, file: string, reason: string): OpenedSettings {
  let movedTo: string
  try {
    movedTo = moveAside(file)
  } catch {
    return { store: memoryStore(file), recovered: { movedTo: null, reason } }
  }
  const accounts = accountsIn(movedTo)
  const recovered = { movedTo, reason, ...(accounts.length > 0 ? { accounts } : {}) }
  try {
    return { store: wrap(create(options)), recovered }
  } catch {
    return { store: memoryStore(file), recovered }
  }
}

/** The entries of the `accounts` list of a settings file that is JSON (checked one by one later); none otherwise. */
function accountsIn(file: string): unknown[] {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as unknown
    const accounts = typeof value === 'object' && value !== null ? (value as { accounts?: unknown }).accounts : undefined
    return Array.isArray(accounts) ? accounts : []
  } catch {
    return []
  }
}

/** Why the path cannot be opened as a settings file before conf even tries; null when it can (or does not exist). */
function unreadableReason(file: string): string | null {
  let text: string
  try {
    if (statSync(file).isDirectory()) return 'The settings path is a folder, not a file.'
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' && !isLink(file)) return null
    return `The settings file cannot be read (${code ?? 'unknown error'}).`
  }
  const start = text.trimStart()
  if (start.startsWith('{')) return null
  if (start === '') return 'The settings file is empty.'
  try {
    const value = JSON.parse(text) as unknown
    const what = value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`
    return `The settings file holds ${what} instead of Latchkey's settings.`
  } catch {
    return 'The settings file is not valid JSON (it may have been cut short or edited by hand).'
  }
}

function isLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink()
  } catch {
    return false
  }
}

/** Settings that live only as long as this run (the file could be neither read nor replaced). */
function memoryStore(path: string): SettingsStore<SettingsData> {
  let data = structuredClone(SETTINGS_DEFAULTS)
  return {
    path,
    read: () => structuredClone(data),
    write: (value) => {
      data = structuredClone(value)
    },
  }
}

function wrap(conf: ConfLike): SettingsStore<SettingsData> {
  return {
    // Frozen by conf (the `cache` option): callers cannot change what they read.
    read: () => conf.store,
    write: (value) => {
      conf.store = value
    },
    get path() {
      return conf.path
    },
    stamp: () => stampOf(conf.path) || null,
  }
}

/**
 * The file read once, when it is current and valid as it is (see current-settings.ts); null when it
 * is not, or cannot be read, and conf is to open it as before.
 */
function readCurrent(file: string): SettingsData | null {
  try {
    const data = currentSettings(JSON.parse(readFileSync(file, 'utf8')))
    if (data === null) return null
    Object.freeze(data.accounts)
    return Object.freeze(data)
  } catch {
    return null
  }
}

/**
 * A file known to be good (unchanged since it was read whole, or just read and checked: `data`):
 * conf opens it on the first write, or on the first read when there is no `data`. `data` is handed
 * to the first read and not kept: the registry keeps what it needs of it, and at 10,000 accounts a
 * second copy of every record cost about 5 MB for the life of the process. A later read (there is
 * none at start) opens the file.
 */
function openedWhenUsed(create: (options: ConfLikeOptions) => ConfLike, options: ConfLikeOptions, file: string, data?: SettingsData): SettingsStore<SettingsData> {
  let conf: ConfLike | null = null
  let unread = data
  const opened = (): ConfLike => (conf ??= create(options))
  return {
    read: () => {
      const first = conf === null ? unread : undefined
      unread = undefined
      return first ?? opened().store
    },
    write: (value) => {
      opened().store = value
    },
    path: file,
    stamp: () => stampOf(file) || null,
  }
}

/** Why the file cannot be used, in words a person understands; null for errors that are not about its content. */
export function describeUnusableFile(error: unknown): string | null {
  if (!(error instanceof Error)) return null
  if (error.name === 'SyntaxError') {
    return 'The settings file is not valid JSON (it may have been cut short or edited by hand).'
  }
  if (error.message.startsWith('Config schema violation:')) {
    const problems = error.message.slice('Config schema violation:'.length).trim().split('; ')
    const shown = problems.slice(0, 3).join('; ') + (problems.length > 3 ? `; and ${problems.length - 3} more` : '')
    return `The settings file does not have the shape this version of Latchkey expects (${shown}).`
  }
  if (error.message.startsWith('Something went wrong during the migration!')) {
    return 'The settings file was written by an older version of Latchkey and could not be upgraded.'
  }
  return null
}

function moveAside(file: string): string {
  const stamp = new Date().toISOString().replaceAll(':', '-').replace('.', '-')
  const base = file.slice(0, -'.json'.length)
  let target = `${base}.corrupt-${stamp}.json`
  for (let n = 1; existsSync(target); n++) target = `${base}.corrupt-${stamp}-${n}.json`
  renameSync(file, target)
  return target
}
