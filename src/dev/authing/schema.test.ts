/**
 * The emulator's GraphQL schema accepts every document the official authing-js-sdk sends for the
 * authentication client's methods (read from the package's own generated graphql.v2.ts), so a
 * missing field or argument shows up here rather than as an unexplained HTTP 400.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { buildSchema, parse, validate } from 'graphql'
import { describe, expect, it } from 'vitest'
import { SCHEMA_SDL } from './schema.ts'

const OPERATIONS = [
  'LoginByEmail', 'LoginByUsername', 'LoginByPhoneCode', 'LoginByPhonePassword', 'RegisterByEmail', 'RegisterByUsername',
  'RegisterByPhoneCode', 'CheckLoginStatus', 'SendEmail', 'ResetPassword', 'UpdateUser', 'UpdatePassword', 'UpdatePhone',
  'UpdateEmail', 'RefreshToken', 'BindPhone', 'UnbindPhone', 'BindEmail', 'UnbindEmail', 'User', 'Udv', 'SetUdv', 'RemoveUdv',
  'SetUdvBatch', 'CheckPasswordStrength', 'IsUserExists',
]

function sdkDocuments(): Map<string, string> {
  const root = dirname(createRequire(import.meta.url).resolve('authing-js-sdk/package.json'))
  const source = readFileSync(join(root, 'src', 'types', 'graphql.v2.ts'), 'utf8')
  return new Map([...source.matchAll(/export const (\w+)Document = `([\s\S]*?)`;/g)].map((match) => [match[1] ?? '', match[2] ?? '']))
}

describe('the GraphQL v2 schema', () => {
  const schema = buildSchema(SCHEMA_SDL)
  const documents = sdkDocuments()
  it.each(OPERATIONS)('accepts authing-js-sdk’s %s document', (operation) => {
    const document = documents.get(operation)
    expect(document, `authing-js-sdk has no ${operation}Document`).toBeDefined()
    expect(validate(schema, parse(document ?? '')).map((error) => error.message)).toEqual([])
  })
})
