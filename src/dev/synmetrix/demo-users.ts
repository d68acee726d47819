/**
 * The people on the demo Synmetrix server (`npm run demo`) and the emulator's defaults. HBP's e-mail
 * validator refuses unknown top-level domains (`.test` fails), so the addresses use real-looking ones.
 * Grace has TOTP MFA on; its secret is printed by the demo so an authenticator app can be set up.
 */
import type { EmulatorUser } from './types.ts'

export const DEMO_SYNMETRIX_MFA_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DP'

export const DEMO_SYNMETRIX_USERS: readonly EmulatorUser[] = [
  { email: 'ada@synmetrix-demo.com', password: 'lovelace-1815', displayName: 'Ada Lovelace', allowedRoles: ['user', 'manager'], defaultRole: 'user' },
  { email: 'grace@synmetrix-demo.com', password: 'cobol-1959', displayName: 'Grace Hopper', otpSecret: DEMO_SYNMETRIX_MFA_SECRET },
]
