import { z } from 'zod'
import type { RecordType } from '@mutual/protocol'
import { spaceIdSchema, uniqueList } from './schema.js'

export const FEDERATION_CHARTER = 'federation/charter'
export const FEDERATION_ACCEPT = 'federation/accept'

/** The organizations a federation joins; its creator's first entry after the genesis. */
export const charterSchema = z.strictObject({
  orgs: uniqueList(spaceIdSchema, 16).refine((o) => o.length > 0, 'no organizations')
})
export type CharterBody = z.infer<typeof charterSchema>

/**
 * An organization's acceptance, by one of its admins. `accepted` is every organization that has
 * accepted in this entry's ref-closure (its own and those of the accepts it names), checked
 * against them: the federation is in force at an accept whose `accepted` covers the charter.
 */
export const acceptSchema = z.strictObject({
  org: spaceIdSchema,
  accepted: uniqueList(spaceIdSchema, 16)
})
export type AcceptBody = z.infer<typeof acceptSchema>

export function federationRecordTypes (): Array<RecordType<any>> {
  return [
    { type: FEDERATION_CHARTER, schema: charterSchema, maxEntryBytes: 8 * 1024 },
    { type: FEDERATION_ACCEPT, schema: acceptSchema, maxEntryBytes: 8 * 1024 }
  ]
}
