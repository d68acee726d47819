/**
 * A shell starting on a data folder whose lock the headless core holds asks it to step aside, and
 * takes the lock once it has (its sessions saved first). Never two processes refreshing one account.
 */
import { tryAsk } from '../../cli/connect.ts'
import { acquireInstanceLock, type LockResult } from '../adapters/instance-lock.ts'
import { cliEndpoint } from './socket-path.ts'

export async function acquireTakingOver(dataDir: string, timeoutMs = 10_000): Promise<LockResult> {
  const first = acquireInstanceLock(dataDir)
  if (first.acquired) return first
  const answer = await tryAsk(cliEndpoint(dataDir), 'yield', {}, { pid: process.pid, command: process.argv }).catch(() => null)
  if (!answer?.ok || (answer.value as { yielded?: unknown }).yielded !== true) return first
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    const next = acquireInstanceLock(dataDir)
    if (next.acquired) return next
  }
  return acquireInstanceLock(dataDir)
}
