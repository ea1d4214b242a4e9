import type { Log } from '@mutual/log'
import { isEntry } from './entries.js'
import { FEDERATION_CHARTER, type CharterBody } from './federation-records.js'
import { SPACE_POLICY, type SpacePolicyBody } from './grant-records.js'
import type { Heads } from './schema.js'

/**
 * A member's log heads across the spaces this log holds, for the `heads` of a revocation (or an
 * admin removal): every space where they wrote, as `[space, seq]` sorted by space. With `org`,
 * only the spaces that organization governs — the org space, federations whose charter lists
 * it, and spaces whose policy grants it directly or through such a federation — since a
 * revocation freezes nothing else. A space left out counts as seq 0 there: nothing of theirs.
 */
export async function revocationHeads (log: Log, member: string, org?: string): Promise<Heads> {
  const spaces = org === undefined ? new Set(log.spaces()) : await governedSpaces(log, org)
  const heads: Heads = []
  for (const space of spaces) {
    const head = log.head(space, member)
    if (head !== undefined && head.seq > 0) heads.push([space, head.seq])
  }
  return heads.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
}

async function governedSpaces (log: Log, org: string): Promise<Set<string>> {
  const out = new Set([org])
  const federations = new Set<string>()
  for (const space of log.spaces()) {
    const genesis = log.genesis(space)
    if (genesis?.entry.body.kind !== 'federation') continue
    const charter = await log.get(space, genesis.entry.author, 2)
    if (charter !== undefined && isEntry<CharterBody>(charter, FEDERATION_CHARTER) && charter.entry.body.orgs.includes(org)) federations.add(space)
  }
  for (const f of federations) out.add(f)
  for (const space of log.spaces()) {
    const genesis = log.genesis(space)
    if (genesis === undefined || genesis.entry.body.kind === 'org' || genesis.entry.body.kind === 'federation') continue
    const policy = await log.get(space, genesis.entry.author, 2)
    if (policy === undefined || !isEntry<SpacePolicyBody>(policy, SPACE_POLICY)) continue
    if (policy.entry.body.grants.some((g) => 'org' in g ? g.org === org : federations.has(g.federation))) out.add(space)
  }
  return out
}
