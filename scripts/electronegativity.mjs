// Runs Electronegativity over the source. Fails on any finding above INFORMATIONAL unless the code
// it points at carries a justification comment: `// electronegativity: <reason>` on that line or
// the line above.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version
const reportDir = mkdtempSync(join(tmpdir(), 'latchkey-eng-'))
process.on('exit', () => rmSync(reportDir, { recursive: true, force: true }))
const out = join(reportDir, 'report.csv')
const cli = join(root, 'node_modules/@doyensec/electronegativity/dist/index.js')
const preload = ['offline-got.cjs', 'report-writes-in-order.cjs'].flatMap((name) => ['--require', join(root, 'scripts', name)])
const run = spawnSync(process.execPath, [...preload, cli, '-i', 'src', '-o', out, '-e', electronVersion], {
  cwd: root,
  encoding: 'utf8',
  env: { ...process.env, LATCHKEY_ENG_REPORT: out },
})
if (run.status !== 0) {
  console.error(run.stdout, run.stderr)
  process.exit(run.status ?? 1)
}

const rows = parseCsv(readFileSync(out, 'utf8'))
const header = rows.shift() ?? []
const col = (name) => header.findIndex((h) => h.trim().toLowerCase() === name)
const [iIssue, iSeverity, iFile, iLocation, iDesc] = ['issue', 'severity', 'filename', 'location', 'description'].map(col)
const findings = rows.filter((r) => r.length > 1)
const blocking = []
for (const r of findings) {
  const severity = (r[iSeverity] ?? '').trim().toUpperCase()
  if (severity === 'INFORMATIONAL' || severity === '') continue
  const file = r[iFile] ?? ''
  const line = Number((r[iLocation] ?? '0').split(':')[0])
  if (justified(file, line)) continue
  blocking.push(`${severity} ${r[iIssue]} at ${file}:${line} — ${r[iDesc]}`)
}
console.log(`electronegativity (Electron ${electronVersion}): ${findings.length} findings, ${blocking.length} unjustified above informational`)
for (const b of blocking) console.log(`  ${b}`)
process.exit(blocking.length > 0 ? 1 : 0)

function justified(file, line) {
  try {
    const path = file.startsWith('/') ? file : join(root, 'src', file)
    const lines = readFileSync(path, 'utf8').split('\n')
    return [lines[line - 1], lines[line - 2]].some((l) => l?.includes('electronegativity:'))
  } catch {
    return false
  }
}

function parseCsv(text) {
  const rows = []
  let row = [], field = '', quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++ } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') { row.push(field); field = '' }
    else if (c === '\n') { row.push(field); rows.push(row); row = []; field = '' }
    else if (c !== '\r') field += c
  }
  if (field || row.length) { row.push(field); rows.push(row) }
  return rows
}
