/** PocketBase's default emails (mails package templates), delivered to the outbox. */
import type { App } from './app.ts'
import type { AuthRecord } from './store.ts'

function link(app: App, action: string, token: string): string {
  return `${app.url}/_/#/auth/${action}/${token}`
}

export function mailOtp(app: App, record: AuthRecord, otp: string): void {
  const name = app.flavor.appName
  app.outbox.send({
    to: record.email,
    kind: 'otp',
    subject: `OTP for ${name}`,
    text: `Your one-time password is: ${otp}\nIf you didn't ask for the one-time password, you can ignore this email.`,
    otp,
    at: app.now(),
  })
}

export function mailPasswordReset(app: App, record: AuthRecord, token: string): void {
  const name = app.flavor.appName
  app.outbox.send({
    to: record.email,
    kind: 'password-reset',
    subject: `Reset your ${name} password`,
    text: `Click on the link below to reset your password.\n${link(app, 'confirm-password-reset', token)}\nIf you didn't ask to reset your password, you can ignore this email.`,
    token,
    at: app.now(),
  })
}

export function mailVerification(app: App, record: AuthRecord, token: string): void {
  const name = app.flavor.appName
  app.outbox.send({
    to: record.email,
    kind: 'verification',
    subject: `Verify your ${name} email`,
    text: `Thank you for joining us at ${name}.\nClick on the link below to verify your email address.\n${link(app, 'confirm-verification', token)}`,
    token,
    at: app.now(),
  })
}

/** Goes to the new address. */
export function mailEmailChange(app: App, newEmail: string, token: string): void {
  const name = app.flavor.appName
  app.outbox.send({
    to: newEmail,
    kind: 'email-change',
    subject: `Confirm your ${name} new email address`,
    text: `Click on the link below to confirm your new email address.\n${link(app, 'confirm-email-change', token)}\nIf you didn't ask to change your email address, you can ignore this email.`,
    token,
    at: app.now(),
  })
}

export function mailLoginAlert(app: App, record: AuthRecord, info: string): void {
  const name = app.flavor.appName
  app.outbox.send({
    to: record.email,
    kind: 'login-alert',
    subject: 'Login from a new location',
    text:
      (app.flavor.loginAlertInfo ? `We noticed a login to your ${name} account from a new location:\n${info}\n` : `We noticed a login to your ${name} account from a new location.\n`) +
      `If this was you, you may disregard this email.\n` +
      `If this wasn't you, you should immediately change your ${name} account password to revoke access from all other locations.`,
    at: app.now(),
  })
}
