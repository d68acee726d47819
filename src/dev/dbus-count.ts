/** Counts Secret Service method calls on a private D-Bus session bus with dbus-monitor. */
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'

export interface SecretServiceCounter {
  readonly calls: number
  stop(): Promise<void>
}

export async function countSecretServiceCalls(env: Record<string, string>): Promise<SecretServiceCounter> {
  const monitor = spawn('dbus-monitor', ['--session', "type='method_call',path_namespace='/org/freedesktop/secrets'"], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  let calls = 0
  let ready: () => void = () => undefined
  const started = new Promise<void>((resolve) => (ready = resolve))
  createInterface({ input: monitor.stdout }).on('line', (line) => {
    if (line.startsWith('signal') && line.includes('NameAcquired')) ready()
    if (line.startsWith('method call') && line.includes('path=/org/freedesktop/secrets')) calls++
  })
  await Promise.race([started, new Promise((resolve) => setTimeout(resolve, 1000))])
  return {
    get calls() {
      return calls
    },
    stop: () =>
      new Promise<void>((resolve) => {
        monitor.once('exit', () => resolve())
        monitor.kill('SIGTERM')
      }),
  }
}
