import type { AccountFiles } from '../ports.ts'

/**
 * Account files in memory; `files` is what "the disk" holds, `writes` counts every write and
 * removal, `reads` every file read, `unflushed` the writes made with `durable: false`, `index` the
 * start-up index, `journal` what was written since it, `nextJournal` the journal of an index being
 * written during a session (`replaceIndex` puts the index in place a turn after it is asked), `boot` the machine's boot (change it for a
 * restart), `settingsIndex` the settings part an earlier version kept on its own. A file's stamp
 * follows its content, so a test that changes `files` by hand changes the stamp too; `stampOf` can
 * be replaced by one that lies as a real file's can (a change within one tick of a coarse clock).
 */
export function memoryAccountFiles(initial: Record<string, string> = {}) {
  const files = new Map(Object.entries(initial))
  const store: AccountFiles & Required<Pick<AccountFiles, 'stamp' | 'replaceIndex' | 'beginNextJournal' | 'appendNextJournal' | 'beginJournal' | 'appendJournal' | 'promoteNextJournal' | 'dropNextJournal'>> & { files: Map<string, string>; writes: string[]; unflushed: string[]; index: string | null; journal: string | null; nextJournal: string | null; boot: string; settingsIndex: string | null; reads: number; stampOf: (text: string) => string } = {
    dir: '/memory/accounts',
    files,
    writes: [],
    unflushed: [],
    index: null,
    journal: null,
    nextJournal: null,
    boot: 'boot-1',
    settingsIndex: null,
    reads: 0,
    stampOf,
    *readAll() {
      for (const entry of files) {
        store.reads++
        yield entry
      }
    },
    *list() {
      for (const [id, text] of files) yield { id, stamp: store.stampOf(text) }
    },
    names: () => files.keys(),
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
    readJournal: () => store.journal,
    beginJournal(head) {
      store.journal = head
    },
    appendJournal(line) {
      store.journal = (store.journal ?? '') + line
    },
    dropJournal() {
      store.journal = null
    },
    stamp: (id) => {
      const text = files.get(id)
      return text === undefined ? '' : store.stampOf(text)
    },
    async replaceIndex(parts, stillWanted) {
      await new Promise<void>((resolve) => setImmediate(resolve))
      if (!stillWanted()) return false
      store.index = parts.join('')
      return true
    },
    beginNextJournal(head) {
      store.nextJournal = head
    },
    appendNextJournal(line) {
      store.nextJournal = (store.nextJournal ?? '') + line
    },
    promoteNextJournal() {
      if (store.nextJournal === null) throw new Error('No journal to put in place.')
      store.journal = store.nextJournal
      store.nextJournal = null
    },
    dropNextJournal() {
      store.nextJournal = null
    },
    bootId: () => store.boot,
    readSettingsIndex: () => store.settingsIndex,
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
