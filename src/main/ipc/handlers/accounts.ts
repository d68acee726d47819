import type { Latchkey } from '../../core/app/latchkey.ts'
import type { Handlers } from '../router.ts'

type AccountChannels =
  | 'accounts:list'
  | 'accounts:detail'
  | 'accounts:rename'
  | 'accounts:switch'
  | 'accounts:remove'
  | 'accounts:refresh'
  | 'accounts:copyToken'
  | 'accounts:actions'
  | 'accounts:runAction'

export function accountHandlers(app: Latchkey): Pick<Handlers, AccountChannels> {
  return {
    'accounts:list': (args) => app.accountPage(args),
    'accounts:detail': ({ id }) => app.detail(id),
    'accounts:rename': ({ id, label }) => app.rename(id, label),
    'accounts:switch': ({ id }) => app.switchTo(id),
    'accounts:remove': ({ id, cleanUp }) => app.remove(id, { cleanUp: cleanUp === true }),
    'accounts:refresh': ({ id, check }) => app.refresh(id, { check: check === true }),
    'accounts:copyToken': ({ id, kind }) => app.copyToken(id, kind),
    'accounts:actions': ({ id }) => app.accountActions(id),
    'accounts:runAction': ({ id, form, action, values }) => app.runAccountAction(id, form, action, values),
  }
}
