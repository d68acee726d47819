/** The GraphQL v2 documents Latchkey sends (the same operations and variables as authing-js-sdk 4.x). */

/** The user fields Latchkey reads: identity, profile, binding state and custom data. */
const USER = `id username email emailVerified phone phoneVerified nickname photo company name givenName familyName middleName
  profile preferredUsername website gender birthdate zoneinfo locale address streetAddress locality region postalCode city
  province country createdAt updatedAt lastLogin loginsCount token tokenExpiredAt customData { key value dataType label }`

export const LOGIN_BY_EMAIL = `mutation loginByEmail($input: LoginByEmailInput!) { loginByEmail(input: $input) { ${USER} } }`
export const LOGIN_BY_USERNAME = `mutation loginByUsername($input: LoginByUsernameInput!) { loginByUsername(input: $input) { ${USER} } }`
export const LOGIN_BY_PHONE_PASSWORD = `mutation loginByPhonePassword($input: LoginByPhonePasswordInput!) { loginByPhonePassword(input: $input) { ${USER} } }`
export const LOGIN_BY_PHONE_CODE = `mutation loginByPhoneCode($input: LoginByPhoneCodeInput!) { loginByPhoneCode(input: $input) { ${USER} } }`
export const REGISTER_BY_EMAIL = `mutation registerByEmail($input: RegisterByEmailInput!) { registerByEmail(input: $input) { ${USER} } }`
export const REGISTER_BY_USERNAME = `mutation registerByUsername($input: RegisterByUsernameInput!) { registerByUsername(input: $input) { ${USER} } }`
export const REGISTER_BY_PHONE_CODE = `mutation registerByPhoneCode($input: RegisterByPhoneCodeInput!) { registerByPhoneCode(input: $input) { ${USER} } }`
export const CHECK_LOGIN_STATUS = `query checkLoginStatus($token: String) { checkLoginStatus(token: $token) { code message status exp iat data { id userPoolId arn } } }`
export const REFRESH_TOKEN = `mutation refreshToken($id: String) { refreshToken(id: $id) { token iat exp } }`
export const CURRENT_USER = `query user($id: String) { user(id: $id) { ${USER} } }`
export const IS_USER_EXISTS = `query isUserExists($email: String, $phone: String, $username: String) { isUserExists(email: $email, phone: $phone, username: $username) }`
export const CHECK_PASSWORD_STRENGTH = `query checkPasswordStrength($password: String!) { checkPasswordStrength(password: $password) { valid message } }`
export const SEND_EMAIL = `mutation sendEmail($email: String!, $scene: EmailScene!) { sendEmail(email: $email, scene: $scene) { message code } }`
export const RESET_PASSWORD = `mutation resetPassword($phone: String, $email: String, $code: String!, $newPassword: String!) {
  resetPassword(phone: $phone, email: $email, code: $code, newPassword: $newPassword) { message code } }`
export const RESET_PASSWORD_BY_FIRST_LOGIN_TOKEN = `mutation resetPasswordByFirstLoginToken($token: String!, $password: String!) {
  resetPasswordByFirstLoginToken(token: $token, password: $password) { message code } }`
export const RESET_PASSWORD_BY_FORCE_RESET_TOKEN = `mutation resetPasswordByForceResetToken($token: String!, $oldPassword: String!, $newPassword: String!) {
  resetPasswordByForceResetToken(token: $token, oldPassword: $oldPassword, newPassword: $newPassword) { message code } }`
export const UPDATE_USER = `mutation updateUser($id: String, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { ${USER} } }`
export const UPDATE_PASSWORD = `mutation updatePassword($newPassword: String!, $oldPassword: String) { updatePassword(newPassword: $newPassword, oldPassword: $oldPassword) { id } }`
export const UPDATE_PHONE = `mutation updatePhone($phone: String!, $phoneCode: String!, $oldPhone: String, $oldPhoneCode: String) {
  updatePhone(phone: $phone, phoneCode: $phoneCode, oldPhone: $oldPhone, oldPhoneCode: $oldPhoneCode) { ${USER} } }`
export const UPDATE_EMAIL = `mutation updateEmail($email: String!, $emailCode: String!, $oldEmail: String, $oldEmailCode: String) {
  updateEmail(email: $email, emailCode: $emailCode, oldEmail: $oldEmail, oldEmailCode: $oldEmailCode) { ${USER} } }`
export const BIND_PHONE = `mutation bindPhone($phone: String!, $phoneCode: String!) { bindPhone(phone: $phone, phoneCode: $phoneCode) { ${USER} } }`
export const UNBIND_PHONE = `mutation unbindPhone { unbindPhone { ${USER} } }`
export const BIND_EMAIL = `mutation bindEmail($email: String!, $emailCode: String!) { bindEmail(email: $email, emailCode: $emailCode) { ${USER} } }`
export const UNBIND_EMAIL = `mutation unbindEmail { unbindEmail { ${USER} } }`
export const UDV = `query udv($targetType: UDFTargetType!, $targetId: String!) { udv(targetType: $targetType, targetId: $targetId) { key dataType value label } }`
export const SET_UDV = `mutation setUdv($targetType: UDFTargetType!, $targetId: String!, $key: String!, $value: String!) {
  setUdv(targetType: $targetType, targetId: $targetId, key: $key, value: $value) { key dataType value label } }`
export const REMOVE_UDV = `mutation removeUdv($targetType: UDFTargetType!, $targetId: String!, $key: String!) {
  removeUdv(targetType: $targetType, targetId: $targetId, key: $key) { key dataType value label } }`
