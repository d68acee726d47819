/** A Logger that keeps every entry, so tests can check what was written (and that no secret was). */
import type { Logger } from '../../main/core/ports.ts'

export interface LogEntry {
  level: 'info' | 'warn' | 'error'
  event: string
  fields?: Record<string, unknown>
}

export class RecordingLogger implements Logger {
  readonly entries: LogEntry[] = []

  info(event: string, fields?: Record<string, unknown>): void {
    this.entries.push({ level: 'info', event, fields })
  }

  warn(event: string, fields?: Record<string, unknown>): void {
    this.entries.push({ level: 'warn', event, fields })
  }

  error(event: string, fields?: Record<string, unknown>): void {
    this.entries.push({ level: 'error', event, fields })
  }

  /** Everything logged, as one string to search. */
  text(): string {
    return JSON.stringify(this.entries, (_key, value: unknown) => (value instanceof Error ? { name: value.name, message: value.message, cause: value.cause } : value))
  }
}
