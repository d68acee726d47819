import QRCode from 'qrcode'
import { describe, expect, it } from 'vitest'
import { qrCodeDataUrl, qrCodeField } from './qr-field.ts'

function svgOf(dataUrl: string): string {
  const prefix = 'data:image/svg+xml;base64,'
  expect(dataUrl.startsWith(prefix)).toBe(true)
  return Buffer.from(dataUrl.slice(prefix.length), 'base64').toString('utf8')
}

describe('qrCodeField', () => {
  const uri = 'otpauth://totp/Latchkey:ada%40example.test?secret=JBSWY3DPEHPK3PXP&issuer=Latchkey'

  it('draws the URI as an SVG QR code sized for that URI, and shows the secret as text', async () => {
    const field = await qrCodeField({ key: 'qr', uri, secret: 'JBSWY3DPEHPK3PXP' })
    expect(field).toMatchObject({ kind: 'qr', required: false, value: 'JBSWY3DPEHPK3PXP', label: 'Authenticator QR code' })
    const svg = svgOf(field.preview ?? '')
    const size = QRCode.create(uri, { errorCorrectionLevel: 'M' }).modules.size
    // The viewBox is the module count plus the quiet zone on both sides.
    expect(svg).toContain(`viewBox="0 0 ${size + 4} ${size + 4}"`)
    expect(field.help).toMatch(/authenticator app/)
  })

  it('encodes what it is given: another secret gives another picture', async () => {
    const a = await qrCodeDataUrl(uri)
    const b = await qrCodeDataUrl(uri.replace('JBSWY3DPEHPK3PXP', 'KRSXG5CTMVRXEZLU'))
    expect(a).not.toBe(b)
  })
})
