/** GET /api/health */
import type { App } from '../app.ts'
import type { Ctx } from '../http.ts'
import { sendJson } from '../http.ts'

export function health(_app: App, ctx: Ctx): void {
  sendJson(ctx, 200, { message: 'API is healthy.', code: 200, data: {} })
}
