/** Why a token was not handed out, in the words the command line prints, and what to do about it. */
export type RefusalReason =
  | 'no-account' // nothing matches (the message lists the closest names)
  | 'ambiguous' // several accounts match
  | 'needs-attention' // signed out, refused by the server, expired
  | 'not-allowed' // command-line access is off for this account
  | 'denied' // the person pressed Deny
  | 'keychain' // the keychain cannot be used
  | 'unsupported' // this account has no such token (no ID token, a role it does not allow)

export class HandOutError extends Error {
  readonly reason: RefusalReason
  /** The exact step that helps, when there is one. */
  readonly hint: string | null

  constructor(reason: RefusalReason, message: string, hint: string | null = null) {
    super(message)
    this.name = 'HandOutError'
    this.reason = reason
    this.hint = hint
  }
}
