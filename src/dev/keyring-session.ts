/**
 * A private, unlocked GNOME Keyring on a private D-Bus session bus, for tests and the end-to-end
 * suite. Nothing touches the person's own keyring: the bus socket, the keyring files and the
 * runtime dir all live in a temp dir that `stop()` removes.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface KeyringSession {
  /** What a child process needs (merged over its environment) to use this keyring. */
  env: Record<string, string>
  stop(): Promise<void>
  /** Stops the keyring daemon (the bus stays): the Secret Service goes away, as when a desktop session's keyring crashes. */
  stopDaemon(): Promise<void>
  /** Starts the keyring daemon again on the same bus and keyring files. */
  startDaemon(): Promise<void>
}

const BUS_CONFIG = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

export const KEYRING_TOOLS = ['dbus-daemon', 'gnome-keyring-daemon', 'dbus-send'] as const

/** The tools from KEYRING_TOOLS that are not on PATH. */
export async function missingKeyringTools(): Promise<string[]> {
  const missing: string[] = []
  for (const tool of KEYRING_TOOLS) {
    try {
      await run('sh', ['-c', `command -v ${tool}`])
    } catch {
      missing.push(tool)
    }
  }
  return missing
}

/** Whether a Secret Service answers on the session bus this environment names. */
export async function secretServiceRunning(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if ((env.DBUS_SESSION_BUS_ADDRESS ?? '') === '') return false
  return hasName(env, 'org.freedesktop.secrets').catch(() => false)
}

/**
 * `dir` keeps the keyring's files there across runs (the demo's data folder), unlocked with the
 * same `password` each time; without it everything lives in a temp dir that `stop()` removes. The
 * bus socket and runtime dir are always temporary.
 */
export async function startKeyringSession(options: { password?: string; readyTimeoutMs?: number; dir?: string } = {}): Promise<KeyringSession> {
  const dir = await mkdtemp(join(tmpdir(), 'latchkey-keyring-'))
  const kept = options.dir
  if (kept !== undefined) await mkdir(kept, { recursive: true, mode: 0o700 })
  const dirs = {
    data: join(kept ?? dir, 'data'),
    config: join(kept ?? dir, 'config'),
    cache: join(dir, 'cache'),
    runtime: join(dir, 'runtime'),
  }
  for (const path of Object.values(dirs)) await mkdir(path, { recursive: true, mode: 0o700 })
  const env: Record<string, string> = {
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'bus')}`,
    XDG_DATA_HOME: dirs.data,
    XDG_CONFIG_HOME: dirs.config,
    XDG_CACHE_HOME: dirs.cache,
    XDG_RUNTIME_DIR: dirs.runtime,
  }
  const children: ChildProcess[] = []
  const stop = async () => {
    await Promise.all(children.map(stopChild))
    await rm(dir, { recursive: true, force: true })
  }
  try {
    const childEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? dir, ...env }
    // A session bus without service files: a call while the keyring daemon is down fails instead of
    // starting a second, locked daemon by D-Bus activation.
    const config = join(dir, 'bus.conf')
    await writeFile(config, BUS_CONFIG)
    const bus = spawn('dbus-daemon', [`--config-file=${config}`, '--nofork', '--print-address=1', `--address=${env.DBUS_SESSION_BUS_ADDRESS}`], {
      env: childEnv,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
    children.push(bus)
    await firstLine(bus, 'dbus-daemon')
    let keyring: ChildProcess | null = null
    const startDaemon = async (): Promise<void> => {
      const daemon = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
        env: childEnv,
        stdio: ['pipe', 'ignore', 'ignore'],
      })
      keyring = daemon
      children.push(daemon)
      daemon.stdin.end(options.password ?? 'latchkey-test')
      await waitForName(childEnv, 'org.freedesktop.secrets', options.readyTimeoutMs ?? 10_000, daemon)
    }
    /** A restarted daemon owns its name before it has unlocked the login keyring from stdin. */
    const waitUnlocked = async (): Promise<void> => {
      const deadline = Date.now() + (options.readyTimeoutMs ?? 10_000)
      while (Date.now() < deadline) {
        const { stdout } = await run(
          'dbus-send',
          ['--session', '--dest=org.freedesktop.secrets', '--print-reply', '/org/freedesktop/secrets/collection/login', 'org.freedesktop.DBus.Properties.Get', 'string:org.freedesktop.Secret.Collection', 'string:Locked'],
          { env: childEnv },
        ).catch(() => ({ stdout: '' }))
        if (/boolean false/.test(stdout)) return
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }
    const stopDaemon = async (): Promise<void> => {
      if (keyring) await stopChild(keyring)
      keyring = null
    }
    await startDaemon()
    return { env, stop, stopDaemon, startDaemon: () => startDaemon().then(waitUnlocked) }
  } catch (error) {
    await stop()
    throw error
  }
}

function firstLine(child: ChildProcess, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    const onData = (chunk: Buffer) => {
      text += chunk.toString()
      const end = text.indexOf('\n')
      if (end >= 0) {
        child.stdout?.off('data', onData)
        resolve(text.slice(0, end))
      }
    }
    child.stdout?.on('data', onData)
    child.once('error', (error) => reject(new Error(`${name} could not be started: ${error.message}`)))
    child.once('exit', (code) => reject(new Error(`${name} exited (code ${code}) before it was ready.`)))
  })
}

async function waitForName(env: NodeJS.ProcessEnv, name: string, timeoutMs: number, owner: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (owner.exitCode !== null) throw new Error(`gnome-keyring-daemon exited (code ${owner.exitCode}) before it was ready.`)
    if (await hasName(env, name)) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`${name} did not appear on the private session bus within ${timeoutMs} ms.`)
}

async function hasName(env: NodeJS.ProcessEnv, name: string): Promise<boolean> {
  const { stdout } = await run(
    'dbus-send',
    ['--session', '--dest=org.freedesktop.DBus', '--type=method_call', '--print-reply', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', `string:${name}`],
    { env },
  )
  return /boolean true/.test(stdout)
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 2000)
    child.once('exit', () => {
      clearTimeout(force)
      resolve()
    })
    child.kill('SIGTERM')
  })
}
