/**
 * Reading what the person typed into a backend's settings: the backend's zod schema, checked with
 * the first problem reported as a VALIDATION error on its field, and the field shapes several
 * backends share (a server address, an optional value, one with a default, a port).
 */
import { z } from 'zod'
import { AppError } from '../core/errors.ts'
import { serverUrlProblem, type ServerUrlWording } from './server-url.ts'

export function parsedInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const field = typeof issue?.path[0] === 'string' ? issue.path[0] : undefined
  throw new AppError('VALIDATION', issue?.message ?? 'The settings are not valid.', field === undefined ? {} : { field })
}

/** A server's base address the person must type (`missing` when they did not), checked by serverUrlProblem. */
export function serverUrlInput(wording: ServerUrlWording, missing: string) {
  return z.string({ error: missing }).trim().min(1, missing).superRefine(serverUrlCheck(wording))
}

/** serverUrlProblem as a zod refinement, for an address field with a default. */
export function serverUrlCheck(wording: ServerUrlWording): (value: string, ctx: z.RefinementCtx) => void {
  return (value, ctx) => {
    const problem = serverUrlProblem(value, wording)
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem })
  }
}

/** A value that may be left out: trimmed, and undefined when empty. */
export const optionalInput = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value === '' ? undefined : value))

/** A value that may be left out: trimmed, and `fallback` when empty. */
export function defaultedInput(fallback: string) {
  return z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === undefined || value === '' ? fallback : value))
}

/** Whether `value` is a port number from `min` to 65535, as digits. */
export function isPortText(value: string, min: number): boolean {
  return /^\d{1,5}$/.test(value) && Number(value) >= min && Number(value) <= 65535
}
