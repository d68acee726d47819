/** Telling an email address, a phone number and a username apart, as the person typed them. */
export type AccountKind = 'email' | 'phone' | 'username'

export function accountKind(value: string): AccountKind {
  if (value.includes('@')) return 'email'
  if (/^\+?\d[\d -]{4,19}$/.test(value)) return 'phone'
  return 'username'
}

/** Spaces and dashes out of a phone number. */
export function normalised(value: string, kind: AccountKind): string {
  if (kind === 'phone') return value.replace(/[\s-]/g, '')
  if (kind === 'email') return value.toLowerCase()
  return value
}

/** "email, username or phone number" from the kinds the app accepts. */
export function describeKinds(kinds: AccountKind[]): string {
  const names = kinds.map((kind) => (kind === 'phone' ? 'phone number' : kind))
  if (names.length <= 1) return names[0] ?? 'email'
  return `${names.slice(0, -1).join(', ')} or ${names.at(-1) ?? ''}`
}

export function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
