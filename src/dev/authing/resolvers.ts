/**
 * The GraphQL v2 operations the authentication SDKs call. A resolver throws AuthingError for a
 * business failure (graphql.ts turns it into Authing's `errors[].message = {code, message}`).
 */
import { E } from './errors.ts'
import type { App } from './app.ts'
import { PROFILE_FIELDS } from './store.ts'
import type { UserRecord } from './store.ts'

export interface GqlContext {
  app: App
  /** The Bearer token of the request ('' without one). */
  token: string
}

type Args = Record<string, unknown>
type Input = Record<string, unknown>

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

function str(value: unknown): string {
  return typeof value === 'string' ? value : ''
}

function input(args: Args): Input {
  return (args.input ?? {}) as Input
}

async function passwordLogin(ctx: GqlContext, user: UserRecord | undefined, encrypted: string): Promise<Record<string, unknown>> {
  const password = ctx.app.passwordKey.decrypt(encrypted)
  if (user === undefined) throw E.userNotFound()
  if (user.password === null || user.password !== password) throw E.wrongPassword()
  ctx.app.passwordResetDue(user)
  return ctx.app.loggedIn(user)
}

function registerProfile(value: unknown): Record<string, string> {
  const profile: Record<string, string> = {}
  for (const [key, field] of Object.entries((value ?? {}) as Record<string, unknown>)) {
    if ((PROFILE_FIELDS as readonly string[]).includes(key) && typeof field === 'string') profile[key] = field
  }
  return profile
}

async function registered(ctx: GqlContext, user: UserRecord, args: Input): Promise<Record<string, unknown>> {
  // Only with generateToken / forceLogin does a registration answer carry a token.
  if (args.generateToken === true || args.forceLogin === true) return ctx.app.withToken(user)
  return ctx.app.view(user)
}

function ensureRegistrationOpen(ctx: GqlContext, method: string): void {
  if (!ctx.app.methods.registerMethods.includes(method)) throw E.registerDisabled()
}

function checkEmail(email: string): void {
  if (!EMAIL.test(email)) throw E.emailFormat()
}

export const queryResolvers = {
  async checkLoginStatus(args: Args, ctx: GqlContext) {
    const token = str(args.token) || ctx.token
    const check = await ctx.app.tokens.check(token, ctx.app.store)
    if (check.status === 'valid') {
      return { code: 200, message: '已登录', status: true, exp: check.exp, iat: check.iat, data: { id: check.userId, userPoolId: ctx.app.userPoolId, arn: null } }
    }
    if (check.status === 'expired') return { code: 2206, message: '登录信息已过期', status: false, exp: null, iat: null, data: null }
    return { code: 2020, message: '未登录', status: false, exp: null, iat: null, data: null }
  },
  async user(_args: Args, ctx: GqlContext) {
    return (await ctx.app.session(ctx.token)).view()
  },
  async udv(args: Args, ctx: GqlContext) {
    const user = await ownTarget(ctx, args)
    return ctx.app.store.udvList(user)
  },
  checkPasswordStrength(args: Args, ctx: GqlContext) {
    return ctx.app.strength(str(args.password))
  },
  isUserExists(args: Args, ctx: GqlContext) {
    const { store } = ctx.app
    const email = str(args.email)
    const phone = str(args.phone)
    const username = str(args.username)
    if (email === '' && phone === '' && username === '') throw E.missingParams()
    return (email !== '' && store.byEmail(email) !== undefined) || (phone !== '' && store.byPhone(phone) !== undefined) || (username !== '' && store.byUsername(username) !== undefined)
  },
}

/** How Authing treats a phone number and an email address as ways to sign in: where codes go, and its refusals. */
const CONTACTS = {
  phone: {
    channel: 'sms',
    owner: (app: App, value: string) => app.store.byPhone(value),
    none: E.missingParams,
    same: E.samePhone,
    bound: E.phoneBound,
    oldMissing: E.missingParams,
    oldMismatch: E.oldPhoneMismatch,
  },
  email: {
    channel: 'email',
    owner: (app: App, value: string) => app.store.byEmail(value),
    none: E.noEmail,
    same: E.sameEmail,
    bound: E.emailBound,
    oldMissing: E.oldEmailRequired,
    oldMismatch: E.oldEmailMismatch,
  },
} as const

/** Puts `value` on the account as its phone number or email address (verified), or takes it off (null). */
function setContact(ctx: GqlContext, user: UserRecord, contact: 'phone' | 'email', value: string | null): void {
  if (contact === 'phone') {
    user.phone = value
    user.phoneVerified = value !== null
  } else {
    user.email = value
    user.emailVerified = value !== null
  }
  ctx.app.store.touch(user)
}

/**
 * bindPhone / bindEmail: only for an account without one, to an address no other account has, with
 * the code sent there; unbindPhone / unbindEmail: never the account's last way to sign in.
 */
