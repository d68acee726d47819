/**
 * POST /graphql/v2 as Authing answers it: a document that does not parse or validate, or whose
 * variables do not fit, is HTTP 400 with plain-string messages; a business failure is HTTP 200
 * with `errors: [{message: {code, message, data?}, locations, path, extensions}]` and the field null.
 * Introspection works (the Python SDK fetches the schema before every request).
 */
import { buildSchema, execute, GraphQLError, parse, validate } from 'graphql'
import type { DocumentNode, ExecutionResult, GraphQLSchema } from 'graphql'
import { AuthingError } from './errors.ts'
import { mutationResolvers, queryResolvers } from './resolvers.ts'
import type { GqlContext } from './resolvers.ts'
import { SCHEMA_SDL } from './schema.ts'

let schema: GraphQLSchema | null = null

function authingSchema(): GraphQLSchema {
  schema ??= buildSchema(SCHEMA_SDL)
  return schema
}

export interface GqlAnswer {
  status: number
  body: unknown
  /** The operation's name, for the request log. */
  operation?: string
}

export async function runGraphql(body: unknown, ctx: GqlContext): Promise<GqlAnswer> {
  const { query, variables, operationName } = (body ?? {}) as { query?: unknown; variables?: unknown; operationName?: unknown }
  if (typeof query !== 'string' || query === '') return plain400('Must provide query string.')
  let document: DocumentNode
  try {
    document = parse(query)
  } catch (error) {
    return plain400(error instanceof GraphQLError ? error.message : 'Syntax Error')
  }
  const problems = validate(authingSchema(), document)
  if (problems.length > 0) return { status: 400, body: { errors: problems.map((problem) => ({ message: problem.message, locations: problem.locations })) } }
  const operation = operationNameOf(document, typeof operationName === 'string' ? operationName : undefined)
  const result: ExecutionResult = await execute({
    schema: authingSchema(),
    document,
    rootValue: { ...queryResolvers, ...mutationResolvers },
    contextValue: ctx,
    variableValues: (variables ?? {}) as Record<string, unknown>,
    ...(typeof operationName === 'string' ? { operationName } : {}),
  })
  if (result.data === undefined || result.data === null) {
    // Variables that do not fit the operation: a request error, like schema problems.
    if (result.errors?.every((error) => !(error.cause instanceof AuthingError)) === true) {
      return { status: 400, body: { errors: result.errors.map((error) => ({ message: error.message, locations: error.locations })) }, ...(operation ? { operation } : {}) }
    }
  }
  const answer: Record<string, unknown> = { data: result.data ?? null }
  if (result.errors !== undefined && result.errors.length > 0) answer.errors = result.errors.map(formatError)
  return { status: 200, body: answer, ...(operation ? { operation } : {}) }
}

function formatError(error: GraphQLError): Record<string, unknown> {
  const original = error.cause
  const message =
    original instanceof AuthingError
      ? { code: original.code, message: original.message, ...(original.data === undefined ? {} : { data: original.data }) }
      : { code: 500, message: error.message }
  return { message, locations: error.locations, path: error.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } }
}

function plain400(message: string): GqlAnswer {
  return { status: 400, body: { errors: [{ message }] } }
}

function operationNameOf(document: DocumentNode, wanted: string | undefined): string | undefined {
  for (const definition of document.definitions) {
    if (definition.kind !== 'OperationDefinition') continue
    if (wanted === undefined || definition.name?.value === wanted) {
      const first = definition.selectionSet.selections[0]
      return first?.kind === 'Field' ? first.name.value : definition.name?.value
    }
  }
  return undefined
}
