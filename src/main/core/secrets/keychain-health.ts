/** Keychain failures as a person reads them: what is wrong and what to do about it. */
import type { StorageHealth } from '../../../shared/contract.ts'
import { KeychainTimeoutError } from './deadline.ts'

const MEMORY_ONLY = 'Until then sessions live in memory only and end when Latchkey quits.'

export const HEALTHY: StorageHealth = { available: true, reason: null, fix: null }

const NO_SERVICE = /org\.freedesktop\.secrets|ServiceUnknown|not provided by any \.service|autolaunch D-Bus|DBUS_SESSION_BUS_ADDRESS|Failed to connect to socket|Could not connect|No such file or directory|Connection refused/i
const LOCKED = /locked|unlock|prompt|dismissed|cancel|interaction is not allowed|user canceled/i

/** The name of the error a keychain adapter throws when its library cannot be loaded at all. */
export const KEYCHAIN_LIBRARY_MISSING = 'KeychainLibraryMissing'

/** The keychain library itself could not be loaded; trying again in this run cannot help. */
export function missingLibraryHealth(reason: string | undefined): StorageHealth {
  return {
    available: false,
    reason: reason ?? 'No keychain library could be loaded.',
    fix: `Install the system keychain library (libsecret on Linux) or reinstall Latchkey, then restart it. ${MEMORY_ONLY}`,
  }
}

/** `redact` removes anything secret from an error's own text before it is shown or logged. */
export function failureHealth(error: unknown, redact: (text: string) => string): StorageHealth {
  if (error instanceof Error && error.name === KEYCHAIN_LIBRARY_MISSING) return missingLibraryHealth(redact(error.message))
  if (error instanceof KeychainTimeoutError) {
    const seconds = Math.round(error.timeoutMs / 100) / 10
    return {
      available: false,
      reason: `The keychain did not answer within ${seconds} seconds (it may be locked and waiting for a password).`,
      fix: `Unlock your keyring (GNOME Keyring, KWallet or the macOS Keychain), then choose Try again. ${MEMORY_ONLY}`,
    }
  }
  const text = redact(error instanceof Error ? error.message : String(error))
  if (NO_SERVICE.test(text)) {
    return {
      available: false,
      reason: 'No Secret Service is running (org.freedesktop.secrets).',
      fix: `Start or unlock your keyring (GNOME Keyring, KWallet), then choose Try again. ${MEMORY_ONLY}`,
    }
  }
  if (LOCKED.test(text)) {
    return {
      available: false,
      reason: 'The keyring is locked.',
      fix: `Unlock your keyring (GNOME Keyring, KWallet or the macOS Keychain), then choose Try again. ${MEMORY_ONLY}`,
    }
  }
  return {
    available: false,
    reason: `The keychain reported an error: ${text.trim().replace(/\.$/, '') || 'no details'}.`,
    fix: `Check that your keyring is running and unlocked, then choose Try again. ${MEMORY_ONLY}`,
  }
}

/** Replaces every known secret (4+ characters) in `text`. */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  let result = text
  for (const secret of secrets) {
    if (secret.length >= 4) result = result.split(secret).join('[secret]')
  }
  return result
}
