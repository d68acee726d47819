/** Supabase Auth's send interval on the tests' servers, and the wait for it (see ../../testing/server-clock.ts). */
import { untilPast } from '../../testing/server-clock.ts'

/**
 * One email, text or phone-factor challenge per address, number or factor per this many seconds
 * (GOTRUE_SMTP_MAX_FREQUENCY, GOTRUE_SMS_MAX_FREQUENCY, GOTRUE_MFA_PHONE_MAX_FREQUENCY) on the tests'
 * servers. Not shorter: a test that asks twice at once must still be refused on a loaded machine.
 */
export const SEND_INTERVAL_SECONDS = 1

/** Until the server may send again to what it sent to at `sentBy` (read after that send's answer); `seconds`: its interval, when a test file sets another. */
export const untilSendAllowed = (sentBy: number, seconds = SEND_INTERVAL_SECONDS): Promise<void> => untilPast(sentBy, seconds)
