/**
 * The notice for account files that could not be read at start-up (cut short, or changed by hand):
 * made when the app starts, and again once the files a start took from the start-up index have been
 * compared with it (see AccountStore.checkIndexed).
 */
import type { Notice } from '../../../shared/contract.ts'

const DAMAGED_FILES_NOTICE = 'account-files-damaged'

/** The notice for `count` damaged files in `dir`, or null when there are none. */
export function damagedFilesNotice({ count, dir }: { count: number; dir: string }): Notice | null {
  if (count === 0) return null
  const them = count === 1 ? 'it' : 'them'
  return {
    id: DAMAGED_FILES_NOTICE,
    level: 'warning',
    message: `${String(count)} account file${count === 1 ? '' : 's'} in ${dir} could not be read (cut short or changed by hand). Latchkey listed ${them} with the details it had saved elsewhere; sign in again where asked.`,
  }
}
