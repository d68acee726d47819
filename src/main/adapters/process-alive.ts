/** Whether a process is still running, for a lock or folder that names the process owning it. */

/** True while process `pid` exists, also when it belongs to another user (who may not be signalled). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
