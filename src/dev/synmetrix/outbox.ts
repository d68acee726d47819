/** The emails HBP would send (src/shared/email.ts templates), kept for tests and printed by the demo. */
import { Outbox as MailOutbox } from '../outbox.ts'
import type { OutboxMessage } from './types.ts'

export class Outbox extends MailOutbox<OutboxMessage> {}
