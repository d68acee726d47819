/** The messages between the main process and the keychain worker process. */
export type KeychainRequest =
  | { id: number; op: 'get' | 'delete'; service: string; key: string }
  | { id: number; op: 'set'; service: string; key: string; secret: string }
  | { id: number; op: 'loadAll'; service: string }

export type KeychainReply =
  | { id: number; ok: true; value: string | null | [string, string][] }
  | { id: number; ok: false; name: string; message: string }
