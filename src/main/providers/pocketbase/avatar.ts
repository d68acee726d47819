/**
 * The avatar picture: what the profile form accepts, checked again here in the main process (the
 * window's checks are a convenience, not a guarantee), and the current picture as a preview.
 */
import type { RecordModel } from 'pocketbase'
import type { FormValue } from '../../../shared/contract.ts'
import { checkedPicture, PICTURE_TYPES, picturePreview } from '../picture.ts'
import type { PocketBaseClient } from './client.ts'

export const AVATAR_TYPES = PICTURE_TYPES
export const AVATAR_MAX_BYTES = 5 * 1024 * 1024

/** The picked picture as a File to upload, or null when none was picked (the avatar stays). */
export function avatarUpload(value: FormValue | undefined): File | null {
  return checkedPicture(value, { maxBytes: AVATAR_MAX_BYTES, field: 'avatar' })
}

/** The current avatar as a data: URL, or null when there is none or it cannot be fetched. */
export async function avatarPreview(client: PocketBaseClient, record: RecordModel): Promise<string | null> {
  const fileName: unknown = record.avatar
  if (typeof fileName !== 'string' || fileName === '') return null
  // The SDK only speaks JSON, so the picture itself is fetched directly from the URL it builds.
  return picturePreview(client.pb.files.getURL(record, fileName), AVATAR_MAX_BYTES)
}