async function bindContact(ctx: GqlContext, contact: 'phone' | 'email', value: string, code: string): Promise<Record<string, unknown>> {
  const { user, view } = await ctx.app.session(ctx.token)
  const rules = CONTACTS[contact]
  if (contact === 'email') checkEmail(value)
  if (user[contact] !== null || rules.owner(ctx.app, value) !== undefined) throw rules.bound()
  ctx.app.outbox.check(rules.channel, value, code)
  setContact(ctx, user, contact, value)
  return view()
}

async function unbindContact(ctx: GqlContext, contact: 'phone' | 'email'): Promise<Record<string, unknown>> {
  const { user, view } = await ctx.app.session(ctx.token)
  const other = contact === 'phone' ? user.email : user.phone
  if (user[contact] === null) throw CONTACTS[contact].none()
  if (other === null && user.username === null) throw E.onlyMethod()
  setContact(ctx, user, contact, null)
  return view()
}

/**
 * updatePhone / updateEmail: to an address no other account has, with the code sent there and,
 * when the pool asks to verify the old one, the old address and a code sent to it.
 */
async function updateContact(ctx: GqlContext, contact: 'phone' | 'email', value: string, code: string, old: { address: string; code: string }): Promise<Record<string, unknown>> {
  const { user, view } = await ctx.app.session(ctx.token)
  const rules = CONTACTS[contact]
  if (contact === 'email') checkEmail(value)
  const current = user[contact]
  if (current === null) throw rules.none()
  if (value === current) throw rules.same()
  if (rules.owner(ctx.app, value) !== undefined) throw rules.bound()
  if (ctx.app.verifyOld) {
    if (old.address === '' || old.code === '') throw rules.oldMissing()
    if (old.address !== current) throw rules.oldMismatch()
    ctx.app.outbox.check(rules.channel, current, old.code)
  }
  ctx.app.outbox.check(rules.channel, value, code)
  setContact(ctx, user, contact, value)
  return view()
}

async function ownTarget(ctx: GqlContext, args: Args): Promise<UserRecord> {
  const user = await ctx.app.authed(ctx.token)
  if (args.targetType !== 'USER' || str(args.targetId) !== user.id) throw E.forbidden()
  return user
}

