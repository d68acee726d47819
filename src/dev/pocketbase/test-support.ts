/** Shared set-up for the emulator's tests: a movable clock, an SDK client per caller, raw requests. */
import PocketBase, { ClientResponseError } from 'pocketbase'
import { afterEach } from 'vitest'
import { startPocketBaseEmulator } from './server.ts'
import type { PocketBaseEmulator, PocketBaseEmulatorOptions } from './server.ts'

export interface TestClock {
  now: () => number
  advance: (seconds: number) => void
}

/** Starts at the real time (whole seconds), so the SDK's local exp checks agree with the emulator. */
export function testClock(start = Math.floor(Date.now() / 1000) * 1000): TestClock {
  let current = start
  return {
    now: () => current,
    advance: (seconds) => {
      current += seconds * 1000
    },
  }
}

/** An emulator on a test clock; stop it with `emulator.stop()`. */
export async function startTestEmulator(options: PocketBaseEmulatorOptions = {}): Promise<{ emulator: PocketBaseEmulator; clock: TestClock }> {
  const clock = testClock()
  const emulator = await startPocketBaseEmulator({ now: clock.now, ...options })
  return { emulator, clock }
}

/** For a test file: starts an emulator per test (on a test clock) and stops it after the test. */
export function emulatorPerTest(): (options?: PocketBaseEmulatorOptions) => Promise<{ emulator: PocketBaseEmulator; clock: TestClock }> {
  let running: PocketBaseEmulator | undefined
  afterEach(async () => {
    await running?.stop()
    running = undefined
  })
  return async (options = {}) => {
    const started = await startTestEmulator(options)
    running = started.emulator
    return started
  }
}

/** A fresh SDK client (one per account, auto-cancellation off, as Latchkey uses it). */
export function sdk(emulator: PocketBaseEmulator): PocketBase {
  const client = new PocketBase(emulator.url)
  client.autoCancellation(false)
  return client
}

/** The ClientResponseError a promise rejects with (fails the test if it resolves). */
export async function failure(promise: Promise<unknown>): Promise<ClientResponseError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof ClientResponseError) return error
    throw error
  }
  throw new Error('Expected the request to fail.')
}

export interface RawResponse {
  status: number
  body: unknown
  headers: Headers
}

/** A request the SDK has no method for (or that the SDK would shape differently). */
export async function raw(
  emulator: PocketBaseEmulator,
  method: string,
  path: string,
  options: { json?: unknown; token?: string; headers?: Record<string, string>; body?: RequestInit['body'] } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { ...options.headers }
  if (options.token !== undefined) headers.authorization = options.token
  if (options.json !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers,
    body: options.json === undefined ? options.body : JSON.stringify(options.json),
  })
  const text = await response.text()
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown), headers: response.headers }
}

export function jwtClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>
}

export const ADA = { email: 'ada@example.test', password: 'lovelace-1815' }
export const GRACE = { email: 'grace@example.test', password: 'cobol-1959' }
export const ROOT = { email: 'root@example.test', password: 'superuser-pass' }
