import { mayReadGranted } from './crypto/readers.js'
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
  const creator = creatorOf(space)
  return creator !== undefined && mayReadGranted(orgs, policy, creator, peer)
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

/**
 * Whether a space's entries may travel on its gossip topic, which anyone may subscribe to: every
 * space but one only grants may read whose bodies are in clear (DESIGN.md §4). Such a space goes
 * by sync alone, which `mayReadSpace` restricts.
 */
export function mayGossipSpace (orgs: OrgRegistry, encrypted: (space: string) => boolean, space: string): boolean {
  return orgs.policy(space)?.read !== 'grants' || encrypted(space)
}
