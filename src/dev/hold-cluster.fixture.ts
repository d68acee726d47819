/** Starts a throwaway cluster under the folder given, prints its port, and waits to be killed. */
import { startCluster } from './postgres-cluster.ts'

const cluster = await startCluster(process.argv[2] ?? '')
process.stdout.write(`${String(cluster.port)}\n`)
setInterval(() => undefined, 60_000)
