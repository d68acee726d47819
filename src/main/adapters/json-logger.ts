/**
 * JSON-lines log. The core never passes secrets; as a safety net, anything that looks like a JWT
 * or a token/code query parameter is masked before it is written.
 */
import { appendFileSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Logger } from '../core/ports.ts'

const JWT = /eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g
const SECRET_PARAM = /([?&](?:code|token|access_token|refresh_token|id_token|state)=)[^&\s"]+/gi

export function redact(text: string): string {
  return text.replace(JWT, '[redacted-jwt]').replace(SECRET_PARAM, '$1[redacted]')
}

export function jsonLogger(options: { file?: string; echo?: (line: string) => void; now?: () => Date }): Logger {
  if (options.file) mkdirSync(dirname(options.file), { recursive: true, mode: 0o700 })
  const write = (level: string, event: string, fields?: Record<string, unknown>): void => {
    const line = redact(JSON.stringify({ time: (options.now?.() ?? new Date()).toISOString(), level, event, ...fields }))
    if (options.file) appendFileSync(options.file, line + '\n', { mode: 0o600 })
    options.echo?.(line)
  }
  return {
    info: (event, fields) => write('info', event, fields),
    warn: (event, fields) => write('warn', event, fields),
    error: (event, fields) => write('error', event, fields),
  }
}
