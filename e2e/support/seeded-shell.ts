/** A browser shell over a data folder seeded for one test: stopped, and its folder removed, after. */
import { rmSync } from 'node:fs'
import { seedFolder, type Seed } from '../../src/dev/seeded-folder.ts'
import { startShell, type ShellProcess } from './shell-process.ts'

/** Runs `use` with a browser shell over the accounts `seeds` makes (given the time they are seeded at). */
export async function withSeededShell(keyringEnv: Record<string, string>, seeds: (now: number) => Seed[], use: (shell: ShellProcess) => Promise<void>): Promise<void> {
  const now = Date.now()
  const dataDir = await seedFolder(seeds(now), keyringEnv, now)
  const shell = await startShell({ dataDir, env: keyringEnv })
  try {
    await use(shell)
  } finally {
    await shell.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
