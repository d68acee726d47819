/**
 * The record routes a profile screen needs (apis/record_crud.go). The default `users` rules are
 * `id = @request.auth.id`, so a user sees and edits only their own record (404 otherwise, 404 for
 * guests too); `_superusers` records, and those of a rule left unset, are for superusers only (403).
 * A superuser may do anything.
 */
import type { App } from '../app.ts'
import type { ParsedBody, UploadedFile } from '../body.ts'
import { badRequest, fieldError, forbidden, notFound } from '../errors.ts'
import type { FieldError } from '../errors.ts'
import { avatarError, sniffMimeType, storedFileName } from '../files.ts'
import type { Ctx } from '../http.ts'
import { sendJson } from '../http.ts'
import { exportRecord, passwordMatches } from '../store.ts'
import type { AuthRecord, Collection, RecordChanges, RecordRule } from '../store.ts'
import { isEmailFormat, runeCount } from '../validation.ts'
import { isSuperuser } from './common.ts'
import { PASSWORD_MIN_LENGTH } from './password-reset.ts'

const PASSWORD_MAX_LENGTH = 71
const NAME_MAX_LENGTH = 255
const MAX_PER_PAGE = 1000
const UPDATE_FAILED = 'Failed to update record.'

/** The collection in the path, where this rule lets the caller in at all (a rule left unset: superusers only). */
function recordsCollection(app: App, ctx: Ctx, rule: RecordRule): Collection {
  const collection = app.store.collection(ctx.params.collection ?? '')
  if (collection === undefined) throw notFound('Missing collection context.')
  const unset = collection.name === '_superusers' || collection.superusersOnly.includes(rule)
  if (unset && !isSuperuser(ctx.auth)) throw forbidden('Only superusers can perform this action.')
  return collection
}

/** The records the rules let this caller reach. */
function visible(app: App, ctx: Ctx, collection: Collection): AuthRecord[] {
  if (isSuperuser(ctx.auth)) return app.store.all(collection)
  return ctx.auth?.collection === collection ? [ctx.auth] : []
}

function reachable(app: App, ctx: Ctx, collection: Collection): AuthRecord {
  const record = visible(app, ctx, collection).find((candidate) => candidate.id === ctx.params.id)
  if (record === undefined) throw notFound()
  return record
}

const shown = (ctx: Ctx, record: AuthRecord): Record<string, unknown> => exportRecord(record, isSuperuser(ctx.auth) || ctx.auth === record)

export function listRecords(app: App, ctx: Ctx): void {
  const collection = recordsCollection(app, ctx, 'list')
  const all = visible(app, ctx, collection)
  const query = ctx.url.searchParams
  const page = Math.max(1, Number.parseInt(query.get('page') ?? '', 10) || 1)
  const perPage = Math.min(MAX_PER_PAGE, Math.max(1, Number.parseInt(query.get('perPage') ?? '', 10) || 30))
  const skipTotal = ['1', 'true'].includes(query.get('skipTotal') ?? '')
  const items = all.slice((page - 1) * perPage, page * perPage).map((record) => shown(ctx, record))
  sendJson(
    ctx,
    200,
    {
      page,
      perPage,
      totalItems: skipTotal ? -1 : all.length,
      totalPages: skipTotal ? -1 : Math.ceil(all.length / perPage),
      items,
    },
    { list: true },
  )
}

export function viewRecord(app: App, ctx: Ctx): void {
  const collection = recordsCollection(app, ctx, 'view')
  sendJson(ctx, 200, shown(ctx, reachable(app, ctx, collection)))
}

export async function updateRecord(app: App, ctx: Ctx): Promise<void> {
  const collection = recordsCollection(app, ctx, 'update')
  const body = await ctx.body()
  const record = reachable(app, ctx, collection)
  const manage = isSuperuser(ctx.auth)
  const form = readForm(body, record)

  const formErrors = checkFormFields(form, record, manage)
  if (Object.keys(formErrors).length > 0) throw badRequest(UPDATE_FAILED, formErrors)

  const { changes, errors } = recordChanges(form, record)
  if (Object.keys(errors).length > 0) throw badRequest(UPDATE_FAILED, errors)
  // The database's unique index refuses a taken address; BosBase cannot name the field from PostgreSQL's words.
  if (changes.email !== undefined && app.store.findByEmail(record.collection, changes.email) !== undefined) {
    throw badRequest(UPDATE_FAILED, app.flavor.namesUniqueFields ? { email: fieldError('validation_not_unique', 'Value must be unique.') } : {})
  }
  app.store.update(record, changes)
  sendJson(ctx, 200, shown(ctx, record))
}

