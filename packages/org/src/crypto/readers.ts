import type { FederationState } from '../federation.js'
import type { SpacePolicyBody } from '../grant-records.js'
import { rolesOf, type OrgState } from '../org-state.js'

/** What the readers of a granted space are computed from: an OrgRegistry, or a stub in tests. */
export interface ReaderSource {
  state: (org: string) => OrgState | undefined
  federation: (federation: string) => FederationState | undefined
}

/**
 * Who may read a space under its grant policy now: its creator, and every identity holding a
 * live granted role in a granted organization (directly, or through a federation in force).
 * Sorted, so the same state gives the same list on every node.
 */
export function grantedReaders (source: ReaderSource, policy: SpacePolicyBody, creator: string): string[] {
  const readers = new Set([creator])
  for (const grant of policy.grants) {
    let orgs: string[]
    if ('org' in grant) orgs = [grant.org]
    else {
      const fed = source.federation(grant.federation)
      if (fed === undefined || !fed.inForce || fed.charter === undefined) continue
      orgs = fed.charter.orgs
    }
    for (const org of orgs) {
      const state = source.state(org)
      if (state === undefined) continue
      const candidates = new Set([...state.admins.keys(), ...[...state.credentials.values()].map((c) => c.member)])
      for (const id of candidates) if (rolesOf(state, id).some((r) => grant.roles.includes(r))) readers.add(id)
    }
  }
  return [...readers].sort()
}

/** Whether `peer` is among the readers of a granted space (the check sync makes before sending it). */
export function mayReadGranted (source: ReaderSource, policy: SpacePolicyBody, creator: string, peer: string): boolean {
  if (peer === creator) return true
  return grantedReaders(source, policy, creator).includes(peer)
}
