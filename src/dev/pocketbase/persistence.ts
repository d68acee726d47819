/**
 * The emulator's lasting state as JSON, for a demo that survives restarts: each collection's token
 * secrets (so issued tokens stay valid) and its records with their ids, password hashes and
 * tokenKeys. One-time codes and MFA sessions are short-lived and are not kept.
 */
import type { AuthRecord, Collection, Store } from './store.ts'
import type { TokenType } from './store.ts'

type SavedRecord = Omit<AuthRecord, 'collection' | 'files'> & { collection: string; files: [string, { bytes: string; type: string }][] }

export interface SavedEmulatorState {
  secrets: Record<string, Record<TokenType, string>>
  records: SavedRecord[]
}

export function saveEmulatorState(store: Store, collections: readonly Collection[]): SavedEmulatorState {
  return {
    secrets: Object.fromEntries(collections.map((collection) => [collection.name, collection.secrets])),
    records: collections.flatMap((collection) =>
      store.all(collection).map((record) => ({
        ...record,
        collection: collection.name,
        files: [...record.files].map(([name, file]): [string, { bytes: string; type: string }] => [name, { bytes: file.bytes.toString('base64'), type: file.type }]),
      })),
    ),
  }
}

export function restoreEmulatorState(store: Store, collections: readonly Collection[], saved: SavedEmulatorState): void {
  for (const collection of collections) {
    const secrets = saved.secrets[collection.name]
    if (secrets !== undefined) collection.secrets = secrets
  }
  for (const record of saved.records) {
    const collection = collections.find((candidate) => candidate.name === record.collection)
    if (collection === undefined) continue
    store.put({
      ...record,
      collection,
      files: new Map(record.files.map(([name, file]) => [name, { bytes: Buffer.from(file.bytes, 'base64'), type: file.type }])),
    })
  }
}
