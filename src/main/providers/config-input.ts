/** Validates what the person typed with a backend's schema; the first problem is a VALIDATION error on its field. */
import type { z } from 'zod'
import { AppError } from '../core/errors.ts'

export function parsedInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const field = typeof issue?.path[0] === 'string' ? issue.path[0] : undefined
  throw new AppError('VALIDATION', issue?.message ?? 'The settings are not valid.', field === undefined ? {} : { field })
}
