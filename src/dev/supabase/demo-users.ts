/** The people on the demo Supabase Auth server (`npm run demo`) and the emulator's defaults. */
import type { EmulatorUser } from './types.ts'

/** Base32 secret of Marie's authenticator (the demo prints it, to add to an authenticator app or compute codes). */
export const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'

export const DEMO_SUPABASE_USERS: readonly EmulatorUser[] = [
  { email: 'rosalind@example.test', password: 'double-helix-1953', name: 'Rosalind Franklin' },
  { email: 'marie@example.test', password: 'radium-1898', name: 'Marie Curie', totpSecret: DEMO_TOTP_SECRET },
  { phone: '+15550100', password: 'telephone-1876', name: 'Alexander Bell' },
]
