/** What every emulator's route handlers get about a request, before each adds its own ways of answering. */
import type { IncomingMessage, ServerResponse } from 'node:http'

export interface RequestBase {
  req: IncomingMessage
  res: ServerResponse
  method: string
  url: URL
  /** Path parameters of the matched route. */
  params: Record<string, string>
}
