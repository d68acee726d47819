// `npm start` / `npm run start:web` / `npm run demo`.
// Builds, then starts the Electron app; where the Electron runtime cannot start, says so in one
// line and starts the browser shell instead. --demo also starts a local OpenID Connect server
// with two demo users and offers it on "Add account".
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { findElectronRuntime } from './electron-runtime.mjs'

const root = resolve(import.meta.dirname, '..')
const { values } = parseArgs({
  options: {
    web: { type: 'boolean', default: false },
    demo: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    port: { type: 'string', default: '0' },
    'no-open': { type: 'boolean', default: false },
  },
})

if (!values['no-build']) {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' })
  if (build.status !== 0) process.exit(build.status ?? 1)
}

const env = { ...process.env }
const stops = []
if (values.demo) {
  const { startDemo } = await import('../src/dev/demo.ts')
  env.LATCHKEY_DATA_DIR ??= join(root, '.cache', 'demo-data')
  mkdirSync(env.LATCHKEY_DATA_DIR, { recursive: true })
  // Without a Secret Service (a headless machine), a private GNOME Keyring kept in the demo's data
  // folder, so sessions are stored as they would be on a desktop and survive a restart.
  const { missingKeyringTools, secretServiceRunning, startKeyringSession } = await import('../src/dev/keyring-session.ts')
  if (!(await secretServiceRunning(env))) {
    const missing = await missingKeyringTools()
    const dir = join(env.LATCHKEY_DATA_DIR, 'keyring')
    if (missing.length > 0) {
      console.log(`Latchkey demo: no Secret Service is running and ${missing.join(', ')} is missing, so sessions are kept in memory only.`)
    } else {
      const keyring = await startKeyringSession({ dir, password: 'latchkey-demo' })
      stops.push(() => keyring.stop())
      env.DBUS_SESSION_BUS_ADDRESS = keyring.env.DBUS_SESSION_BUS_ADDRESS
      console.log(`Latchkey demo: no Secret Service is running here, so the demo started a private GNOME Keyring for its data folder (${dir}); sessions are stored there and survive a restart.`)
    }
  }
  // The demo servers keep their state next to Latchkey's, so a restart keeps every session.
  const demo = await startDemo({ printMail: (line) => console.log(line), stateDir: join(env.LATCHKEY_DATA_DIR, 'demo-servers') })
  stops.push(() => demo.stop())
  env.LATCHKEY_PRESETS = JSON.stringify(demo.presets)
  for (const line of demo.describe()) console.log(line)
}

let child
const runtime = values.web ? null : findElectronRuntime({ tryDownload: true })
if (runtime?.path) {
  child = spawn(runtime.path, ['.'], { cwd: root, env, stdio: 'inherit' })
} else {
  if (runtime) console.log(`Latchkey: Electron cannot start here (${runtime.reason}); starting the browser shell instead.`)
  // The bundled main process (npm run build); `node src/main/web/cli.ts` runs the same from source.
  const args = ['out/web/cli.js', '--port', values.port]
  if (values['no-open']) args.push('--no-open')
  child = spawn(process.execPath, args, { cwd: root, env, stdio: 'inherit' })
}

const stop = async (code) => {
  for (const s of stops) await s()
  process.exit(code)
}
child.on('exit', (code) => void stop(code ?? 0))
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
