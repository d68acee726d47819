/**
 * A local SMTP server that catches what a real PocketBase mails (smtp-server + mailparser) and
 * reads it as the emulator's outbox: codes and tokens from PocketBase's default templates
 * (core/collection_model_auth_templates.go). 127.0.0.1 only, no TLS, no authentication.
 */
import type { AddressInfo } from 'node:net'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import type { OutboxMessage } from '../types.ts'

export interface MailCatcher {
  port: number
  outbox: { messages(): OutboxMessage[]; last(to: string, kind: OutboxMessage['kind']): OutboxMessage | undefined; clear(): void }
  /** Resolves once `count` messages have arrived (PocketBase sends some in the background). */
  waitFor(count: number, timeoutMs?: number): Promise<void>
  stop(): Promise<void>
}

const TOKEN_LINK = /confirm-(verification|password-reset|email-change)\/([\w.-]+)/
const KIND_OF_LINK: Record<string, OutboxMessage['kind']> = {
  verification: 'verification',
  'password-reset': 'password-reset',
  'email-change': 'email-change',
}

export async function startMailCatcher(): Promise<MailCatcher> {
  const messages: OutboxMessage[] = []
  const waiters = new Set<() => void>()
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const to = [mail.to ?? []].flat().flatMap((address) => address.value.map((entry) => entry.address ?? ''))[0] ?? ''
          messages.push(readMessage(to, mail.subject ?? '', typeof mail.html === 'string' ? mail.html : (mail.text ?? '')))
          for (const wake of waiters) wake()
          callback()
        })
        .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))))
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.server.address() as AddressInfo).port
  return {
    port,
    outbox: {
      messages: () => [...messages],
      last: (to, kind) => messages.findLast((message) => message.to === to && message.kind === kind),
      clear: () => void (messages.length = 0),
    },
    waitFor: (count, timeoutMs = 5000) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (messages.length < count) return
          waiters.delete(check)
          clearTimeout(timer)
          resolve()
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`expected ${String(count)} emails, got ${String(messages.length)}`))
        }, timeoutMs)
        waiters.add(check)
        check()
      }),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

function readMessage(to: string, subject: string, body: string): OutboxMessage {
  const base = { to, subject, text: body, at: Date.now() }
  const otp = /one-time password is:\s*<strong>(\d+)<\/strong>/i.exec(body)?.[1]
  if (otp !== undefined) return { ...base, kind: 'otp', otp }
  const link = TOKEN_LINK.exec(body)
  if (link !== null) return { ...base, kind: KIND_OF_LINK[link[1] ?? ''] ?? 'verification', token: link[2] ?? '' }
  return { ...base, kind: 'login-alert' }
}
