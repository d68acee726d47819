/**
 * The PocketBase emulator in a process of its own, so the bench process's CPU time is the client's
 * alone. Prints its URL on stdout.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'

const SCRIPT = `
const { startPocketBaseEmulator } = await import(${JSON.stringify(new URL('../../src/dev/pocketbase/server.ts', import.meta.url).href)})
const seconds = Number(process.argv[1] ?? '0')
const emulator = await startPocketBaseEmulator({
  users: [{ email: 'bench@example.test', password: 'bench-password-1', name: 'Bench' }],
  superusers: [],
  ...(seconds > 0 ? { tokenDurationSeconds: seconds } : {}),
})
console.log(emulator.url)
`

export const BENCH_USER = { email: 'bench@example.test', password: 'bench-password-1' }

export async function startPocketBaseProcess(tokenSeconds = 0): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', SCRIPT, String(tokenSeconds)], { stdio: ['ignore', 'pipe', 'inherit'] })
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`the PocketBase emulator exited (${String(code)})`)))
  })
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}
