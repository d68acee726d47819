import { describe, expect, it } from 'vitest'
import { ArgumentError, parseArguments } from './args.ts'

describe("latchkey's arguments", () => {
  it('reads commands, options with a value (spaced or with =), flags, and what follows --', () => {
    expect(parseArguments(['token', 'alice@example.test', '--min-ttl', '120', '--json', '--role=admin', '--data-dir', '/tmp/x'])).toEqual({
      positionals: ['token', 'alice@example.test'],
      minTtl: '120',
      json: true,
      role: 'admin',
      dataDir: '/tmp/x',
      idToken: false,
      help: false,
      command: [],
    })
    expect(parseArguments(['exec', '--env', 'TOKEN', '--', 'curl', '--json', '-h'])).toMatchObject({ positionals: ['exec'], env: 'TOKEN', json: false, help: false, command: ['curl', '--json', '-h'] })
    expect(parseArguments(['-h'])).toMatchObject({ help: true })
    expect(parseArguments(['token', '--id-token'])).toMatchObject({ idToken: true })
  })

  it('refuses unknown options, a missing value, and a value given to a flag, saying which', () => {
    expect(() => parseArguments(['token', '--verbose'])).toThrow(new ArgumentError("Unknown option '--verbose'."))
    expect(() => parseArguments(['token', '--min-ttl'])).toThrow(new ArgumentError("Option '--min-ttl <value>' needs a value."))
    expect(() => parseArguments(['token', '--role', '--json'])).toThrow(ArgumentError)
    expect(() => parseArguments(['token', '--json=yes'])).toThrow(new ArgumentError("Option '--json' takes no value."))
    expect(() => parseArguments(['token', '--__proto__'])).toThrow(ArgumentError)
  })
})
