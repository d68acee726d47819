import type { AccountFiles } from '../ports.ts'

/** Account files in memory; `files` is what "the disk" holds, `writes` counts every write and removal. */
export function memoryAccountFiles(initial: Record<string, string> = {}) {
  const files = new Map(Object.entries(initial))
  const store: AccountFiles & { files: Map<string, string>; writes: string[] } = {
    dir: '/memory/accounts',
    files,
    writes: [],
    readAll: () => new Map(files),
    write(id, text) {
      store.writes.push(id)
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
