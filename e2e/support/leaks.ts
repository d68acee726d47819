/** Looks for token strings where they must never be: settings, logs, the page. */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

/** Returns "where: token prefix" for every place a token appears; empty when clean. */
export function findLeaks(tokens: string[], places: { name: string; text: string }[]): string[] {
  const leaks: string[] = []
  for (const token of tokens) {
    // Also catch a JWT's payload or signature on its own (the header is shared by many tokens).
    const needles = [token, ...token.split('.').slice(1).filter((part) => part.length >= 20)]
    for (const place of places) {
      if (needles.some((n) => place.text.includes(n))) leaks.push(`${place.name}: ${token.slice(0, 8)}…`)
    }
  }
  return leaks
}

export function dataDirTexts(dataDir: string): { name: string; text: string }[] {
  return filesUnder(dataDir).map((path) => ({ name: path, text: readFileSync(path, 'utf8') }))
}
