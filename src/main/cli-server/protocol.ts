/**
 * The command line's protocol with the running Latchkey: one JSON line each way per connection.
 * Types and limits only (the `latchkey` command imports this too).
 */
export const PROTOCOL_VERSION = 2
/** Requests Latchkey still takes: version 1 always described the caller itself. */
export const ACCEPTED_VERSIONS: readonly number[] = [1, PROTOCOL_VERSION]
/** The longest request line accepted; anything longer is refused and the connection closed. */
export const MAX_REQUEST_BYTES = 64 * 1024
/** How long a connection may take to send its request line. */
export const REQUEST_TIMEOUT_MS = 5_000

/** The headless core's exit code when another process holds the data folder's lock (that one answers). */
export const EXIT_LOCK_HELD = 75

export type Op = 'ping' | 'token' | 'accounts' | 'switch' | 'open' | 'yield'

export interface CliRequest {
  v: number
  /** This launch's key, read from the 0600 file next to the socket. */
  key: string
  op: Op
  args?: Record<string, unknown>
  /**
   * The calling process: its id alone (the command's parent: Latchkey reads its command line and the
   * processes above it), or as it describes itself (`latchkey exec`: the program it will start).
   */
  caller?: { pid: number | null; command?: string[]; ancestors?: { pid: number; command: string[] }[] }
}

/** Why a request failed, and the exit code `latchkey` leaves with. */
export const EXIT_CODES = {
  ok: 0,
  error: 1,
  usage: 2,
  'no-account': 3,
  ambiguous: 3,
  'needs-attention': 4,
  'not-allowed': 5,
  denied: 5,
  keychain: 6,
  unsupported: 7,
  unreachable: 8,
} as const

export type FailureReason = keyof typeof EXIT_CODES

export type CliResponse = { ok: true; value: unknown } | { ok: false; reason: FailureReason; message: string; hint: string | null }