export const mutationResolvers = {
  async loginByEmail(args: Args, ctx: GqlContext) {
    const { email, password } = input(args)
    return passwordLogin(ctx, ctx.app.store.byEmail(str(email)), str(password))
  },
  async loginByUsername(args: Args, ctx: GqlContext) {
    const { username, password } = input(args)
    return passwordLogin(ctx, ctx.app.store.byUsername(str(username)), str(password))
  },
  async loginByPhonePassword(args: Args, ctx: GqlContext) {
    const { phone, password } = input(args)
    return passwordLogin(ctx, ctx.app.store.byPhone(str(phone)), str(password))
  },
  async loginByPhoneCode(args: Args, ctx: GqlContext) {
    const { phone, code } = input(args)
    ctx.app.outbox.check('sms', str(phone), str(code))
    // Authing signs a new phone number up on its first code login.
    const user = ctx.app.store.byPhone(str(phone)) ?? ctx.app.store.create({ phone: str(phone) })
    return ctx.app.loggedIn(user)
  },
  async registerByEmail(args: Args, ctx: GqlContext) {
    const data = input(args)
    ensureRegistrationOpen(ctx, 'email')
    const email = str(data.email).trim().toLowerCase()
    checkEmail(email)
    const password = ctx.app.newPassword(str(data.password))
    if (ctx.app.store.byEmail(email) !== undefined) throw E.userExists()
    const user = ctx.app.store.create({ email, password, profile: registerProfile(data.profile) })
    return registered(ctx, user, data)
  },
  async registerByUsername(args: Args, ctx: GqlContext) {
    const data = input(args)
    ensureRegistrationOpen(ctx, 'username')
    const username = str(data.username).trim()
    if (username === '') throw E.missingParams()
    const password = ctx.app.newPassword(str(data.password))
    if (ctx.app.store.byUsername(username) !== undefined) throw E.usernameExists()
    const user = ctx.app.store.create({ username, password, profile: registerProfile(data.profile) })
    return registered(ctx, user, data)
  },
  async registerByPhoneCode(args: Args, ctx: GqlContext) {
    const data = input(args)
    ensureRegistrationOpen(ctx, 'phone')
    const phone = str(data.phone).trim()
    const password = str(data.password) === '' ? undefined : ctx.app.newPassword(str(data.password))
    if (ctx.app.store.byPhone(phone) !== undefined) throw E.userExists()
    ctx.app.outbox.check('sms', phone, str(data.code))
    const user = ctx.app.store.create({ phone, ...(password === undefined ? {} : { password }), profile: registerProfile(data.profile) })
    return registered(ctx, user, data)
  },
  sendEmail(args: Args, ctx: GqlContext) {
    const email = str(args.email).trim().toLowerCase()
    checkEmail(email)
    const scene = str(args.scene)
    if (scene === 'RESET_PASSWORD' && ctx.app.store.byEmail(email) === undefined) throw E.userNotFound()
    ctx.app.outbox.send('email', email, scene)
    return { code: 200, message: '发送成功' }
  },
  resetPassword(args: Args, ctx: GqlContext) {
    const { store, outbox } = ctx.app
    const phone = str(args.phone)
    const email = str(args.email).toLowerCase()
    if (phone === '' && email === '') throw E.missingParams()
    const user = phone === '' ? store.byEmail(email) : store.byPhone(phone)
    if (user === undefined) throw E.userNotFound()
    const password = ctx.app.newPassword(str(args.newPassword))
    outbox.check(phone === '' ? 'email' : 'sms', phone === '' ? email : phone, str(args.code))
    user.password = password
    store.touch(user)
    return { code: 200, message: '重置密码成功' }
  },
  resetPasswordByFirstLoginToken(args: Args, ctx: GqlContext) {
    ctx.app.resetByToken(str(args.token), str(args.password))
    return { code: 200, message: '重置密码成功' }
  },
  resetPasswordByForceResetToken(args: Args, ctx: GqlContext) {
    ctx.app.resetByToken(str(args.token), str(args.newPassword), str(args.oldPassword))
    return { code: 200, message: '重置密码成功' }
  },
    async updateUser(args: Args, ctx: GqlContext) {
    const { user, view } = await ctx.app.session(ctx.token)
    const changes = input(args)
    if (changes.email !== undefined) throw E.updateUserEmail()
    if (changes.phone !== undefined) throw E.updateUserPhone()
    for (const [key, value] of Object.entries(changes)) {
      if (!(PROFILE_FIELDS as readonly string[]).includes(key)) continue
      if (key === 'username' && typeof value === 'string' && value !== user.username) {
        if (ctx.app.store.byUsername(value) !== undefined) throw E.usernameExists()
        user.username = value === '' ? null : value
        continue
      }
      user.profile[key] = typeof value === 'string' && value !== '' ? value : null
    }
    ctx.app.store.touch(user)
    return view()
  },
  async updatePassword(args: Args, ctx: GqlContext) {
    const { user, view } = await ctx.app.session(ctx.token)
    const oldEncrypted = str(args.oldPassword)
    if (user.password !== null) {
      if (oldEncrypted === '') throw E.oldPasswordRequired()
      if (ctx.app.passwordKey.decrypt(oldEncrypted) !== user.password) throw E.oldPasswordWrong()
    }
    user.password = ctx.app.newPassword(str(args.newPassword))
    ctx.app.store.touch(user)
    return view()
  },
  updatePhone: (args: Args, ctx: GqlContext) =>
    updateContact(ctx, 'phone', str(args.phone).trim(), str(args.phoneCode), { address: str(args.oldPhone), code: str(args.oldPhoneCode) }),
  updateEmail: (args: Args, ctx: GqlContext) =>
    updateContact(ctx, 'email', str(args.email).trim().toLowerCase(), str(args.emailCode), { address: str(args.oldEmail).toLowerCase(), code: str(args.oldEmailCode) }),
  async refreshToken(_args: Args, ctx: GqlContext) {
    const user = await ctx.app.authed(ctx.token)
    return ctx.app.tokens.issue(user)
  },
  bindPhone: (args: Args, ctx: GqlContext) => bindContact(ctx, 'phone', str(args.phone).trim(), str(args.phoneCode)),
  unbindPhone: (_args: Args, ctx: GqlContext) => unbindContact(ctx, 'phone'),
  bindEmail: (args: Args, ctx: GqlContext) => bindContact(ctx, 'email', str(args.email).trim().toLowerCase(), str(args.emailCode)),
  unbindEmail: (_args: Args, ctx: GqlContext) => unbindContact(ctx, 'email'),
  async setUdv(args: Args, ctx: GqlContext) {
    const user = await ownTarget(ctx, args)
    ctx.app.store.setUdv(user, str(args.key), str(args.value))
    return ctx.app.store.udvList(user)
  },
  async setUdvBatch(args: Args, ctx: GqlContext) {
    const user = await ownTarget(ctx, args)
    for (const item of (args.udvList ?? []) as { key: string; value?: string }[]) ctx.app.store.setUdv(user, item.key, item.value ?? 'null')
    return ctx.app.store.udvList(user)
  },
  async removeUdv(args: Args, ctx: GqlContext) {
    const user = await ownTarget(ctx, args)
    ctx.app.store.udf(str(args.key))
    user.udv.delete(str(args.key))
    ctx.app.store.touch(user)
    return ctx.app.store.udvList(user)
  },
}
