import type { Stamp } from './clock.js'

/**
 * Words every application package shares (DESIGN.md §2: shared vocabulary one floor down): the
 * organization roles, a point in a space's history, the bound on task ids, and the names of the
 * ledger's record types, which the organization's role table names too.
 */

/** Roles in an organization (DESIGN.md §5). `admin` comes only from an approved admin change, never from a credential. */
export const ROLES = ['admin', 'member', 'reviewer', 'union-rep', 'auditor', 'consumer', 'observer', 'agent'] as const
export type Role = typeof ROLES[number]

/** Roles a credential may carry: every role but admin. */
export const CREDENTIAL_ROLES = ROLES.filter((r) => r !== 'admin') as Array<Exclude<Role, 'admin'>>

/** A point in a space's history: where an entry sits. Roles are judged at the point of the entry that uses them. */
export interface Point {
  space: string
  seq: number
  ts: Stamp
}

/** Task ids are short strings; boards, claims, announcements and contributions name them. */
export const MAX_TASK_ID = 64

/** The ledger's record types (DESIGN.md §5, contributions and value). */
export const CONTRIB_RECORD = 'contrib/record'
export const CONTRIB_ATTEST = 'contrib/attest'
export const CONTRIB_FEEDBACK = 'contrib/feedback'
export const CONTRIB_ENDORSE = 'contrib/endorse'
export const CONTRIB_ALLOCATE = 'contrib/allocate'
export const DISPUTE_OPEN = 'dispute/open'
export const DISPUTE_RESOLVE = 'dispute/resolve'
export const SETTLEMENT = 'settlement'

/** The organization's approval of a proposal, which union representatives co-sign. */
export const ORG_APPROVE = 'org/approve'
