import { z } from 'zod'
import { compareStamps, type Stamp } from './clock.js'
import { ProfileIdentityError } from './errors.js'
import { isIdentityId } from './identity.js'

/**
 * Signed profiles (DESIGN.md §6, names): an identity's display name, a short description and its
 * kind, published by the identity itself in every space it may write. A profile is always its
 * author's own: the body names its identity, which must be the entry's author
 * (ProfileIdentityError). The record type lives here, one floor below every application, so
 * every kind of space takes it.
 */

export const PROFILE_TYPE = 'profile/set'
export const PROFILE_VERSION = 1
export const MAX_PROFILE_NAME = 64
export const MAX_PROFILE_DESCRIPTION = 280
export const PROFILE_KINDS = ['person', 'agent', 'organization'] as const
export type ProfileKind = typeof PROFILE_KINDS[number]

export const profileBodySchema = z.strictObject({
  v: z.literal(PROFILE_VERSION).optional(),
  identity: z.string().max(128).refine(isIdentityId, 'not an identity id'),
  name: z.string().trim().min(1).max(MAX_PROFILE_NAME),
  description: z.string().max(MAX_PROFILE_DESCRIPTION),
  kind: z.enum(PROFILE_KINDS)
})
export type ProfileBody = z.infer<typeof profileBodySchema>

/** The record type (a RecordType of records.ts, which registers it among the base types). */
export const profileRecordType = {
  type: PROFILE_TYPE,
  schema: profileBodySchema,
  maxEntryBytes: 4 * 1024,
  checkAuthor (body: ProfileBody, author: string): void {
    if (body.identity !== author) throw new ProfileIdentityError(`a profile is its author's own: ${author} signed one for ${body.identity.slice(0, 128)}`)
  }
}

/** One profile as a names view holds it: the body and where it sits. */
export interface ProfileRecord {
  body: ProfileBody
  /** the entry's id */
  id: string
  ts: Stamp
  space: string
}

/**
 * Which of two profiles of one identity wins: the later stamp, then the higher entry id, so every
 * node picks the same one whatever order they arrived in. Negative when `a` loses to `b`.
 */
export function compareProfiles (a: Pick<ProfileRecord, 'id' | 'ts'>, b: Pick<ProfileRecord, 'id' | 'ts'>): number {
  return compareStamps(a.ts, b.ts) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}
