/**
 * The PocketBase backend's settings as stored: typed reading and the backend's name. No validation
 * library: the `latchkey` command reads them on its hot path.
 */
import { AppError } from '../../core/errors.ts'
import type { BackendConfig } from '../../core/provider.ts'

export const DEFAULT_COLLECTION = 'users'
export const SUPERUSERS = '_superusers'

/** What the person types for where an OAuth2 provider sends the browser back (only the second is stored). */
export const OAUTH2_VIA_SERVER = 'through the server'
export const OAUTH2_VIA_LOOPBACK = 'to this computer'

/** Why `name` cannot be a PocketBase collection name (as PocketBase allows them), or null when it can. */
export function collectionNameProblem(name: string): string | null {
  return /^[A-Za-z0-9_]+$/.test(name) ? null : 'A collection name has only letters, digits and underscores (for example users or _superusers).'
}

export interface PocketBaseSettings {
  /** The server's base address, without a trailing slash (PocketBase may live under a path). */
  url: string
  /** host[:port], for messages. */
  host: string
  collection: string
  /** The superuser's email when this account was made by impersonation (it cannot sign in by itself). */
  impersonatedBy: string | null
  /**
   * Where OAuth2 providers send the browser back: the server's own /api/oauth2-redirect, which
   * PocketBase asks administrators to register (default), or a loopback receiver on this computer,
   * for providers registered that way.
   */
  oauth2Redirect: 'server' | 'loopback'
}

/** Settings already read, by configuration: every refresh and every summary reads them. */
const readBefore = new Map<string, Readonly<PocketBaseSettings>>()
const READ_BEFORE_MAX = 256
/**
 * The same, by a frozen configuration object (an account record's, which stays the same object
 * from change to change): found without making the key.
 */
const readFrom = new WeakMap<BackendConfig, Readonly<PocketBaseSettings>>()

/** Typed view of a configuration that `parsePocketBaseConfig` (or impersonation) produced. */
export function readSettings(config: BackendConfig): Readonly<PocketBaseSettings> {
  const known = readFrom.get(config)
  if (known !== undefined) return known
  const key = `${config.url ?? ''}\n${config.collection ?? ''}\n${config.impersonatedBy ?? ''}\n${config.oauth2Redirect ?? ''}`
  let settings = readBefore.get(key)
  if (settings === undefined) {
    settings = Object.freeze(settingsFrom(config))
    if (readBefore.size >= READ_BEFORE_MAX) readBefore.clear()
    readBefore.set(key, settings)
  }
  // Only a frozen object can be known by identity: anything else may change after this read.
  if (Object.isFrozen(config)) readFrom.set(config, settings)
  return settings
}

function settingsFrom(config: BackendConfig): PocketBaseSettings {
  const url = URL.parse(config.url ?? '')
  const collection = config.collection ?? DEFAULT_COLLECTION
  if (url === null || collectionNameProblem(collection) !== null) {
    throw new AppError('VALIDATION', 'This account has no valid server address or collection.', { field: 'url' })
  }
  const impersonatedBy = config.impersonatedBy
  return {
    url: normalisedUrl(url.href),
    host: url.host,
    collection,
    impersonatedBy: impersonatedBy === undefined || impersonatedBy === '' ? null : impersonatedBy,
    oauth2Redirect: config.oauth2Redirect === 'loopback' ? 'loopback' : 'server',
  }
}

/** "pb.example.com", "pb.example.com (superusers)", "pb.example.com · members". */
export function pocketBaseBackendName(config: BackendConfig): string {
  const settings = readSettings(config)
  if (settings.collection === SUPERUSERS) return `${settings.host} (superusers)`
  if (settings.collection === DEFAULT_COLLECTION) return settings.host
  return `${settings.host} · ${settings.collection}`
}

export function normalisedUrl(value: string): string {
  return value.replace(/\/+$/, '')
}
