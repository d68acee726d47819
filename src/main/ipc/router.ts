/**
 * The transport-free router: channel → handler. Every argument is validated with the channel's
 * schema before a handler sees it; every outcome is a Result. Handler failures that are not an
 * AppError become INTERNAL without echoing the arguments (they may hold a secret).
 */
import type { z } from 'zod'
import { INVOKE_CHANNELS, type InvokeChannel, type InvokeMap, type Result } from '../../shared/contract.ts'
import { AppError } from '../core/errors.ts'
import type { Logger } from '../core/ports.ts'

export type Handlers = {
  [C in InvokeChannel]: (args: InvokeMap[C]['args']) => Promise<InvokeMap[C]['result']> | InvokeMap[C]['result']
}

export type Schemas = { [C in InvokeChannel]: z.ZodType<InvokeMap[C]['args']> }

export interface Router {
  handle(channel: string, args: unknown): Promise<Result<unknown>>
}

const known = new Set<string>(INVOKE_CHANNELS)

export function isInvokeChannel(channel: string): channel is InvokeChannel {
  return known.has(channel)
}

export function createRouter(handlers: Handlers, schemas: Schemas, logger: Logger): Router {
  return {
    async handle(channel, args) {
      if (!isInvokeChannel(channel)) {
        return failure(new AppError('VALIDATION', `Unknown channel "${channel.slice(0, 60)}".`))
      }
      const parsed = schemas[channel].safeParse(args ?? undefined)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]
        const field = issue?.path.map(String).join('.') || undefined
        const message = `Invalid argument${field ? ` "${field}"` : ''}: ${issue?.message ?? 'not accepted'}.`
        return failure(new AppError('VALIDATION', message, field ? { field } : undefined))
      }
      try {
        const handler = handlers[channel] as (a: unknown) => unknown
        const value = await handler(parsed.data)
        return { ok: true, value: value === undefined ? null : value }
      } catch (error) {
        if (error instanceof AppError) return failure(error)
        logger.error('ipc.handler-failed', { channel, error: error instanceof Error ? (error.stack ?? error.message) : String(error) })
        return failure(new AppError('INTERNAL', 'Something went wrong inside Latchkey. The details are in the log.'))
      }
    },
  }
}

function failure(error: AppError): Result<never> {
  return { ok: false, error: error.toDto() }
}
