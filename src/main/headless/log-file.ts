/**
 * Where a Latchkey without a window logs on a data folder: logs/NAME.log. The headless core logs to
 * headless.log, and so does the `latchkey` command when it answers in the core's place (light
 * imports only: the command loads this).
 */
import { join } from 'node:path'

/** The headless core's log, also the command line's when it answers by itself. */
export const HEADLESS_LOG = 'headless'

export function logFile(dataDir: string, name: string): string {
  return join(dataDir, 'logs', `${name}.log`)
}
