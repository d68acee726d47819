/** A Logger that keeps every line, so tests can check what was (and was not) logged. */
import type { Logger } from '../ports.ts'

export function recordingLogger() {
  const lines: string[] = []
  const log = (level: string) => (event: string, fields?: Record<string, unknown>) => lines.push(`${level} ${event} ${JSON.stringify(fields ?? {})}`)
  const logger: Logger & { lines: string[] } = { lines, info: log('info'), warn: log('warn'), error: log('error') }
  return logger
}
