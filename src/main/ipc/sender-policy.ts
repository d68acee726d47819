/**
 * Who may call the router: only frames whose URL is on the app's own origin (Electron checklist
 * item 17: validate the sender of every IPC message). Parsed with the URL parser, never startsWith.
 */
import type { Result } from '../../shared/contract.ts'
import type { Router } from './router.ts'

export type SenderPolicy = (frameUrl: string | null | undefined) => boolean

export function allowOrigins(origins: readonly string[]): SenderPolicy {
  const allowed = new Set(origins.map((o) => originOf(o)))
  return (frameUrl) => {
    if (!frameUrl) return false
    try {
      const origin = originOf(frameUrl)
      return origin !== null && allowed.has(origin)
    } catch {
      return false
    }
  }
}

/** scheme://host[:port]; also for custom schemes such as app://, whose URL.origin is "null". */
function originOf(url: string): string | null {
  const parsed = new URL(url)
  return parsed.host === '' ? null : `${parsed.protocol}//${parsed.host}`
}

/** The router behind a sender check; `onRefused` hears about each refused call (for the log). */
export function guardRouter(router: Router, policy: SenderPolicy, onRefused: (channel: string) => void = () => undefined) {
  return (frameUrl: string | null | undefined, channel: string, args: unknown): Promise<Result<unknown>> => {
    if (!policy(frameUrl)) {
      onRefused(channel)
      return Promise.resolve({ ok: false, error: { code: 'FORBIDDEN_SENDER', message: 'This call did not come from Latchkey.' } })
    }
    return router.handle(channel, args)
  }
}
