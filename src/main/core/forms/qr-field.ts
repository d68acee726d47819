/**
 * The read-only form field that enrolls an authenticator app: a QR code of the `otpauth://` URI,
 * drawn here in the main process (the window gets a picture, not a QR library), and the secret as
 * text for typing it in by hand.
 */
import type { FormFieldSpec } from '../../../shared/contract.ts'

/** What every backend's authenticator enrolment calls its QR code (with the secret as text). */
export const AUTHENTICATOR_QR_LABEL = 'Authenticator QR code'

export interface QrCodeFieldInput {
  key: string
  /** What the QR code encodes, usually `otpauth://totp/…?secret=…`. */
  uri: string
  /** The same secret as text, shown under the code. */
  secret: string
  help?: string
}

/**
 * An SVG QR code of `text` as a data: URL (the window's CSP allows data: images). The QR library
 * (with its PNG encoder) is loaded the first time one is drawn: a start does not need it.
 */
export async function qrCodeDataUrl(text: string): Promise<string> {
  const { default: QRCode } = await import('qrcode')
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`
}

export async function qrCodeField(input: QrCodeFieldInput): Promise<FormFieldSpec> {
  return {
    key: input.key,
    label: AUTHENTICATOR_QR_LABEL,
    kind: 'qr',
    required: false,
    value: input.secret,
    preview: await qrCodeDataUrl(input.uri),
    help: input.help ?? 'Scan the code with your authenticator app, or type the secret into it.',
  }
}

/** The code the authenticator app shows, typed to turn codes on (or off): one label on every backend. */
export function authenticatorCodeField(): FormFieldSpec {
  return { key: 'code', label: 'Code from the authenticator app', kind: 'code', required: true }
}
