import { z } from 'zod'
import type { RecordType } from '@mutual/protocol'
import { ROLES } from './roles.js'
import { spaceIdSchema, uniqueList } from './schema.js'

export const SPACE_POLICY = 'space/policy'

const grantRoles = uniqueList(z.enum(ROLES), ROLES.length).refine((r) => r.length > 0, 'no roles')

/** Roles granted to the members of an organization, or of every organization of a federation in force. */
export const grantSchema = z.union([
  z.strictObject({ org: spaceIdSchema, roles: grantRoles }),
  z.strictObject({ federation: spaceIdSchema, roles: grantRoles })
])
export type Grant = z.infer<typeof grantSchema>

/**
 * Extends a space's genesis policy with organization grants, without touching the protocol's
 * strict genesis schema: the creator writes it as their first entry after the genesis (seq 2),
 * and every writer admitted by a grant names it in refs. `read` tells sync who may read.
 */
export const spacePolicySchema = z.strictObject({
  grants: z.array(grantSchema).min(1).max(16),
  read: z.enum(['public', 'grants']),
  /**
   * The organization the space belongs to (a board made in an org): its creator too writes by
   * that org's grants, so a revocation cuts the creator off there like any member.
   */
  owner: spaceIdSchema.optional()
})
export type SpacePolicyBody = z.infer<typeof spacePolicySchema>

export const ORG_SPACE = 'org/space'

/**
 * Announces, in an org space, a space granted to the org (a board, a ledger, a market), so
 * members' nodes find and follow it. By a member or admin of the org, whose refs name their
 * credential or admin proof; followers check that the space's policy grants the org.
 */
export const orgSpaceSchema = z.strictObject({
  space: spaceIdSchema,
  kind: z.enum(['board', 'ledger', 'market', 'raw']),
  name: z.string().max(200)
})
export type OrgSpaceBody = z.infer<typeof orgSpaceSchema>

export function grantRecordTypes (): Array<RecordType<any>> {
  return [
    { type: SPACE_POLICY, schema: spacePolicySchema, maxEntryBytes: 8 * 1024 },
    { type: ORG_SPACE, schema: orgSpaceSchema, maxEntryBytes: 8 * 1024 }
  ]
}
