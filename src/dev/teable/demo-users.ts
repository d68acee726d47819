/** The people on the demo Teable server (`npm run demo`) and the emulator's defaults. */
import type { TeableEmulatorUser } from './types.ts'

export const DEMO_TEABLE_USERS: readonly TeableEmulatorUser[] = [
  { email: 'tea@example.test', password: 'earlgrey-1907', name: 'Tea Drinker' },
  { email: 'mate@example.test', password: 'yerba-mate-7', name: 'Mate Brewer' },
]
