/**
 * Malformed calls for every invoke channel, from a seeded generator: the same seed gives the same
 * calls, so a failure can be replayed. Each call is invalid by construction (a wrong type, a missing
 * or unknown field, a string too long or empty, a value outside an enum, junk instead of an
 * object), so the only right answer is VALIDATION.
 */
import { MAX_PAGE } from '../../shared/account-list.ts'
import { INVOKE_CHANNELS, PROVIDER_KINDS, type InvokeChannel } from '../../shared/contract.ts'

/** A small, fast, seedable PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Shape = Record<string, FieldKind>
type FieldKind = 'id' | 'key' | 'label' | 'tokenKind' | 'providerKind' | 'config' | 'values' | 'flag' | 'answer' | 'offset' | 'limit'

/** A valid argument per channel (null = the channel takes none), with the kind of each field. */
const SHAPES: Record<InvokeChannel, Shape | null> = {
  'app:state': null,
  'app:dismissNotice': { id: 'id' },
  'app:retryKeychain': null,
  'app:noticeAction': { id: 'id' },
  'backends:list': null,
  'accounts:list': { offset: 'offset', limit: 'limit' },
  'accounts:detail': { id: 'id' },
  'accounts:rename': { id: 'id', label: 'label' },
  'accounts:switch': { id: 'id' },
  'accounts:remove': { id: 'id' },
  'accounts:refresh': { id: 'id' },
  'accounts:copyToken': { id: 'id', kind: 'tokenKind' },
  'accounts:actions': { id: 'id' },
  'accounts:runAction': { id: 'id', form: 'key', action: 'key', values: 'values' },
  'auth:begin': { kind: 'providerKind', config: 'config' },
  'auth:reauth': { id: 'id' },
  'auth:complete': { attemptId: 'id' },
  'auth:continue': { attemptId: 'id', action: 'key', values: 'values' },
  'auth:cancel': { attemptId: 'id' },
  'auth:openAgain': { attemptId: 'id' },
  'auth:signOut': { id: 'id' },
  'cli:access': { id: 'id' },
  'cli:setAccess': { id: 'id', allowed: 'flag' },
  'cli:revokeAll': { id: 'id' },
  'cli:answer': { id: 'id', answer: 'answer' },
}

/** The longest string each kind accepts; one more character is too long. */
const MAX_LENGTH: Partial<Record<FieldKind, number>> = { id: 200, key: 100, label: 500 }

export interface MalformedCall {
  channel: string
  args: unknown
  /** How it was broken, for a readable failure. */
  how: string
}

export function channelFamilies(): Map<string, InvokeChannel[]> {
  const families = new Map<string, InvokeChannel[]>()
  for (const channel of INVOKE_CHANNELS) {
    const family = channel.split(':')[0] ?? channel
    families.set(family, [...(families.get(family) ?? []), channel])
  }
  return families
}

export function malformedCalls(channels: readonly InvokeChannel[], count: number, random: () => number): MalformedCall[] {
  const calls: MalformedCall[] = []
  for (let index = 0; index < count; index += 1) {
    const channel = pick(channels, random)
    calls.push({ channel, ...breakArgs(SHAPES[channel], random) })
  }
  return calls
}

function breakArgs(shape: Shape | null, random: () => number): { args: unknown; how: string } {
  if (shape === null) return { args: junk(random, false), how: 'an argument where none is taken' }
  const valid = validFor(shape, random)
  const fields = Object.keys(shape)
  const field = pick(fields, random)
  const kind = shape[field] as FieldKind
  switch (Math.floor(random() * 6)) {
    case 0:
      return { args: junk(random, false), how: 'not an object' }
    case 1:
      return { args: Object.fromEntries(Object.entries(valid).filter(([name]) => name !== field)), how: `without ${field}` }
    case 2:
      return { args: { ...valid, [`x${randomString(random, 1, 12)}`]: junk(random, true) }, how: 'with an unknown field' }
    case 3:
      return { args: { ...valid, [field]: wrongType(kind, random) }, how: `${field} of the wrong type` }
    case 4:
      return { args: { ...valid, [field]: outOfRange(kind, random) }, how: `${field} out of range` }
    default:
      return { args: { ...valid, [field]: junkNotA(kind, random) }, how: `${field} replaced by junk` }
  }
}

