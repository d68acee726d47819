/**
 * `npm run bench`: every benchmark, printed as figures and ratios measured in the same run. Nothing
 * is asserted. `npm run bench -- --soak` runs the 10-minute soak instead. Needs `npm run build`.
 */
import { benchCommandLine } from './command-line.ts'
import { benchPocketBase } from './pocketbase.ts'
import { benchRefreshPath } from './refresh-path.ts'
import { benchRenderer } from './renderer.ts'
import { benchScheduler } from './scheduler.ts'
import { benchSignIn } from './sign-in.ts'
import { benchSoak } from './soak.ts'
import { benchStartup } from './startup.ts'

if (process.argv.includes('--soak')) {
  await benchSoak()
} else {
  await benchScheduler()
  await benchRefreshPath()
  await benchStartup()
  await benchRenderer()
  await benchSignIn()
  await benchPocketBase()
  await benchCommandLine()
}
process.exit(0)
