import type { Latchkey } from '../../core/app/latchkey.ts'
import type { Handlers } from '../router.ts'

export function cliHandlers(app: Latchkey): Pick<Handlers, 'cli:access' | 'cli:setAccess' | 'cli:revokeAll' | 'cli:answer'> {
  return {
    'cli:access': ({ id }) => app.cliAccess(id),
    'cli:setAccess': ({ id, allowed }) => app.setCliAccess(id, allowed),
    'cli:revokeAll': ({ id }) => app.revokeAll(id),
    'cli:answer': ({ id, answer }) => app.answerConsent(id, answer),
  }
}
