/** Looks for secrets where they must never be: settings, logs, the shell's output, the page. */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { cliEndpoint } from '../../src/main/cli-server/socket-path.ts'
import type { OutboxMessage } from '../../src/dev/pocketbase/server.ts'
import type { OutboxMessage as SynmetrixMail } from '../../src/dev/synmetrix/server.ts'
import type { OutboxMessage as AuthingMessage } from '../../src/dev/authing/server.ts'

/** A secret and how a failure names it, without giving it away. */
export interface Secret {
  name: string
  value: string
}

export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    const stat = statSync(path)
    // A socket (the command line's, when there is no runtime dir) holds no text.
    return stat.isDirectory() ? filesUnder(path) : stat.isFile() ? [path] : []
  })
}

/** Auth tokens a server issued. */
export function issuedSecrets(tokens: string[]): Secret[] {
  return tokens.map((token) => ({ name: `token ${token.slice(0, 8)}…`, value: token }))
}

/**
 * The one-time codes and the reset, verification and email-change tokens a PocketBase server mailed;
 * the sign-in links' refresh tokens and the activation, reset and email-change tickets a Synmetrix
 * server mailed.
 */
export function mailedSecrets(messages: (OutboxMessage | SynmetrixMail)[]): Secret[] {
  return messages.flatMap((message) => [
    ...(!('otp' in message) || message.otp === undefined ? [] : [{ name: `code mailed to ${message.to}`, value: message.otp }]),
    ...(message.token === undefined ? [] : [{ name: `${message.kind} token mailed to ${message.to}`, value: message.token }]),
  ])
}

/** The codes an Authing server texted or emailed (digits: looked for as numbers of their own). */
export function authingCodes(messages: AuthingMessage[]): Secret[] {
  return messages.map((message) => ({ name: `code ${message.channel === 'sms' ? 'texted' : 'emailed'} to ${message.to}`, value: message.code }))
}

/** The per-launch keys of the browser shell (in the URL fragment `#key=`). */
export function launchKeys(urls: string[]): Secret[] {
  return urls.map((url, index) => ({ name: `launch key ${String(index + 1)}`, value: new URL(url).hash.replace(/^#key=/, '') }))
}

/**
 * The key of the command line's socket for the launch running now (the content of its 0600 key
 * file, which only that file and the `latchkey` requests may hold), with the file's path.
 */
export function cliSocketKey(dataDir: string, env: Record<string, string | undefined>, launch: number): Secret & { file: string } {
  const { keyFile } = cliEndpoint(dataDir, { ...process.env, ...env })
  return { name: `command-line socket key ${String(launch)}`, value: readFileSync(keyFile, 'utf8').trim(), file: keyFile }
}

/** The `state` and PKCE challenge of every sign-in page Latchkey opened: never in a log file. */
export function signInParameters(urls: string[]): Secret[] {
  return urls.flatMap((url) => {
    const params = new URL(url).searchParams
    return (['state', 'code_challenge'] as const).flatMap((name) => {
      const value = params.get(name)
      return value === null || value.length < 16 ? [] : [{ name: `sign-in ${name} ${value.slice(0, 4)}…`, value }]
    })
  })
}

/** Returns "where: what" for every place a secret appears; empty when clean. */
export function findLeaks(secrets: Secret[], places: { name: string; text: string }[]): string[] {
  const leaks: string[] = []
  for (const secret of secrets) {
    for (const place of places) {
      if (appearsIn(secret.value, place.text)) leaks.push(`${place.name}: ${secret.name}`)
    }
  }
  return leaks
}

export function dataDirTexts(dataDir: string): { name: string; text: string }[] {
  return filesUnder(dataDir).map((path) => ({ name: path, text: readFileSync(path, 'utf8') }))
}

function appearsIn(secret: string, text: string): boolean {
  // A code is digits: found only as a number of its own, not inside a longer one (a timestamp).
  if (/^\d+$/.test(secret)) return new RegExp(`(?<!\\d)${secret}(?!\\d)`).test(text)
  // Also catch a JWT's payload or signature on its own (the header is shared by many tokens).
  const needles = [secret, ...secret.split('.').slice(1).filter((part) => part.length >= 20)]
  return needles.some((needle) => text.includes(needle))
}
