/**
 * Run by audit-file.test.ts: one of several processes appending to the same audit file at once.
 *
 *   node audit-file.fixture.ts <data-dir> <max-bytes> <writer> <count>
 */
import { auditFile } from './audit-file.ts'

const [dir = '', maxBytes = '0', writer = '', count = '0'] = process.argv.slice(2)
const audit = auditFile(dir, Number(maxBytes))
for (let i = 0; i < Number(count); i++) {
  audit.append({ at: new Date().toISOString(), accountId: writer, command: ['writer', writer, String(i)], pid: process.pid, outcome: 'handed-out', kind: 'access' })
}
