/**
 * The record of every token handed to another tool: when, which account, and the calling command
 * line and process id as the caller reported them. Never the token.
 */
export interface AuditRecord {
  /** ISO time. */
  at: string
  accountId: string
  /** The calling command line as the caller reported it (a few arguments, each cut short). */
  command: string[]
  /** The calling process's id as the caller reported it; null when it did not say. */
  pid: number | null
  /** What happened: the token went out, or the request was refused (and why, in a few words). */
  outcome: 'handed-out' | 'refused'
  /** 'access', 'id' or 'personal access token'; the role for backends that add one. */
  kind: string
  role?: string
  reason?: string
}

/** Where the records go: append-only, bounded, readable only by the person (the data folder's shell adapter). */
export interface AuditLog {
  append(record: AuditRecord): void
  /** The newest records for one account, newest first. */
  list(accountId: string, limit: number): AuditRecord[]
}

/** What a caller says about itself (unverified: recorded as reported). */
export interface Caller {
  pid: number | null
  command: string[]
}

const MAX_ARGS = 24
const MAX_ARG = 200

/** The command line as it will be kept: at most 24 arguments of at most 200 characters. */
export function keptCommand(command: readonly unknown[]): string[] {
  const kept = command
    .slice(0, MAX_ARGS)
    .map((arg) => String(arg))
    .map((arg) => (arg.length > MAX_ARG ? `${arg.slice(0, MAX_ARG)}…` : arg))
  if (command.length > MAX_ARGS) kept.push(`… (${String(command.length - MAX_ARGS)} more)`)
  return kept
}

/** The command's name as a person knows it (`curl` for `/usr/bin/curl -s …`). */
export function commandName(command: readonly string[]): string {
  const first = command[0] ?? ''
  const base = first.split(/[\\/]/).pop() ?? ''
  return base === '' ? 'an unknown program' : base
}
