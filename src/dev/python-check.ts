/**
 * Running a seed's Python SDK against an emulator, as a second independent client: the SDK lives in
 * a venv under .cache (made by scripts/run.sh), the check is a script written to a temp folder and
 * run with that venv's Python. The script prints `RESULT <json>` when done; a line `CODE <address>`
 * asks for the code the emulator sent there, answered on its stdin. Passwords go to it as the first
 * line of its stdin (`input`, as JSON), never on its command line. Where the venv is missing the
 * check is skipped with one line saying so, never in CI.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

export interface PythonSdk {
  python: string
  /** False where the venv is missing and this is not CI: the check is skipped. */
  runs: boolean
}

/** The venv `.cache/<venv>`; says in one line that `name` is skipped when it is missing (outside CI). */
export function pythonSdk(venv: string, name: string): PythonSdk {
  const python = join(process.cwd(), '.cache', venv, 'bin', 'python')
  const runs = existsSync(python) || process.env.CI === 'true'
  if (!runs) console.log(`skipped: the ${name} check (run \`bash scripts/run.sh test\` to install it under .cache)`)
  return { python, runs }
}

/** Runs `script` with `args`; resolves with what it printed after RESULT. Its temp folder is removed afterwards. */
export async function runPythonCheck(
  sdk: PythonSdk,
  script: string,
  args: string[],
  options: { code?: (address: string) => string; timeoutMs?: number; input?: unknown } = {},
): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-python-check-'))
  try {
    writeFileSync(join(dir, 'check.py'), script)
    const child = spawn(sdk.python, [join(dir, 'check.py'), ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
    if (options.input !== undefined) child.stdin.write(`${JSON.stringify(options.input)}\n`)
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    let result: Record<string, unknown> | null = null
    try {
      for await (const line of createInterface({ input: child.stdout })) {
        if (line.startsWith('CODE ')) child.stdin.write(`${options.code?.(line.slice(5)) ?? ''}\n`)
        if (line.startsWith('RESULT ')) result = JSON.parse(line.slice(7)) as Record<string, unknown>
      }
    } finally {
      clearTimeout(timer)
    }
    if (result === null) throw new Error(`the Python check did not finish:\n${stderr.slice(-2000)}`)
    return result
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
