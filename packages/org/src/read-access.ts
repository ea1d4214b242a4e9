import { rolesOf } from './org-state.js'
import type { OrgRegistry } from './registry.js'

/**
 * Read authorization for sync (DESIGN.md §4): whether the identity `peer` may read `space`.
 * A space whose policy says `read: 'grants'` is readable by its creator and by identities holding
 * a live role in an organization the policy grants (directly or through a federation in force);
 * every other space is public. An org space is readable by its own members only when a granted
 * space says so; org and federation spaces themselves stay public (they carry the evidence every
 * relay needs to validate writers).
 */
export function mayReadSpace (orgs: OrgRegistry, creatorOf: (space: string) => string | undefined, peer: string, space: string): boolean {
  const policy = orgs.policy(space)
  if (policy === undefined || policy.read !== 'grants') return true
  if (creatorOf(space) === peer) return true
  for (const grant of policy.grants) {
    let members: string[]
    if ('org' in grant) members = [grant.org]
    else {
      const fed = orgs.federation(grant.federation)
      if (fed === undefined || !fed.inForce || fed.charter === undefined) continue
      members = fed.charter.orgs
    }
    for (const org of members) {
      const state = orgs.state(org)
      if (state === undefined) continue
      const roles = rolesOf(state, peer)
      if (roles.some((r) => grant.roles.includes(r))) return true
    }
  }
  return false
}

/**
 * The organization a granted space (a ledger, say) belongs to: the first `{ org }` grant of its
 * space policy; undefined for a space without one.
 */
export function grantingOrg (orgs: OrgRegistry, space: string): string | undefined {
  const policy = orgs.policy(space)
  if (policy === undefined) return undefined
  for (const grant of policy.grants) if ('org' in grant) return grant.org
  return undefined
}
