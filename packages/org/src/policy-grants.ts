import type { GenesisBody, SignedEntry } from '@mutual/protocol'
import { isEntry } from './entries.js'
import { federationOrgsIn } from './federation.js'
import { SPACE_POLICY, type SpacePolicyBody } from './grant-records.js'
import type { Role } from './roles.js'

/** The space's policy among refs: the creator's seq 2 `space/policy` of this space. */
export function policyIn (space: string, genesis: SignedEntry<GenesisBody>, refs: SignedEntry[]): SignedEntry<SpacePolicyBody> | undefined {
  return refs.find((r) => isEntry(r, SPACE_POLICY, space) && r.entry.author === genesis.entry.author && r.entry.seq === 2) as SignedEntry<SpacePolicyBody> | undefined
}

/** org → roles the policy grants its members, federations resolved from refs (only those shown in force). */
export function grantsIn (policy: SpacePolicyBody, refs: SignedEntry[]): Map<string, Set<Role>> {
  const out = new Map<string, Set<Role>>()
  const add = (org: string, roles: readonly Role[]): void => {
    const set = out.get(org) ?? new Set<Role>()
    for (const r of roles) set.add(r)
    out.set(org, set)
  }
  for (const g of policy.grants) {
    if ('org' in g) add(g.org, g.roles)
    else for (const org of federationOrgsIn(g.federation, refs) ?? []) add(org, g.roles)
  }
  return out
}
