/** Which handler runs an account action: a table of the account's forms and, in each, its buttons. */
import { AppError } from '../core/errors.ts'

/** `{ form id: { button id: handler } }`. */
export type ActionTable<H> = Readonly<Record<string, Readonly<Record<string, H>>>>

/** The handler of the button `action` on the form `form`; a pair the table does not hold is refused. */
export function actionHandler<H>(table: ActionTable<H>, form: string, action: string): H {
  const buttons = Object.hasOwn(table, form) ? table[form] : undefined
  const handler = buttons !== undefined && Object.hasOwn(buttons, action) ? buttons[action] : undefined
  if (handler === undefined) throw new AppError('UNSUPPORTED', 'This account has no such action.')
  return handler
}
