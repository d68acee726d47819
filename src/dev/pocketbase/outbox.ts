/** The emails the emulator "sends" (PocketBase's mails package), kept for tests and the demo. */
import { Outbox as MailOutbox } from '../outbox.ts'
import type { OutboxMessage } from './types.ts'

export class Outbox extends MailOutbox<OutboxMessage> {}
