import { describe, expect, it } from 'vitest'
import type { RecordModel } from 'pocketbase'
import { profileFrom } from './record.ts'

/** A users record as PocketBase answers an auth request (apis/record_helpers.go, tools/types/datetime.go). */
const record: RecordModel = {
  collectionId: '_pb_users_auth_',
  collectionName: 'users',
  id: 'ada000000000001',
  email: 'ada@example.test',
  emailVisibility: false,
  verified: true,
  name: 'Ada Lovelace',
  avatar: '',
  created: '2026-12-05 17:10:36.813Z',
  updated: '2026-12-05 17:10:36.813Z',
  birthday: '',
  lucky: 1764954636,
  motto: '2026-12-05 17:10:36',
}

describe('the profile Latchkey keeps from a PocketBase record', () => {
  it('says which fields are yes/no (bool fields) and times (date and autodate fields), from how PocketBase writes them', () => {
    expect(profileFrom(record)).toEqual({
      id: 'ada000000000001',
      email: 'ada@example.test',
      emailVisibility: { kind: 'yes-no', value: 'false' },
      verified: { kind: 'yes-no', value: 'true' },
      name: 'Ada Lovelace',
      created: { kind: 'time', value: '2026-12-05T17:10:36.813Z' },
      updated: { kind: 'time', value: '2026-12-05T17:10:36.813Z' },
      // A number field, and text that is not PocketBase's date form, stay as they came.
      lucky: '1764954636',
      motto: '2026-12-05 17:10:36',
    })
  })
})
