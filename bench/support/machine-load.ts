/**
 * How busy other processes kept the machine while a bench measured: CPU time is inflated by
 * whatever else runs on the same cores, so a figure is read with this beside it. Linux only
 * (/proc); elsewhere null.
 */
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'

/** Starts watching; the returned function gives the cores other processes used on average since (null where /proc is missing). */
export function watchOthersLoad(ownPids: () => number[]): () => number | null {
  const start = snapshot(ownPids())
  return () => {
    const end = snapshot(ownPids())
    if (!start || !end || end.total === start.total) return null
    const others = end.busy - start.busy - (end.own - start.own)
    return Math.max(0, (others / (end.total - start.total)) * availableParallelism())
  }
}

interface Snapshot {
  /** Ticks of every CPU, busy ones, and those of our own processes. */
  total: number
  busy: number
  own: number
}

function snapshot(pids: number[]): Snapshot | null {
  try {
    // cpu  user nice system idle iowait irq softirq steal
    const fields = (readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '').trim().split(/\s+/).slice(1, 9).map(Number)
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields
    let own = 0
    for (const pid of pids) {
      const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8')
      // After the command's closing parenthesis: state is field 3, utime 14 and stime 15.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      own += Number(rest[11]) + Number(rest[12])
    }
    return { total: user + nice + system + idle + iowait + irq + softirq + steal, busy: user + nice + system + irq + softirq + steal, own }
  } catch {
    return null
  }
}
