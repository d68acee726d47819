/** Name, avatar (multipart `file`, image/*, at most 3 MB) and email notifications. */
import { badRequest, fileTooLarge, internal, notFound } from '../errors.ts'
import { requireSession, stringField } from '../http.ts'
import { route } from './table.ts'

export const AVATAR_MAX_BYTES = 3 * 1024 * 1024

export const PROFILE_ROUTES = [
  route('PATCH', '/api/user/name', async (_state, ctx) => {
    const { user } = requireSession(ctx)
    const name = stringField(await ctx.json(), 'name')
    if (name === undefined || name.trim() === '') throw badRequest('name: String must contain at least 1 character(s)')
    user.name = name
    ctx.send(200)
  }),
  route('PATCH', '/api/user/avatar', async (_state, ctx) => {
    const { user } = requireSession(ctx)
    const file = (await ctx.files()).find((part) => part.name === 'file' && part.filename !== undefined)
    // multer's size limit and a missing file both surface as a 500, not a 413.
    if (file === undefined) throw internal()
    if (file.content.length > AVATAR_MAX_BYTES) throw fileTooLarge()
    if (!file.type.startsWith('image/')) throw badRequest('Invalid file type')
    user.avatar = { type: file.type, bytes: file.content, version: (user.avatar?.version ?? 0) + 1 }
    ctx.send(200)
  }),
  route('PATCH', '/api/user/notify-meta', async (_state, ctx) => {
    const { user } = requireSession(ctx)
    const body = await ctx.json()
    // The whole object is replaced.
    user.notifyMeta = typeof body.email === 'boolean' ? { email: body.email } : {}
    ctx.send(200)
  }),
  route('GET', '/api/attachments/read/public/avatar/:id', (state, ctx) => {
    const user = state.findById(ctx.params.id ?? '')
    if (user?.avatar == null) throw notFound()
    ctx.res.writeHead(200, { 'content-type': user.avatar.type, 'content-length': String(user.avatar.bytes.length) })
    ctx.res.end(user.avatar.bytes)
  }),
]
