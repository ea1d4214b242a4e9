import type { Point, Role, SignedEntry } from '@mutual/protocol'

/**
 * What the ledger needs to know about people, answered by the organization's state. The org
 * package's `rolesOf(state, id, at)` and `operatorOf(state, agent)` plug in here; tests use a map.
 */
export interface Participants {
  /** the roles `id` holds at `at` (credentials granted before it and not revoked by then) */
  roles (id: string, at: Point): readonly Role[]
  /** the person or organization operating an agent; undefined when `id` is not a delegated agent */
  operatorOf (agent: string): string | undefined
  /**
   * Write-time check, optional: whether `ref`, an entry named in the new entry's `refs`, is a
   * credential giving `id` the role `role` at `at`. When given, the ledger authorizer demands such
   * a credential in refs (so the verdict depends on signed entries the log holds, not on how far
   * the org space has synced); when absent, it asks `roles`.
   */
  grants? (ref: SignedEntry, id: string, role: Role, at: Point): boolean
}

export function pointOf (entry: SignedEntry): Point {
  return { space: entry.space, seq: entry.entry.seq, ts: entry.entry.ts }
}

/** Who is paid for an identity's value: its operator if it is an agent, itself otherwise. */
export function beneficiaryOf (participants: Participants, id: string): string {
  return participants.operatorOf(id) ?? id
}

/**
 * Whether two identities are one party for the self-dealing rules: the same identity, an agent
 * and its operator, or two agents of one operator.
 */
export function sameParty (participants: Participants, a: string, b: string): boolean {
  return a === b || beneficiaryOf(participants, a) === beneficiaryOf(participants, b)
}

export function holds (participants: Participants, id: string, at: Point, ...roles: Role[]): boolean {
  const held = participants.roles(id, at)
  return roles.some((role) => held.includes(role))
}
