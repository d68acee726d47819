/** `npm run bench`: every benchmark, printed as figures and ratios measured in the same run. Nothing is asserted. */
import { benchScheduler } from './scheduler.ts'
import { benchSignIn } from './sign-in.ts'
import { benchStartup } from './startup.ts'

await benchScheduler()
await benchStartup()
await benchSignIn()
process.exit(0)
