/** `npm run bench`: every benchmark, printed as figures and ratios measured in the same run. Nothing is asserted. */
import { benchPocketBase } from './pocketbase.ts'
import { benchScheduler } from './scheduler.ts'
import { benchSignIn } from './sign-in.ts'
import { benchStartup } from './startup.ts'

await benchScheduler()
await benchStartup()
await benchSignIn()
await benchPocketBase()
process.exit(0)
