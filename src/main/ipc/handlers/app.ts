import type { Latchkey } from '../../core/app/latchkey.ts'
import type { Handlers } from '../router.ts'

export function appHandlers(app: Latchkey): Pick<Handlers, 'app:state' | 'app:dismissNotice' | 'app:retryKeychain' | 'app:noticeAction' | 'backends:list'> {
  return {
    'app:state': () => app.appState(),
    'app:dismissNotice': ({ id }) => app.dismissNotice(id),
    'app:retryKeychain': () => app.retryKeychain(),
    'app:noticeAction': ({ id }) => app.noticeAction(id),
    'backends:list': () => app.backends(),
  }
}
