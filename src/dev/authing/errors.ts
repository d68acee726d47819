/**
 * Authing's business errors. GraphQL answers them with HTTP 200 and
 * `errors: [{message: {code, message, data?}, locations, path, extensions}]`; REST v2 with HTTP 200
 * and `{code, message, data}`. Codes and wording from Authing's published error-code list
 * (docs reference/error-code.md) and the SDKs (1635 MFA, 6001 TOTP, 2333 wrong account or password).
 */
export class AuthingError extends Error {
  readonly code: number
  readonly data: unknown

  constructor(code: number, message: string, data?: unknown) {
    super(message)
    this.code = code
    this.data = data
  }
}

export const E = {
  forbidden: () => new AuthingError(1001, '无权限执行此项操作'),
  captcha: () => new AuthingError(2000, '账号异常，需要输入验证码'),
  wrongCode: () => new AuthingError(2001, '验证码错误'),
  userNotFound: () => new AuthingError(2004, '用户不存在'),
  locked: () => new AuthingError(2005, '用户已被锁定'),
  decrypt: () => new AuthingError(2016, '解密客户端密码出错'),
  notLoggedIn: () => new AuthingError(2020, '尚未登录，无权限访问此请求'),
  /** An mfaToken that is unknown, used up or past its lifetime (Guard's LOGIN_INVALID: back to the login form). */
  mfaTokenInvalid: () => new AuthingError(2021, '登录信息已失效，请重新登录'),
  userExists: () => new AuthingError(2026, '用户已存在，请不要重复注册'),
  passwordTooShort: () => new AuthingError(2029, '密码长度不能少于 6 位'),
  registerDisabled: () => new AuthingError(2031, '应用已禁止注册用户'),
  usernameExists: () => new AuthingError(2034, '用户名已存在'),
  phoneBound: () => new AuthingError(2035, '手机号已绑定'),
  oldEmailMismatch: () => new AuthingError(2037, '填写的旧邮箱与实际邮箱不匹配'),
  oldPhoneMismatch: () => new AuthingError(2038, '填写的旧手机与实际手机不匹配'),
  emailBound: () => new AuthingError(2200, '该邮箱已被绑定'),
  oldPasswordRequired: () => new AuthingError(2201, '请输入原始密码'),
  oldPasswordWrong: () => new AuthingError(2203, '原始密码错误'),
  emailFormat: () => new AuthingError(2204, '邮箱格式不正确'),
  expired: () => new AuthingError(2206, '登录信息已过期, 需重新登录'),
  onlyMethod: () => new AuthingError(2217, '只有一种登录方式，不能解绑'),
  noEmail: () => new AuthingError(2219, '此用户没有绑定邮箱'),
  updateUserEmail: () => new AuthingError(2225, 'updateUser 接口不能直接修改邮箱，请使用 updateEmail 接口'),
  updateUserPhone: () => new AuthingError(2226, 'updateUser 接口不能直接修改手机号，请使用 updatePhone 接口'),
  oldEmailRequired: () => new AuthingError(2227, '修改邮箱必须验证原来的邮箱'),
  sameEmail: () => new AuthingError(2229, '新邮箱和旧邮箱一样'),
  samePhone: () => new AuthingError(2230, '新手机号和旧手机号一样'),
  missingParams: () => new AuthingError(2231, '请求参数不全'),
  codeExpired: () => new AuthingError(2300, '验证码过期'),
  wrongPassword: () => new AuthingError(2333, '账号或密码错误'),
  mfaRequired: (data: unknown) => new AuthingError(1635, '请输入二次验证码', data),
  appMfaRequired: (data: unknown) => new AuthingError(1636, '请完成应用的多因素认证', data),
  firstLoginPassword: (data: unknown) => new AuthingError(1639, '首次登录请重置密码', data),
  forcedPasswordReset: (data: unknown) => new AuthingError(2058, '密码已过期，请重置密码', data),
  unsafePasswordReset: (data: unknown) => new AuthingError(2071, '密码强度不符合要求，请重置密码', data),
  wrongTotp: () => new AuthingError(6001, '安全码错误'),
  noUdf: (key: string) => new AuthingError(2231, `自定义字段 ${key} 不存在`),
  udfType: (key: string, type: string) => new AuthingError(2231, `自定义字段 ${key} 的值必须为 ${type} 类型`),
  /** The resend interval: Authing's wording names the seconds left. */
  tooFrequent: (seconds: number) => new AuthingError(2100, `发送过于频繁，请 ${String(seconds)} 秒后重试`),
  weakPassword: (message: string) => new AuthingError(2029, message),
}
