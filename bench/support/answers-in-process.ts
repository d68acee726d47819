/**
 * Runs the refresh bench's in-process section (inProcessAnswers in refresh-path.ts) in a child
 * process (answers-in-process-child.ts) in which the backends' fetch (src/main/providers/
 * http-fetch.ts, over node:http) is the global fetch, which that section replaces with answers made
 * in the process: the app's provider and the bare SDK get the same answers, neither through a
 * socket. The app itself is not changed.
 */
import { execFileSync } from 'node:child_process'
import type { SeedAccount } from './seed.ts'

export type Rows = Record<string, string | number>[]

export function inProcessAnswersInChild(template: SeedAccount, size: number): Rows {
  const out = execFileSync(process.execPath, [new URL('./answers-in-process-child.ts', import.meta.url).pathname], {
    input: JSON.stringify({ template, size }),
    encoding: 'utf8',
    maxBuffer: 1 << 22,
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  return JSON.parse(out.trim().split('\n').at(-1) ?? '[]') as Rows
}