function validFor(shape: Shape, random: () => number): Record<string, unknown> {
  const value: Record<string, unknown> = {}
  for (const [field, kind] of Object.entries(shape)) {
    if (kind === 'tokenKind') value[field] = pick(['access', 'id'], random)
    else if (kind === 'providerKind') value[field] = pick(PROVIDER_KINDS, random)
    else if (kind === 'config') value[field] = { issuer: 'https://id.example.test' }
    else if (kind === 'values') value[field] = { code: '123456' }
    else if (kind === 'flag') value[field] = random() < 0.5
    else if (kind === 'answer') value[field] = pick(['once', 'always', 'deny'], random)
    else if (kind === 'offset') value[field] = Math.floor(random() * 1000)
    else if (kind === 'limit') value[field] = 1 + Math.floor(random() * MAX_PAGE)
    else value[field] = randomString(random, 1, 20)
  }
  return value
}

/** A value of a type the field never accepts. */
function wrongType(kind: FieldKind, random: () => number): unknown {
  if (kind === 'offset' || kind === 'limit') return pick(['7', true, [1], { a: 1 }, null], random)
  if (kind === 'flag') return pick([7, 'true', [true], { a: 1 }, null, 0], random)
  const objectKinds = kind === 'config' || kind === 'values'
  const candidates: unknown[] = objectKinds
    ? [7, true, 'text', [1, 2], null, -0.5]
    : [7, true, [randomString(random, 1, 5)], { a: 1 }, null, -0.5, Number.NaN]
  return pick(candidates, random)
}

/** A value of the right type that breaks a limit: empty, too long, outside the enum, a bad entry. */
function outOfRange(kind: FieldKind, random: () => number): unknown {
  const max = MAX_LENGTH[kind]
  if (max !== undefined) return kind === 'label' || random() < 0.5 ? 'x'.repeat(max + 1 + Math.floor(random() * 50)) : ''
  if (kind === 'offset') return pick([-1, 0.5, 2 ** 60, Number.NaN], random)
  if (kind === 'limit') return pick([0, -1, MAX_PAGE + 1, 1.5, Number.NaN], random)
  if (kind === 'tokenKind') return pick(['refresh', 'ACCESS', '', 'id ', 'secret'], random)
  if (kind === 'flag') return pick(['yes', 1, 'false'], random)
  if (kind === 'answer') return pick(['ONCE', 'allow', '', 'never', 'always '], random)
  if (kind === 'providerKind') return pick(['', 'OIDC', 'ldap', '__proto__', 'pocketbase '], random)
  if (kind === 'config') return { issuer: 42 }
  // values: too many fields, an entry of a wrong type, or two files
  const roll = random()
  if (roll < 0.34) return Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`f${String(i)}`, 'v']))
  if (roll < 0.67) return { code: 12 }
  const file = { name: 'a.png', type: 'image/png', base64: '' }
  return { a: file, b: file }
}

/** Junk of any JSON type; when `anything` is false, never undefined or null (those mean "no argument"). */
function junk(random: () => number, anything: boolean): unknown {
  const options: (() => unknown)[] = [
    () => Math.floor(random() * 2 ** 31) - 2 ** 30,
    () => random() < 0.5,
    () => randomString(random, 0, 40),
    () => [junkLeaf(random), junkLeaf(random)],
    () => ({ [randomString(random, 1, 8)]: junkLeaf(random) }),
    () => ({ __proto__: { polluted: true }, constructor: 'x' }),
  ]
  if (anything) options.push(() => null, () => 1e308, () => ({}))
  return pick(options, random)()
}

/** Junk that cannot pass for the field: no string where a string goes, no object where one goes. */
function junkNotA(kind: FieldKind, random: () => number): unknown {
  if (kind === 'offset' || kind === 'limit') return pick(['12', true, [3], { n: 1 }, null, ''], random)
  if (kind === 'flag') return pick([7, 'true', [true], { a: 1 }, null, 0], random)
  const objectKinds = kind === 'config' || kind === 'values'
  for (;;) {
    const value = junk(random, true)
    const plainObject = typeof value === 'object' && value !== null && !Array.isArray(value)
    if (objectKinds ? !plainObject : typeof value !== 'string') return value
  }
}

function junkLeaf(random: () => number): unknown {
  return pick([0, -1, 'x', true, null, [], {}, '\u0000', '💥', randomString(random, 0, 8)], random)
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_:/.%<>"\\\'{}[]'

function randomString(random: () => number, min: number, max: number): string {
  const length = min + Math.floor(random() * (max - min + 1))
  let text = ''
  for (let index = 0; index < length; index += 1) text += ALPHABET.charAt(Math.floor(random() * ALPHABET.length))
  return text
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T
}
