/**
 * Writes `<file>.br` and `<file>.gz` next to every compressible file of a built renderer (at the
 * strongest settings, once, at build time), so the browser shell sends them as they are instead of
 * compressing on the first request of every start. Not the page (`index.html`): the shell sends it
 * from memory, with its bridge written in (see src/main/web/shell-page.ts), so copies of the built
 * file would never be read.
 *
 *   node scripts/precompress.mjs out/renderer
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

const COMPRESSIBLE = /\.(?:js|mjs|css|html|json|svg)$/
const MIN_BYTES = 1024
const PAGE = 'index.html'

const dir = process.argv[2]
if (!dir) {
  console.error('usage: node scripts/precompress.mjs <dir>')
  process.exit(2)
}
let count = 0
for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !COMPRESSIBLE.test(entry.name) || entry.name === PAGE) continue
  const file = join(entry.parentPath, entry.name)
  const content = readFileSync(file)
  if (content.length < MIN_BYTES) continue
  writeFileSync(`${file}.br`, brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: content.length } }))
  writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }))
  count++
}
console.log(`precompressed ${String(count)} file(s) in ${dir}`)
