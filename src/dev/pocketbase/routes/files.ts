/** GET /api/files/{collection}/{recordId}/{filename}: a stored file, served the way PocketBase serves uploads. */
import type { App } from '../app.ts'
import { notFound } from '../errors.ts'
import type { Ctx } from '../http.ts'

export function serveFile(app: App, ctx: Ctx): void {
  const collection = app.store.collection(ctx.params.collection ?? '')
  const record = collection === undefined ? undefined : app.store.find(collection, ctx.params.recordId ?? '')
  const name = ctx.params.filename ?? ''
  const file = record?.files.get(name)
  if (file === undefined) throw notFound()
  const inline = file.type.startsWith('image/') && file.type !== 'image/svg+xml'
  ctx.writeHead(200, {
    'content-type': file.type,
    'content-length': String(file.bytes.length),
    'content-disposition': `${inline ? 'inline' : 'attachment'}; filename=${name}`,
    'content-security-policy': "default-src 'none'; media-src 'self'; style-src 'unsafe-inline'; sandbox",
    'cache-control': 'max-age=2592000, stale-while-revalidate=86400',
  })
  ctx.res.end(ctx.method === 'HEAD' ? undefined : file.bytes)
}
