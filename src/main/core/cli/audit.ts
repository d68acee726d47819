import type { CliAuditEntry } from '../../../shared/contract.ts'

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
  /** The processes above the caller, nearest first (the script whose subshell asked), as reported. */
  ancestors?: Ancestor[]
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

/** A process above the caller: its id and command line. */
export interface Ancestor {
  pid: number
  command: string[]
}

/** What a caller says about itself (unverified: recorded as reported). */
export interface Caller {
  pid: number | null
  command: string[]
  ancestors?: Ancestor[]
}

/** How many processes above the caller are kept. */
export const MAX_ANCESTORS = 4

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

/** The caller and the processes above it as kept: each command line cut short (keptCommand), at most MAX_ANCESTORS. */
export function keptCaller(caller: Caller): Caller {
  const ancestors = (caller.ancestors ?? []).slice(0, MAX_ANCESTORS).map((a) => ({ pid: a.pid, command: keptCommand(a.command) }))
  return { pid: caller.pid, command: keptCommand(caller.command), ...(ancestors.length > 0 ? { ancestors } : {}) }
}

/** Shells and interpreters: when one runs a script, the script is the program a person knows. */
const INTERPRETERS = /^(?:ba|da|z|k|fi|c|tc)?sh$|^(?:python|perl|ruby|node|bun|deno|php|lua)[\d.]*$/

/**
 * The command's name as a person knows it: `curl` for `/usr/bin/curl -s …`, and the script for a
 * shell or interpreter running one (`deploy.sh` for `bash ./deploy.sh`).
 */
export function commandName(command: readonly string[]): string {
  const base = baseName(command[0] ?? '').replace(/^-/, '')
  if (base === '') return 'an unknown program'
  if (!INTERPRETERS.test(base)) return base
  const script = command.slice(1).find((arg) => !arg.startsWith('-'))
  // `bash -c '…'` runs text, not a script: the shell is the name.
  return script === undefined || command.slice(1).some((arg) => /^-\w*c\w*$/.test(arg) && !arg.startsWith('--')) ? base : baseName(script)
}

/** The processes above the caller as one line, nearest first, a run of the same command line shown once. */
export function ancestryLine(ancestors: readonly Ancestor[] | undefined): string {
  const lines = (ancestors ?? []).map((a) => a.command.join(' ')).filter((line) => line !== '')
  return lines.filter((line, i) => line !== lines[i - 1]).join(' ← ')
}

/** The line the audit keeps for one request (the caller as keptCaller made it). */
export function auditRecord(entry: { at: number; accountId: string; caller: Caller; outcome: AuditRecord['outcome']; kind: string; role?: string; reason?: string }): AuditRecord {
  return {
    at: new Date(entry.at).toISOString(),
    accountId: entry.accountId,
    command: entry.caller.command,
    pid: entry.caller.pid,
    ...(entry.caller.ancestors === undefined ? {} : { ancestors: entry.caller.ancestors }),
    outcome: entry.outcome,
    kind: entry.kind,
    ...(entry.role === undefined ? {} : { role: entry.role }),
    ...(entry.reason === undefined ? {} : { reason: entry.reason }),
  }
}

/** The `cli.token` log line's fields for one audit record: who got what, never the token or the command line. */
export function tokenLogFields(record: AuditRecord): { accountId: string; outcome: AuditRecord['outcome']; kind: string; pid: number | null } {
  return { accountId: record.accountId, outcome: record.outcome, kind: record.kind, pid: record.pid }
}

/** A record as the account's detail shows it. */
export function auditEntry(record: AuditRecord): CliAuditEntry {
  const via = ancestryLine(record.ancestors)
  return {
    at: record.at,
    command: record.command.join(' '),
    pid: record.pid,
    ...(via === '' ? {} : { via }),
    outcome: record.outcome,
    kind: record.kind,
    ...(record.role === undefined ? {} : { role: record.role }),
    ...(record.reason === undefined ? {} : { reason: record.reason }),
  }
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? ''
}
