/**
 * The Joi schemas of src/shared/validation.ts, as far as a client meets them: the first problem
 * becomes a 400 whose message is Joi's sentence (`"email" must be a valid email`), and unknown keys
 * are refused. Joi checks email addresses against the IANA list of top-level domains it shipped with,
 * so `.test`, `.example`, `.local`, `.invalid`, `.localhost` and one-letter ones like `.c` fail.
 */
import { badRequest } from './boom.ts'

type Rule =
  | { type: 'email'; required: boolean }
  | { type: 'string'; required: boolean; min?: number; max?: number; length?: number }
  | { type: 'uuid'; required: boolean }
  | { type: 'boolean' }
  | { type: 'roles' }
  | { type: 'object'; keys: readonly string[] }
  | { type: 'any' }

export type Schema = readonly (readonly [string, Rule])[]

/** Generic top-level domains Joi knew in 2019 (a subset that real addresses use); any two-letter country code also passes. */
const GENERIC_TLDS = new Set([
  'com', 'net', 'org', 'edu', 'gov', 'mil', 'int', 'info', 'biz', 'name', 'pro', 'io', 'co', 'dev', 'app', 'ai',
  'cloud', 'tech', 'online', 'site', 'xyz', 'email', 'mail', 'team', 'company', 'group', 'systems', 'digital', 'studio',
])
const RESERVED = new Set(['test', 'example', 'local', 'localhost', 'invalid'])

export function isEmail(value: string): boolean {
  const match = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+)([A-Za-z]{1,63})$/.exec(value)
  if (match === null) return false
  const tld = (match[2] ?? '').toLowerCase()
  if (RESERVED.has(tld)) return false
  return GENERIC_TLDS.has(tld) || /^[a-z]{2}$/.test(tld)
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i

/** Joi.boolean() outside strict mode also takes the strings 'true' and 'false'. */
function isBoolean(value: unknown): boolean {
  return typeof value === 'boolean' || value === 'true' || value === 'false'
}

/** Validates like `schema.validateAsync(body)`: returns the body, or throws Joi's first complaint as a 400. */
export function validate(schema: Schema, body: unknown): Record<string, unknown> {
  const input: Record<string, unknown> = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {}
  for (const [key, rule] of schema) {
    const problem = check(key, rule, input[key])
    if (problem !== null) throw badRequest(problem)
  }
  const known = new Set(schema.map(([key]) => key))
  const unknown = Object.keys(input).find((key) => !known.has(key))
  if (unknown !== undefined) throw badRequest(`"${unknown}" is not allowed`)
  return input
}

function check(key: string, rule: Rule, value: unknown): string | null {
  const label = `"${key}"`
  if (value === undefined) return 'required' in rule && rule.required ? `${label} is required` : null
  switch (rule.type) {
    case 'boolean':
      return isBoolean(value) ? null : `${label} must be a boolean`
    case 'any':
      return null
    case 'roles':
      return Array.isArray(value) && value.every((item) => typeof item === 'string') ? null : `${label} must be an array`
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${label} must be of type object`
      const extra = Object.keys(value).find((inner) => !rule.keys.includes(inner))
      return extra === undefined ? null : `"${key}.${extra}" is not allowed`
    }
    default:
      break
  }
  if (typeof value !== 'string') return `${label} must be a string`
  if (value === '') return `${label} is not allowed to be empty`
  if (rule.type === 'email') return isEmail(value) ? null : `${label} must be a valid email`
  if (rule.type === 'uuid') return UUID_V4.test(value) ? null : `${label} must be a valid GUID`
  if (rule.length !== undefined && value.length !== rule.length) return `${label} length must be ${String(rule.length)} characters long`
  if (rule.min !== undefined && value.length < rule.min) return `${label} length must be at least ${String(rule.min)} characters long`
  if (rule.max !== undefined && value.length > rule.max) return `${label} length must be less than or equal to ${String(rule.max)} characters long`
  return null
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
}
