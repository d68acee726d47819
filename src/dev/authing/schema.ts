/**
 * The part of Authing's GraphQL v2 schema that the authentication SDKs use (types and arguments as
 * authing-js-sdk 4.x's generated graphql.v2.ts and authing-py-sdk's codegen.py send them). The
 * Python SDK fetches this schema by introspection and validates its documents against it, so every
 * field its documents select is here.
 */

/** The OpenID Connect standard claims (and the address's parts), which a user has and a profile update or registration may set. */
const STANDARD_CLAIMS = `
  name: String
  givenName: String
  familyName: String
  middleName: String
  profile: String
  preferredUsername: String
  website: String
  gender: String
  birthdate: String
  zoneinfo: String
  locale: String
  address: String
  formatted: String
  streetAddress: String
  locality: String
  region: String
  postalCode: String
`

const USER_FIELDS = `
  id: String!
  arn: String!
  status: UserStatus
  userPoolId: String!
  username: String
  email: String
  emailVerified: Boolean
  phone: String
  phoneVerified: Boolean
  unionid: String
  openid: String
  identities: [Identity]
  nickname: String
  registerSource: [String!]
  photo: String
  password: String
  oauth: String
  token: String
  tokenExpiredAt: String
  loginsCount: Int
  lastLogin: String
  lastIP: String
  signedUp: String
  blocked: Boolean
  isDeleted: Boolean
  device: String
  browser: String
  company: String
  ${STANDARD_CLAIMS}
  city: String
  province: String
  country: String
  createdAt: String
  updatedAt: String
  externalId: String
  customData: [UserCustomData]
  phoneCountryCode: String
  mainDepartmentId: String
  mainDepartmentCode: String
  newlyCreated: Boolean
  expiredAt: String
  directManagement: String
`

const PROFILE_INPUT = `
  nickname: String
  company: String
  photo: String
  device: String
  browser: String
  ${STANDARD_CLAIMS}
  country: String
`

const LOGIN_EXTRAS = `
  autoRegister: Boolean
  clientIp: String
  params: String
  context: String
`

const REGISTER_EXTRAS = `
  profile: RegisterProfile
  forceLogin: Boolean
  generateToken: Boolean
  clientIp: String
  params: String
  context: String
`

export const SCHEMA_SDL = `
enum UserStatus { Suspended Resigned Activated Archived }
enum UDFDataType { STRING NUMBER DATETIME BOOLEAN OBJECT SELECT }
enum UDFTargetType { NODE ORG USER USERPOOL ROLE PERMISSION APPLICATION }
enum EmailScene {
  RESET_PASSWORD RESET_PASSWORD_VERIFY_CODE VERIFY_EMAIL FIRST_EMAIL_LOGIN_VERIFY CONSOLE_CONDUCTED_VERIFY CHANGE_EMAIL
  EMAIL_BIND_VERIFY_CODE EMAIL_UNBIND_VERIFY_CODE MFA_VERIFY VERIFY_CODE REGISTER_VERIFY_CODE LOGIN_VERIFY_CODE
  MFA_VERIFY_CODE INFORMATION_COMPLETION_VERIFY_CODE
}

type Identity {
  openid: String
  userIdInIdp: String
  userId: String
  connectionId: String
  isSocial: Boolean
  provider: String
  type: String
  userPoolId: String
  extIdpId: String
}

type UserCustomData { key: String! value: String label: String dataType: UDFDataType! }
type UserDefinedData { key: String! dataType: UDFDataType! value: String! label: String }
type User { ${USER_FIELDS} }
type CommonMessage { message: String code: Int }
type RefreshToken { token: String iat: Int exp: Int }
type JWTTokenStatusDetail { id: String userPoolId: String arn: String }
type JWTTokenStatus { code: Int message: String status: Boolean exp: Int iat: Int data: JWTTokenStatusDetail }
type CheckPasswordStrengthResult { valid: Boolean! message: String }

input UserDdfInput { key: String! value: String! }
input RegisterProfile { ip: String phone: String email: String oauth: String username: String ${PROFILE_INPUT} udf: [UserDdfInput!] }
input UserDefinedDataInput { key: String! value: String }
input LoginByEmailInput { email: String! password: String! captchaCode: String ${LOGIN_EXTRAS} }
input LoginByUsernameInput { username: String! password: String! captchaCode: String ${LOGIN_EXTRAS} }
input LoginByPhonePasswordInput { phone: String! password: String! captchaCode: String phoneCountryCode: String ${LOGIN_EXTRAS} }
input LoginByPhoneCodeInput { phone: String! code: String! phoneCountryCode: String ${LOGIN_EXTRAS} }
input RegisterByEmailInput { email: String! password: String! phoneToken: String ${REGISTER_EXTRAS} }
input RegisterByUsernameInput { username: String! password: String! phoneToken: String emailToken: String ${REGISTER_EXTRAS} }
input RegisterByPhoneCodeInput { phone: String! code: String! phoneCountryCode: String password: String emailToken: String ${REGISTER_EXTRAS} }
input UpdateUserInput {
  email: String unionid: String openid: String emailVerified: Boolean phone: String phoneVerified: Boolean username: String
  password: String oauth: String tokenExpiredAt: String loginsCount: Int lastLogin: String lastIP: String blocked: Boolean
  city: String province: String externalId: String phoneCountryCode: String expiredAt: String directManagement: String ${PROFILE_INPUT}
}

type Query {
  checkLoginStatus(token: String): JWTTokenStatus
  user(id: String): User
  udv(targetType: UDFTargetType!, targetId: String!): [UserDefinedData!]!
  checkPasswordStrength(password: String!): CheckPasswordStrengthResult!
  isUserExists(email: String, phone: String, username: String, externalId: String): Boolean
}

type Mutation {
  registerByEmail(input: RegisterByEmailInput!): User
  registerByUsername(input: RegisterByUsernameInput!): User
  registerByPhoneCode(input: RegisterByPhoneCodeInput!): User
  loginByEmail(input: LoginByEmailInput!): User
  loginByUsername(input: LoginByUsernameInput!): User
  loginByPhoneCode(input: LoginByPhoneCodeInput!): User
  loginByPhonePassword(input: LoginByPhonePasswordInput!): User
  sendEmail(email: String!, scene: EmailScene!): CommonMessage!
  resetPassword(phone: String, phoneCountryCode: String, email: String, code: String!, newPassword: String!): CommonMessage
  resetPasswordByFirstLoginToken(token: String!, password: String!): CommonMessage
  resetPasswordByForceResetToken(token: String!, oldPassword: String!, newPassword: String!): CommonMessage
  updateUser(id: String, input: UpdateUserInput!, emailToken: String, phoneToken: String): User!
  updatePassword(newPassword: String!, oldPassword: String): User!
  updatePhone(phone: String!, phoneCode: String!, oldPhone: String, oldPhoneCode: String, phoneCountryCode: String, oldPhoneCountryCode: String): User!
  updateEmail(email: String!, emailCode: String!, oldEmail: String, oldEmailCode: String): User!
  refreshToken(id: String): RefreshToken
  bindPhone(phone: String!, phoneCode: String!, phoneCountryCode: String): User!
  unbindPhone: User!
  bindEmail(email: String!, emailCode: String!): User!
  unbindEmail: User!
  setUdv(targetType: UDFTargetType!, targetId: String!, key: String!, value: String!): [UserDefinedData!]
  setUdvBatch(targetType: UDFTargetType!, targetId: String!, udvList: [UserDefinedDataInput!]): [UserDefinedData!]
  removeUdv(targetType: UDFTargetType!, targetId: String!, key: String!): [UserDefinedData!]
}
`
