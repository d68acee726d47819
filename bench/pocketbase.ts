/**
 * PocketBase password sign-in and refresh through Latchkey's provider, against the same calls made
 * with the bare SDK on one shared client, in the same run: the ratio is what the provider adds
 * (auth-methods first, a fresh client per operation, parsing the session and profile).
 */
import { performance } from 'node:perf_hooks'
import PocketBase from 'pocketbase'
import { startPocketBaseEmulator } from '../src/dev/pocketbase/server.ts'
import { systemClock } from '../src/main/core/ports.ts'
import type { SignInStart } from '../src/main/core/provider.ts'
import { createPocketBaseProvider } from '../src/main/providers/pocketbase/index.ts'
import { quiet } from './support/quiet-logger.ts'

const RUNS = 30
const USER = { email: 'bench@example.test', password: 'bench-password-1', name: 'Bench' }

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const samples: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now()
    await run()
    samples.push(performance.now() - t0)
  }
  return median(samples)
}

export async function benchPocketBase(): Promise<void> {
  const emulator = await startPocketBaseEmulator({ users: [USER], superusers: [] })
  const provider = createPocketBaseProvider()
  const config = provider.parseConfig({ url: emulator.url })
  const ctx = { clock: systemClock, logger: quiet }
  const bare = new PocketBase(emulator.url)
  bare.autoCancellation(false)
  try {
    const signIn = async () => {
      const start: SignInStart = await provider.beginSignIn(config, ctx)
      if (start.kind !== 'form') throw new Error('expected the password form')
      const done = await start.submit('password', { identity: USER.email, password: USER.password })
      if (done.kind !== 'done') throw new Error('expected a session')
      return done.signedIn.session
    }
    const session = await signIn()
    const sdkSignIn = await timed(() => bare.collection('users').authWithPassword(USER.email, USER.password))
    const appSignIn = await timed(signIn)
    const sdkRefresh = await timed(() => bare.collection('users').authRefresh())
    const appRefresh = await timed(() => provider.refresh(config, session, ctx))
    console.log(`\nPocketBase against the local emulator (${String(RUNS)} runs each, medians)`)
    console.table([
      { operation: 'password sign-in', 'bare SDK ms': sdkSignIn.toFixed(2), 'Latchkey ms': appSignIn.toFixed(2), ratio: `${(appSignIn / sdkSignIn).toFixed(2)}×` },
      { operation: 'refresh', 'bare SDK ms': sdkRefresh.toFixed(2), 'Latchkey ms': appRefresh.toFixed(2), ratio: `${(appRefresh / sdkRefresh).toFixed(2)}×` },
    ])
    console.log('Latchkey’s sign-in also reads auth-methods (to offer only enabled methods): two requests where the bare call makes one.')
  } finally {
    await emulator.stop()
  }
}

if (import.meta.main) await benchPocketBase()
