import { z } from 'zod'
import { schemas, type RecordType } from '@mutual/protocol'
import { CREDENTIAL_ROLES } from './roles.js'
import { headsSchema, millisSchema, opaqueMap, uniqueList } from './schema.js'

export const ORG_CREDENTIAL = 'org/credential'
export const ORG_REVOKE = 'org/revoke'
export const ORG_DELEGATE = 'org/delegate'
export const ORG_PROPOSE = 'org/propose'
import { ORG_APPROVE } from '@mutual/protocol'

export { ORG_APPROVE }

export const IDENTITY_KINDS = ['person', 'agent', 'organization'] as const

/** Grants `member` roles in the organization until `expires` (ms, exclusive), if set. By an admin. */
export const credentialSchema = z.strictObject({
  member: schemas.identityId,
  roles: uniqueList(z.enum(CREDENTIAL_ROLES), CREDENTIAL_ROLES.length).refine((r) => r.length > 0, 'no roles'),
  expires: millisSchema.optional(),
  kind: z.enum(IDENTITY_KINDS)
})
export type CredentialBody = z.infer<typeof credentialSchema>

/**
 * Revokes a credential (or delegation) of `member`. `heads` are the member's log heads as the
 * admin saw them: entries past them, in any space the organization grants, stop counting.
 */
export const revokeSchema = z.strictObject({
  credential: schemas.cid,
  member: schemas.identityId,
  heads: headsSchema,
  reason: schemas.text(1024)
})
export type RevokeBody = z.infer<typeof revokeSchema>

/** `agent` acts for `operator` (a member) within `scopes` until `expires` (ms). By an admin. */
export const delegateSchema = z.strictObject({
  agent: schemas.identityId,
  operator: schemas.identityId,
  scopes: uniqueList(schemas.text(64), 32),
  expires: millisSchema
}).refine((d) => d.agent !== d.operator, 'an agent cannot operate itself')
export type DelegateBody = z.infer<typeof delegateSchema>

/** How many approvals a change needs: distinct admins, and a union representative's when `unionRep`. */
export const thresholdSchema = z.strictObject({
  admins: z.number().int().min(1).max(64),
  unionRep: z.boolean()
})
export type Threshold = z.infer<typeof thresholdSchema>

/** The threshold of an organization that has changed none: one admin, and a union representative where there is one. */
export const DEFAULT_THRESHOLD: Threshold = Object.freeze({ admins: 1, unionRep: true })

const adminsChange = z.strictObject({
  kind: z.literal('admins'),
  add: uniqueList(schemas.identityId, 16),
  remove: z.array(z.strictObject({ admin: schemas.identityId, heads: headsSchema })).max(16)
}).refine((c) => c.add.length + c.remove.length > 0, 'an empty change')
  .refine((c) => new Set([...c.add, ...c.remove.map((r) => r.admin)]).size === c.add.length + c.remove.length, 'an admin added and removed, or named twice')

/** The valuation policy is the ledger's to define; here it is any DAG-CBOR map of at most 16 KiB. */
export const MAX_POLICY_BYTES = 16 * 1024
const policyChange = z.strictObject({ kind: z.literal('policy'), policy: opaqueMap(MAX_POLICY_BYTES) })
const thresholdChange = z.strictObject({ kind: z.literal('threshold'), admins: z.number().int().min(1).max(64), unionRep: z.boolean() })

export const changeSchema = z.discriminatedUnion('kind', [adminsChange, policyChange, thresholdChange])
export type Change = z.infer<typeof changeSchema>

/**
 * A sensitive change and the threshold it must meet. The proposer states the threshold; the
 * authorizer checks it is no weaker than the one in force in the context the proposal names in
 * refs (see evidence.ts `contextThreshold`).
 */
export const proposeSchema = z.strictObject({ change: changeSchema, threshold: thresholdSchema })
export type ProposeBody = z.infer<typeof proposeSchema>

/**
 * An approval of `proposal`, as an admin or a union representative. `tally` is every approver in
 * its ref-closure (itself and the approvals of the same proposal it names, recursively), checked
 * against the tallies of the approvals it names, so the closure is known from one entry. An
 * approval that `enacts` puts the change in force and must carry the proposal's threshold.
 */
export const approveSchema = z.strictObject({
  proposal: schemas.cid,
  as: z.enum(['admin', 'union-rep']),
  tally: z.strictObject({ admins: uniqueList(schemas.identityId, 64), unionReps: uniqueList(schemas.identityId, 64) }),
  enacts: z.boolean()
})
export type ApproveBody = z.infer<typeof approveSchema>

/** The record types of organization spaces. */
export function orgRecordTypes (): Array<RecordType<any>> {
  return [
    { type: ORG_CREDENTIAL, schema: credentialSchema, maxEntryBytes: 4 * 1024 },
    { type: ORG_REVOKE, schema: revokeSchema, maxEntryBytes: 48 * 1024 },
    { type: ORG_DELEGATE, schema: delegateSchema, maxEntryBytes: 8 * 1024 },
    { type: ORG_PROPOSE, schema: proposeSchema, maxEntryBytes: MAX_POLICY_BYTES + 24 * 1024 },
    { type: ORG_APPROVE, schema: approveSchema, maxEntryBytes: 16 * 1024 }
  ]
}
