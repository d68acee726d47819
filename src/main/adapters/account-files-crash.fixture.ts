/**
 * Run by persistence-crash.test.ts: writes account files through the real adapter as fast as it
 * can, texts of several pages (so that a kill can stop a write between pages), some flushed and
 * some not, and prints "written <id> <n>" once each write has returned.
 *
 *   node account-files-crash.fixture.ts <accounts-dir> <start-n>
 */
import { accountFiles } from './account-files.ts'

const [dir = '.', startText = '0'] = process.argv.slice(2)
const files = accountFiles(dir)
const ids = ['a', 'b', 'c', 'd', 'e', 'f']

/** Version n of an account's text: its digits fill it, so a text mixing two versions is caught. */
export function versionText(id: string, n: number): string {
  return JSON.stringify({ id, n, fill: String(n % 10).repeat(6000 + ((n * 37) % 1500)) })
}

if (import.meta.main) {
  for (let n = Number(startText); ; n++) {
    const id = ids[n % ids.length] ?? 'a'
    await files.write(id, versionText(id, n), { durable: n % 3 === 0 })
    console.log(`written ${id} ${String(n)}`)
  }
}
