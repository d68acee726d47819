/**
 * HBP's error answers: @hapi/boom payloads `{statusCode, error, message}` (express-boom and
 * src/errors.ts). Two traps are reproduced: a 500 never says why (Boom hides the message of every
 * badImplementation, which is how HBP says a feature is turned off), and a failed database query (a
 * refresh token that is not a UUID, for one) becomes a 400 with no message at all.
 */

const NAMES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
}

export class Boom extends Error {
  readonly status: number
  readonly payload: { statusCode: number; error: string; message?: string }

  constructor(status: number, message: string | undefined) {
    super(message ?? '')
    this.status = status
    const error = NAMES[status] ?? 'Unknown'
    this.payload = message === undefined ? { statusCode: status, error } : { statusCode: status, error, message }
  }
}

export const badRequest = (message: string): Boom => new Boom(400, message)
export const unauthorized = (message: string): Boom => new Boom(401, message)
export const notFound = (): Boom => new Boom(404, 'Not Found')
/** badImplementation / internal: the reason is logged by HBP, never sent. */
export const badImplementation = (): Boom => new Boom(500, 'An internal server error occurred')
export const notImplemented = (message: string): Boom => new Boom(501, message)
/** Any error without a Boom payload (a failed GraphQL query, bcrypt refusing a null hash) reaching src/errors.ts: status 400, and `message` is absent (undefined in JSON). */
export const databaseError = (): Boom => new Boom(400, undefined)
