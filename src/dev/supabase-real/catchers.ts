/**
 * Where the real server's mail and texts go in tests: an SMTP catcher (the `smtp-server` package)
 * and an HTTP catcher for the Send-SMS hook, which also serves the email templates (GoTrue fetches
 * them by URL) so every email shows the code and the link the same way the emulator's do.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { closeServer } from '../close-server.ts'

export interface CaughtMail {
  to: string
  subject: string
  text: string
}

export interface CaughtSms {
  phone: string
  otp: string
}

export interface Catchers {
  smtpPort: number
  /** http://127.0.0.1:<port> (templates under /templates/<kind>, the hook at /sms). */
  httpUrl: string
  mails: CaughtMail[]
  texts: CaughtSms[]
  stop(): Promise<void>
}

const TEMPLATE = '<h2>{{ .SiteURL }}</h2>\n<p>Code: {{ .Token }}</p>\n<p>Link: <a href="{{ .ConfirmationURL }}">{{ .ConfirmationURL }}</a></p>\n'

/** Quoted-printable and HTML entities undone, tags dropped: the email as a person reads it. */
export function readableBody(raw: string): string {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/)
  let body = rest.join('\n\n')
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head) || /=\r?\n|=[0-9A-F]{2}/.test(body)) {
    body = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
  }
  return Buffer.from(body, 'latin1')
    .toString('utf8')
    .replace(/<a href="([^"]*)">[^<]*<\/a>/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&#34;|&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .trim()
}

function header(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? ''
  const match = new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)
  return match?.[1]?.trim() ?? ''
}

export async function startCatchers(): Promise<Catchers> {
  const mails: CaughtMail[] = []
  const texts: CaughtSms[] = []
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('latin1')
        for (const to of session.envelope.rcptTo) mails.push({ to: to.address.toLowerCase(), subject: header(raw, 'Subject'), text: readableBody(raw) })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve))
  const http = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
    if (req.method === 'GET' && path.startsWith('/templates/')) {
      res.writeHead(200, { 'content-type': 'text/html' }).end(TEMPLATE)
      return
    }
    if (req.method === 'POST' && path === '/sms') {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => {
        try {
          const payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { user?: { phone?: string }; sms?: { otp?: string; phone?: string } }
          // A phone change texts the new number (sms.phone), not the user's current one.
          texts.push({ phone: (payload.sms?.phone ?? '') || (payload.user?.phone ?? ''), otp: payload.sms?.otp ?? '' })
          res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
        } catch {
          res.writeHead(400).end()
        }
      })
      return
    }
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const smtpAddress = smtp.server.address() as AddressInfo
  return {
    smtpPort: smtpAddress.port,
    httpUrl: `http://127.0.0.1:${String((http.address() as AddressInfo).port)}`,
    mails,
    texts,
    stop: async () => {
      await new Promise<void>((resolve) => smtp.close(() => resolve()))
      await closeServer(http)
    },
  }
}
