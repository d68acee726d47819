/**
 * The bundled browser shell (out/web, `npm run build` first) listens and prints its address before
 * it loads the core: the code its entry reaches without a dynamic import is the server alone, so the
 * browser asks for the page while the core, its providers and their libraries are still loading.
 * The core answers the page without any backend's SDK: each backend's operations (and the SDK
 * they use) load when one is first called. Whether the shell then works (sign-in and renewal after
 * that late load included) is what the other browser-shell tests check.
 */
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { expect, test } from '@playwright/test'

const WEB = resolve(import.meta.dirname, '../out/web')

/** The files a module imports, statically (`import … from "./x.js"`) or with `import("./x.js")`. */
function importsOf(file: string): { static: string[]; dynamic: string[] } {
  const code = readFileSync(file, 'utf8')
  const at = (path: string): string => join(dirname(file), path)
  return {
    static: [...code.matchAll(/(?:import|export)\s*(?:[\w$*{}\s,]*from\s*)?["'`](\.{1,2}\/[^"'`]+)["'`]/g)].map((m) => at(m[1] as string)),
    dynamic: [...code.matchAll(/import\(\s*["'`](\.{1,2}\/[^"'`]+)["'`]\s*\)/g)].map((m) => at(m[1] as string)),
  }
}

/** Every file reached from `entry` through static imports (and through dynamic ones with `dynamic`). */
function reached(entry: string, dynamic: boolean): Set<string> {
  const seen = new Set<string>()
  const visit = (file: string): void => {
    if (seen.has(file)) return
    seen.add(file)
    const imports = importsOf(file)
    for (const next of [...imports.static, ...(dynamic ? imports.dynamic : [])]) visit(next)
  }
  visit(entry)
  return seen
}

/** Code only the core holds: the schema library. */
const holdsCore = (file: string): boolean => /\$ZodType|ZodError/.test(readFileSync(file, 'utf8'))

/** Text each backend SDK's code carries (names and strings the minifier keeps). */
const SDKS: Record<string, RegExp> = {
  pocketbase: /ClientResponseError|pb_auth/,
  '@supabase/auth-js': /X-Supabase-Api-Version|GoTrueClient/,
  oauth4webapi: /oauth4webapi\/v\d/,
  otpauth: /otpauth:\/\//,
}
const sdksIn = (files: Set<string>): string[] =>
  Object.entries(SDKS)
    .filter(([, mark]) => [...files].some((file) => mark.test(readFileSync(file, 'utf8'))))
    .map(([name]) => name)

test('the bundled browser shell reaches its server without loading the core, which it loads after listening', () => {
  // out/web/cli.js turns the compile cache on and imports the shell (shell.js) dynamically: that is the start.
  const shell = join(WEB, 'shell.js')
  expect(importsOf(join(WEB, 'cli.js')).dynamic).toEqual([shell])
  const beforeListening = reached(shell, false)
  const all = reached(shell, true)
  expect([...beforeListening].filter(holdsCore)).toEqual([])
  expect([...all].filter(holdsCore).length).toBeGreaterThan(0)
  const bytes = (files: Set<string>): number => [...files].reduce((sum, file) => sum + readFileSync(file).length, 0)
  // The server is a small part of the shell's code.
  expect(bytes(beforeListening)).toBeLessThan(bytes(all) / 10)
})

test('the core loads no backend SDK to answer the page: each one loads with its backend\'s first operation', () => {
  const shell = join(WEB, 'shell.js')
  const [core] = importsOf(shell).dynamic.filter((file) => /shell-app-[\w-]+\.js$/.test(file))
  expect(core).toBeDefined()
  const firstAnswers = reached(core as string, false)
  expect([...firstAnswers].filter(holdsCore).length).toBeGreaterThan(0)
  expect(sdksIn(firstAnswers)).toEqual([])
  // They are in the bundle, reached through the dynamic imports of the backends' operations.
  expect(sdksIn(reached(core as string, true)).sort()).toEqual(Object.keys(SDKS).sort())
})
