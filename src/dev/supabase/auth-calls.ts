/**
 * Plain JSON calls to a Supabase Auth server, for the checks that run the same requests against the
 * emulator and the real server: the anon key (or a user's access token), the answer's status and
 * body, and the codes the server emailed or texted (the nth one to an address or number).
 */
import { arrived, mailedCode, mailsTo, textsTo, type Server } from '../../main/providers/supabase/test-targets.ts'

export interface Answer {
  status: number
  body: Record<string, unknown>
}

export interface AuthCalls {
  send: (method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, token?: string) => Promise<Answer>
  /** The body of a 200 answer (anything else fails with the status and the error code). */
  ok: (method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, token?: string) => Promise<Record<string, unknown>>
  mailCode: (to: string, nth?: number) => Promise<string>
  smsCode: (phone: string, nth?: number) => Promise<string>
}

export function authCalls(current: () => Server): AuthCalls {
  const send = async (method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, token?: string): Promise<Answer> => {
    const server = current()
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', apikey: server.anonKey, authorization: `Bearer ${token ?? server.anonKey}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }
  return {
    send,
    ok: async (method, path, body, token) => {
      const answer = await send(method, path, body, token)
      if (answer.status !== 200) throw new Error(`${method} ${path}: ${String(answer.status)} ${String(answer.body.error_code ?? answer.body.code)}`)
      return answer.body
    },
    mailCode: (to, nth = 0) =>
      arrived(() => {
        const mail = mailsTo(current(), to)[nth]
        return mail === undefined ? undefined : mailedCode(mail.text)
      }, `email ${String(nth)} to ${to}`),
    smsCode: (phone, nth = 0) => arrived(() => textsTo(current(), phone)[nth]?.otp, `text ${String(nth)} to ${phone}`),
  }
}
