import type { Latchkey } from '../../core/app/latchkey.ts'
import type { Handlers } from '../router.ts'
import { accountHandlers } from './accounts.ts'
import { appHandlers } from './app.ts'
import { authHandlers } from './auth.ts'
import { cliHandlers } from './cli.ts'

export function createHandlers(app: Latchkey): Handlers {
  return { ...appHandlers(app), ...accountHandlers(app), ...authHandlers(app), ...cliHandlers(app) }
}
