/** The people and user-defined fields of the demo Authing user pool (also the tests' defaults). */
import type { EmulatorUser, UdfDefinition } from './types.ts'

/** A fixed TOTP secret so the demo can print it for an authenticator app. */
export const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'

export const DEMO_AUTHING_USERS: readonly EmulatorUser[] = [
  { id: 'ada0000000000000000001', email: 'ada@example.test', username: 'ada', phone: '13800000001', password: 'lovelace-1815', nickname: 'Ada', name: 'Ada Lovelace' },
  { id: 'grace00000000000000001', email: 'grace@example.test', username: 'grace', password: 'cobol-1959', name: 'Grace Hopper', totpSecret: DEMO_TOTP_SECRET },
]

export const DEMO_UDFS: readonly UdfDefinition[] = [
  { key: 'school', label: 'School', dataType: 'STRING' },
  { key: 'age', label: 'Age', dataType: 'NUMBER' },
  { key: 'newsletter', label: 'Newsletter', dataType: 'BOOLEAN' },
]
