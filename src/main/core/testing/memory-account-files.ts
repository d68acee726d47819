import type { AccountFiles } from '../ports.ts'

/**
 * Account files in memory; `files` is what "the disk" holds, `writes` counts every write and
 * removal, `reads` every file read, `unflushed` the writes made with `durable: false`, `index` the start-up index, `settingsIndex` its settings part kept on its own. A file's
 * stamp follows its content, so a test that changes `files` by hand changes the stamp too.
 */
export function memoryAccountFiles(initial: Record<string, string> = {}) {
  const files = new Map(Object.entries(initial))
  const store: AccountFiles & { files: Map<string, string>; writes: string[]; unflushed: string[]; index: string | null; settingsIndex: string | null; reads: number } = {
    dir: '/memory/accounts',
    files,
    writes: [],
    unflushed: [],
    index: null,
    settingsIndex: null,
    reads: 0,
    *readAll() {
      for (const entry of files) {
        store.reads++
        yield entry
      }
    },
    *list() {
      for (const [id, text] of files) yield { id, stamp: stampOf(text) }
    },
    read(id) {
      store.reads++
      return files.get(id) ?? null
    },
    readIndex: () => store.index,
    writeIndex(text) {
      store.index = text
    },
    dropIndex() {
      store.index = null
    },
    readSettingsIndex: () => store.settingsIndex,
    writeSettingsIndex(text) {
      store.settingsIndex = text
    },
    dropSettingsIndex() {
      store.settingsIndex = null
    },
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

/** Length and an FNV-1a hash of the content. */
function stampOf(text: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193)
  return `${String(text.length)}:${(hash >>> 0).toString(16)}`
}
