import { CONTRIB_FEEDBACK, DISPUTE_OPEN, DISPUTE_RESOLVE, ORG_APPROVE, PROFILE_TYPE, SETTLEMENT, type Role } from '@mutual/protocol'

export { ROLES, CREDENTIAL_ROLES, type Role } from '@mutual/protocol'

/** Every type (`'*'`) or the listed entry types a role lets its holder write in a granted space. */
export type RoleWrites = Readonly<Record<Role, '*' | readonly string[]>>

/**
 * What each role may write in a space that grants it. Auditors and observers read: they write
 * nothing but what is listed (an auditor resolves disputes, DESIGN.md §5, and signs the settlements it
 * checked, as the ledger's SETTLER_ROLES allow); consumers rate
 * delivered tasks; union representatives co-sign and open disputes. Every role publishes its
 * holder's own profile (`profile/set`), so names reach every space its holder takes part in. The ledger and board extend
 * this with `extendRoleWrites` and pass the result to `grantAuthorizer({ roleWrites })`.
 */
export const ROLE_WRITES: RoleWrites = Object.freeze({
  admin: '*',
  member: '*',
  reviewer: '*',
  agent: '*',
  'union-rep': Object.freeze([ORG_APPROVE, DISPUTE_OPEN, DISPUTE_RESOLVE, SETTLEMENT, PROFILE_TYPE]),
  auditor: Object.freeze([DISPUTE_RESOLVE, SETTLEMENT, PROFILE_TYPE]),
  consumer: Object.freeze([CONTRIB_FEEDBACK, PROFILE_TYPE]),
  observer: Object.freeze([PROFILE_TYPE])
})

/** A table with more types allowed per role; `'*'` on either side wins. */
export function extendRoleWrites (base: RoleWrites, extra: Partial<Record<Role, '*' | readonly string[]>>): RoleWrites {
  const out: Record<string, '*' | readonly string[]> = { ...base }
  for (const [role, types] of Object.entries(extra) as Array<[Role, '*' | readonly string[]]>) {
    const current = out[role]
    out[role] = current === '*' || types === '*' ? '*' : Object.freeze([...new Set([...current, ...types])])
  }
  return Object.freeze(out) as RoleWrites
}

/** True when one of `roles` may write `type` under `table`. */
export function mayWriteType (roles: Iterable<Role>, type: string, table: RoleWrites = ROLE_WRITES): boolean {
  for (const role of roles) {
    const allowed = table[role]
    if (allowed === '*' || allowed.includes(type)) return true
  }
  return false
}

/** Whether an org's admins write under a grant of these roles: one naming admins, or members (admins are members). */
export function adminsWriteUnder (granted: Iterable<Role>): boolean {
  for (const role of granted) if (role === 'admin' || role === 'member') return true
  return false
}
