/**
 * The rules behind DynamicForm, kept apart from the markup: initial values, what a button checks
 * and sends, the checks themselves (required, minLength, sameAs, picture type and size), and what
 * survives when the backend sends a new version of the form.
 */
import type {
  AppErrorDto,
  FormAction,
  FormFieldKind,
  FormFieldSpec,
  FormFileValue,
  FormSpec,
  FormValues,
} from '../../../shared/contract.ts'

/** What the person typed, per field key: text, 'true' / 'false' for a checkbox, '' for a picture. */
export type TypedValues = Record<string, string>

/** A picture picked in an 'image' field, read and checked: what is sent, and a data: URL to show it. */
export interface PickedFile {
  value: FormFileValue
  dataUrl: string
}

/** Fields whose values must not outlive a submit that went through: passwords and one-time codes. */
const SECRET_KINDS: ReadonlySet<FormFieldKind> = new Set(['password', 'new-password', 'code'])
/** Fields that only show something (an authenticator QR code and its secret) and send nothing. */
const DISPLAY_KINDS: ReadonlySet<FormFieldKind> = new Set(['qr'])
/** Fields sent exactly as typed (spaces can be part of a password). */
const VERBATIM_KINDS: ReadonlySet<FormFieldKind> = new Set(['password', 'new-password'])

export function isSecret(field: FormFieldSpec): boolean {
  return SECRET_KINDS.has(field.kind)
}

export function isDisplayOnly(field: FormFieldSpec): boolean {
  return DISPLAY_KINDS.has(field.kind)
}

function initialValue(field: FormFieldSpec): string {
  if (field.kind === 'checkbox') return field.value === 'true' ? 'true' : 'false'
  if (field.kind === 'image') return ''
  return field.value ?? ''
}

export function initialValues(form: FormSpec): TypedValues {
  return Object.fromEntries(form.fields.map((field) => [field.key, initialValue(field)]))
}

/**
 * The same values with every password and code emptied; with `sent` (the values when a button was
 * pressed), only the ones still as they were then: what was typed since is kept.
 */
export function withoutSecrets(form: FormSpec, typed: TypedValues, sent?: TypedValues): TypedValues {
  const next = { ...typed }
  for (const field of form.fields) {
    if (isSecret(field) && (sent === undefined || typed[field.key] === sent[field.key])) next[field.key] = ''
  }
  return next
}

/**
 * The values to show when `next` replaces `previous` (the next sign-in step, or the same action
 * reloaded after a change): passwords and codes start empty; any other field keeps what was typed,
 * unless the backend now gives it a different value (the profile changed), which then wins.
 */
export function carriedValues(previous: FormSpec, next: FormSpec, typed: TypedValues): TypedValues {
  const before = new Map(previous.fields.map((field) => [field.key, field]))
  const values: TypedValues = {}
  for (const field of next.fields) {
    const old = before.get(field.key)
    const keep = old !== undefined && old.kind === field.kind && old.value === field.value && !isSecret(field)
    values[field.key] = keep ? (typed[field.key] ?? initialValue(field)) : initialValue(field)
  }
  return values
}

/** The fields a button checks and sends: the ones it names, else all of them. */
export function fieldsFor(form: FormSpec, action: FormAction): FormFieldSpec[] {
  const named = action.fields
  return named ? form.fields.filter((field) => named.includes(field.key)) : form.fields
}

/** A value as it is checked and sent: trimmed, except passwords. */
function cleaned(field: FormFieldSpec, typed: TypedValues): string {
  const value = typed[field.key] ?? ''
  return VERBATIM_KINDS.has(field.kind) ? value : value.trim()
}

function isEmpty(field: FormFieldSpec, value: string, hasPicture: boolean): boolean {
  if (field.kind === 'checkbox') return value !== 'true'
  if (field.kind === 'image') return !hasPicture
  return value === ''
}

/** What is wrong with one field's value, or null. `hasPicture`: an image field has a picture (new or current). */
export function checkField(form: FormSpec, field: FormFieldSpec, typed: TypedValues, hasPicture = false): string | null {
  if (isDisplayOnly(field)) return null
  const value = cleaned(field, typed)
  if (isEmpty(field, value, hasPicture)) return field.required ? `${field.label} is required.` : null
  if (field.kind === 'image' || field.kind === 'checkbox') return null
  if (field.kind === 'number' && !Number.isFinite(Number(value))) return `${field.label} must be a number.`
  if (field.minLength !== undefined && value.length < field.minLength) {
    return `${field.label} must be at least ${field.minLength} characters.`
  }
  if (field.sameAs !== undefined) {
    const other = form.fields.find((entry) => entry.key === field.sameAs)
    if (other && value !== cleaned(other, typed)) {
      return VERBATIM_KINDS.has(field.kind) ? 'Passwords do not match.' : `${field.label} does not match ${other.label}.`
    }
  }
  return null
}

