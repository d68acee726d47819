/** A logger that drops every line: benches measure the app, not their own output. */
import type { Logger } from '../../src/main/core/ports.ts'

export const quiet: Logger = { info() {}, warn() {}, error() {} }
