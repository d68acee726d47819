/**
 * The child process of answers-in-process.ts: a module hook swaps src/main/providers/http-fetch.ts
 * for global-fetch.ts when it is resolved, before anything has loaded it; then the section runs and
 * its rows go to stdout as one line of JSON.
 */
import { readFileSync } from 'node:fs'
import { registerHooks } from 'node:module'
import type { SeedAccount } from './seed.ts'

const stand = new URL('./global-fetch.ts', import.meta.url).href
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context)
    return resolved.url.endsWith('/src/main/providers/http-fetch.ts') ? { ...resolved, url: stand } : resolved
  },
})
const { inProcessAnswers } = await import('../refresh-path.ts')
const { template, size } = JSON.parse(readFileSync(0, 'utf8')) as { template: SeedAccount; size: number }
console.log(JSON.stringify(await inProcessAnswers(template, size)))