/** Every problem with the fields a button sends, by field key (empty when it may be sent). */
export function checkAction(
  form: FormSpec,
  action: FormAction,
  typed: TypedValues,
  picked: Record<string, PickedFile | undefined>,
): Record<string, string> {
  const errors: Record<string, string> = {}
  for (const field of fieldsFor(form, action)) {
    const hasPicture = picked[field.key] !== undefined || Boolean(field.preview)
    const problem = checkField(form, field, typed, hasPicture)
    if (problem) errors[field.key] = problem
  }
  return errors
}

/** What a button sends: its fields' values; a picture only when a new one was picked. */
export function valuesFor(
  form: FormSpec,
  action: FormAction,
  typed: TypedValues,
  picked: Record<string, PickedFile | undefined>,
): FormValues {
  const values: FormValues = {}
  for (const field of fieldsFor(form, action)) {
    if (isDisplayOnly(field)) continue
    if (field.kind !== 'image') values[field.key] = cleaned(field, typed)
    else {
      const file = picked[field.key]
      if (file) values[field.key] = file.value
    }
  }
  return values
}

/** The form field a VALIDATION error is about ("values.email" or "email"), or null. */
export function errorField(error: AppErrorDto | null, form: FormSpec): string | null {
  if (error?.code !== 'VALIDATION' || !error.field) return null
  const key = error.field.startsWith('values.') ? error.field.slice('values.'.length) : error.field
  return form.fields.some((field) => field.key === key) ? key : null
}

/** Refusals about what was typed, though they name no field (a wrong password, a wrong code). */
const TYPED_REFUSALS: ReadonlySet<AppErrorDto['code']> = new Set(['AUTH_FAILED', 'VALIDATION'])

/**
 * The field a refusal is about: the one it names, else for a refusal of what was typed the secret
 * the person types again (the password, the code), else the first field. Null for other errors.
 */
export function refusedField(error: AppErrorDto | null, form: FormSpec): string | null {
  const named = errorField(error, form)
  if (named || !error || !TYPED_REFUSALS.has(error.code)) return named
  const typed = form.fields.filter((field) => field.kind !== 'qr' && field.kind !== 'image' && field.kind !== 'checkbox')
  return (typed.find((field) => field.kind === 'password' || field.kind === 'code') ?? typed[0])?.key ?? null
}

const KB = 1024
const MB = KB * KB

/** "800 bytes", "12.5 KB", "6.2 MB". */
export function formatBytes(bytes: number): string {
  const [amount, unit] = bytes >= MB ? [bytes / MB, 'MB'] : bytes >= KB ? [bytes / KB, 'KB'] : [bytes, 'bytes']
  return `${String(Math.round(amount * 10) / 10)} ${unit}`
}

/** "PNG" for image/png, "SVG" for image/svg+xml. */
function typeName(mime: string): string {
  const subtype = mime.split('/')[1] ?? mime
  return (subtype.split('+')[0] ?? subtype).toUpperCase()
}

/** "a PNG or JPEG image", "a PNG, JPEG or WEBP image". */
function typeList(accept: string[]): string {
  const names = accept.map(typeName)
  const last = names.pop()
  return `a ${names.length > 0 ? `${names.join(', ')} or ${last ?? ''}` : (last ?? 'picture')} image`
}

function accepts(accept: string[] | undefined, type: string): boolean {
  if (!accept || accept.length === 0) return true
  return accept.some((entry) => entry === type || (entry.endsWith('/*') && type.startsWith(entry.slice(0, -1))))
}

/** Why a picked file cannot be sent (its type, then its size), or null. Checked before anything is read or sent. */
export function checkFile(field: FormFieldSpec, file: { type: string; size: number }): string | null {
  if (!accepts(field.accept, file.type)) {
    const what = !file.type ? 'of a type Latchkey cannot tell' : file.type.startsWith('image/') ? `a ${typeName(file.type)} file` : `not a picture (${file.type})`
    return `That file is ${what}; choose ${typeList(field.accept ?? [])}.`
  }
  if (field.maxBytes !== undefined && file.size > field.maxBytes) {
    let [size, limit] = [formatBytes(file.size), formatBytes(field.maxBytes)]
    // Just over the limit rounds to the limit itself; then only exact numbers make sense.
    if (size === limit) [size, limit] = [`${file.size.toLocaleString('en')} bytes`, `${field.maxBytes.toLocaleString('en')} bytes`]
    return `That file is ${size}; the limit is ${limit}.`
  }
  return null
}

/** Reads a picked file once: the base64 that is sent, and the data: URL of its preview. */
export function readFile(file: File): Promise<PickedFile> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => {
      const dataUrl = typeof reader.result === 'string' ? reader.result : ''
      const base64 = dataUrl.slice(dataUrl.indexOf(',') + 1)
      resolve({ value: { name: file.name, type: file.type, base64 }, dataUrl })
    }
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'))
    reader.readAsDataURL(file)
  })
}
