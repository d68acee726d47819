/** The amr method a verification signs in with (models.ParseAuthenticationMethod). */
export function authenticateMethod(flowAuthMethod: string): string {
  if (flowAuthMethod === 'magiclink' || flowAuthMethod === 'email/signup' || flowAuthMethod === 'recovery') return 'otp'
  return flowAuthMethod
}
