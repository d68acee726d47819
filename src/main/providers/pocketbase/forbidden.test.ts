import { describe, expect, it } from 'vitest'
import { forbiddenReason, renewalForbiddenMessage, signInForbiddenMessage } from './forbidden.ts'

const refused = (message: string) => ({ kind: 'http' as const, status: 403, message, fields: [] })

describe('why PocketBase answered 403', () => {
  it('tells its reasons apart by its own words', () => {
    expect(forbiddenReason(refused('The collection is not configured to allow password authentication.'), 'users')).toBe('method-off')
    expect(forbiddenReason(refused("The request doesn't satisfy the collection requirements to authenticate."), 'users')).toBe('auth-rule')
    expect(forbiddenReason(refused('You are not allowed to perform this request.'), '_superusers')).toBe('superuser-ip')
    expect(forbiddenReason(refused('You are not allowed to perform this request.'), 'users')).toBe('other')
    expect(forbiddenReason(refused('The request requires auth record from users collection.'), 'staff')).toBe('other-collection')
  })

  it('words a renewal refused for a superuser address or another collection without blaming a password', () => {
    const ip = renewalForbiddenMessage(refused('You are not allowed to perform this request.'), 'pb.example.test', '_superusers')
    expect(ip).toBe(
      'pb.example.test refuses this superuser session from this computer’s address: its superuser IP allow-list does not include it (the server said: “You are not allowed to perform this request.”).',
    )
    const other = renewalForbiddenMessage(refused('The request requires auth record from users collection.'), 'pb.example.test', 'staff')
    expect(other).toMatch(/not one of the “staff” collection/)
    expect(`${ip} ${other}`).not.toMatch(/password/)
  })

  it('keeps "turned off" for a method that is turned off, and quotes any other reason', () => {
    expect(signInForbiddenMessage(refused('The collection is not configured to allow OTP authentication.'), 'pb.example.test', 'users', 'Email code')).toBe(
      'Email code sign-in is turned off for this collection on pb.example.test.',
    )
    expect(signInForbiddenMessage(refused('Blocked by a hook.'), 'pb.example.test', 'users', 'Password')).toBe(
      'pb.example.test refused the sign-in (the server said: “Blocked by a hook.”).',
    )
  })
})
