/** Setting up an authenticator app reads the same on every backend that offers it. */
import { describe, expect, it } from 'vitest'
import type { AccountAction } from '../../shared/contract.ts'
import { qrCodeField } from '../core/forms/qr-field.ts'
import { authenticatorAction } from './authing/action-forms.ts'
import { mfaActions } from './supabase/action-forms.ts'
import { securityActions } from './synmetrix/action-forms.ts'

/** The labels of the enrolment form: the one whose fields hold the QR code. */
function enrolmentLabels(actions: AccountAction[]): string[] {
  const enrolment = actions.find((action) => action.form.fields.some((field) => field.kind === 'qr'))
  return enrolment?.form.fields.map((field) => field.label) ?? []
}

describe('authenticator enrolment', () => {
  it('names the QR code and the code typed from the app alike on Supabase, Authing and Synmetrix', async () => {
    const secret = 'JBSWY3DPEHPK3PXP'
    const qr = await qrCodeField({ key: 'secret', uri: `otpauth://totp/Latchkey:ada?secret=${secret}`, secret })
    const labels = {
      supabase: enrolmentLabels(mfaActions({ verified: [], enrolling: { qr }, phoneEnrolling: null, aal: 'aal1' })),
      authing: enrolmentLabels([authenticatorAction({ enrolled: false, qr })]),
      synmetrix: enrolmentLabels(securityActions({ email: 'ada@example.test', enrollment: { qr } })),
    }
    const expected = ['Authenticator QR code', 'Code from the authenticator app']
    expect(labels).toEqual({ supabase: expected, authing: expected, synmetrix: expected })
  })
})
