import type { AccountFiles } from '../ports.ts'

/**
 * Account files in memory; `files` is what "the disk" holds, `writes` counts every write and
 * removal, `unflushed` the writes made with `durable: false`.
 */
export function memoryAccountFiles(initial: Record<string, string> = {}) {
  const files = new Map(Object.entries(initial))
  const store: AccountFiles & { files: Map<string, string>; writes: string[]; unflushed: string[] } = {
    dir: '/memory/accounts',
    files,
    writes: [],
    unflushed: [],
    readAll: () => new Map(files),
    write(id, text, options) {
      store.writes.push(id)
      if (options?.durable === false) store.unflushed.push(id)
      files.set(id, text)
      return Promise.resolve()
    },
    remove(id) {
      store.writes.push(`-${id}`)
      files.delete(id)
      return Promise.resolve()
    },
  }
  return store
}