interface Form {
  email?: string
  verified?: boolean
  name?: string
  emailVisibility?: boolean
  password: string
  passwordConfirm: string
  oldPassword: string
  /** What the body says about the avatar: a new file, or keep/remove the current one. */
  avatar: { upload?: UploadedFile; keep: boolean }
}

function readForm(body: ParsedBody, record: AuthRecord): Form {
  const values = body.values
  const text = (key: string): string | undefined => {
    const value = Array.isArray(values[key]) ? (values[key] as unknown[]).at(-1) : values[key]
    if (value === undefined || value === null) return undefined
    return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : ''
  }
  const flag = (key: string): boolean | undefined => {
    const value = text(key)
    return value === undefined ? undefined : ['true', '1', 't', 'TRUE', 'True'].includes(value)
  }
  const users = record.collection.name === 'users'
  const uploads = [...(body.files.avatar ?? []), ...(body.files['avatar+'] ?? []), ...(body.files['+avatar'] ?? [])]
  const named = 'avatar' in values ? [values.avatar].flat() : [record.avatar]
  const removed = [values['avatar-']].flat()
  const keep = record.avatar !== '' && named.includes(record.avatar) && !removed.includes(record.avatar)
  return {
    email: text('email'),
    verified: flag('verified'),
    name: users ? text('name') : undefined,
    emailVisibility: flag('emailVisibility'),
    password: text('password') ?? '',
    passwordConfirm: text('passwordConfirm') ?? '',
    oldPassword: text('oldPassword') ?? '',
    avatar: { upload: users ? uploads.at(-1) : undefined, keep },
  }
}

/** forms.RecordUpsert.validateFormFields: what only a manager may change, and the password trio. */
function checkFormFields(form: Form, record: AuthRecord, manage: boolean): Record<string, FieldError> {
  const errors: Record<string, FieldError> = {}
  const mismatch = (): FieldError => fieldError('validation_values_mismatch', "Values don't match.")
  const blank = (): FieldError => fieldError('validation_required', 'Cannot be blank.')
  if (!manage && form.email !== undefined && form.email !== record.email) errors.email = mismatch()
  if (!manage && form.verified !== undefined && form.verified !== record.verified) errors.verified = mismatch()
  const { password, passwordConfirm, oldPassword } = form
  if (password === '' && (passwordConfirm !== '' || oldPassword !== '')) errors.password = blank()
  if (passwordConfirm === '' && (password !== '' || oldPassword !== '')) errors.passwordConfirm = blank()
  else if (passwordConfirm !== password) errors.passwordConfirm = mismatch()
  if (!manage && (password !== '' || passwordConfirm !== '')) {
    if (oldPassword === '') errors.oldPassword = blank()
    else if (!passwordMatches(record, oldPassword)) errors.oldPassword = fieldError('validation_invalid_old_password', 'Missing or invalid old password.')
  }
  return errors
}

/** The record's own field validations, and the changes to save. */
function recordChanges(form: Form, record: AuthRecord): { changes: RecordChanges; errors: Record<string, FieldError> } {
  const errors: Record<string, FieldError> = {}
  const changes: RecordChanges = {}
  if (form.email !== undefined && form.email !== record.email) {
    if (form.email === '') errors.email = fieldError('validation_required', 'Cannot be blank.')
    else if (!isEmailFormat(form.email)) errors.email = fieldError('validation_is_email', 'Must be a valid email address.')
    else changes.email = form.email
  }
  if (form.verified !== undefined) changes.verified = form.verified
  if (form.emailVisibility !== undefined) changes.emailVisibility = form.emailVisibility
  if (form.name !== undefined) {
    if (runeCount(form.name) > NAME_MAX_LENGTH) {
      errors.name = fieldError('validation_max_text_constraint', `Must be less than ${NAME_MAX_LENGTH} character(s).`, { max: NAME_MAX_LENGTH })
    } else changes.name = form.name
  }
  if (form.password !== '') {
    if (form.password.length < PASSWORD_MIN_LENGTH) {
      errors.password = fieldError('validation_min_text_constraint', `Must be at least ${PASSWORD_MIN_LENGTH} character(s).`, { min: PASSWORD_MIN_LENGTH })
    } else if (form.password.length > PASSWORD_MAX_LENGTH) {
      errors.password = fieldError('validation_max_text_constraint', `Must be less than ${PASSWORD_MAX_LENGTH} character(s).`, { max: PASSWORD_MAX_LENGTH })
    } else changes.password = form.password
  }
  const { upload, keep } = form.avatar
  if (upload !== undefined) {
    const error = avatarError(upload.name, upload.bytes)
    if (error !== null) errors.avatar = error
    else changes.avatar = { name: storedFileName(upload.name), file: { bytes: upload.bytes, type: sniffMimeType(upload.bytes) } }
  } else if (!keep && record.avatar !== '') {
    changes.avatar = { name: '' }
  }
  return { changes, errors }
}
