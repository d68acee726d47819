/** A program run to its end for tests: its exit code and everything it wrote. */
import { spawn } from 'node:child_process'

export interface Ran {
  code: number | null
  stdout: string
  stderr: string
  pid: number
}

export function runProcess(command: string, args: string[], env: NodeJS.ProcessEnv, onSpawn?: (pid: number) => void): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    if (child.pid !== undefined) onSpawn?.(child.pid)
    child.once('error', fail)
    child.once('close', (code) => done({ code, stdout, stderr, pid: child.pid ?? 0 }))
  })
}
