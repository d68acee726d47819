import type { SecretStore } from '../ports.ts'

/** An in-memory keychain that can be told to fail or hang. */
export function fakeKeychain(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial))
  const calls: string[] = []
  let mode: 'ok' | 'throw' | 'hang' = 'ok'
  let message = 'The name org.freedesktop.secrets was not provided by any .service files'
  /** `%s` in the failure message stands for the secret being written (some keychains quote it). */
  const act = <T>(name: string, work: () => T, secret = ''): Promise<T> => {
    calls.push(name)
    if (mode === 'hang') return new Promise<T>(() => {})
    if (mode === 'throw') return Promise.reject(new Error(message.replace('%s', secret)))
    return Promise.resolve(work())
  }
  const store: SecretStore & { items: Map<string, string>; calls: string[]; mode(m: typeof mode, text?: string): void } = {
    items,
    calls,
    mode(next, text) {
      mode = next
      if (text !== undefined) message = text
    },
    get: (key) => act(`get ${key}`, () => items.get(key) ?? null),
    loadAll: () => act('loadAll', () => new Map(items)),
    set: (key, secret) => act(`set ${key}`, () => void items.set(key, secret), secret),
    delete: (key) => act(`delete ${key}`, () => void items.delete(key)),
  }
  return store
}
