import { CID, type Identity, type Role, type SignedEntry } from '@mutual/protocol'
import type { Log } from '@mutual/log'
import { adminRefsOf, loadOrgState, newestCredential } from './actions.js'
import { ORG_SPACE, type OrgSpaceBody } from './grant-records.js'
import { NoCredentialError, OrgError } from './errors.js'
import type { OrgState } from './org-state.js'
import { policyEntry } from './policy-entry.js'

export interface RoleRefsInit {
  /** the refs the writer's grant gives (`grantRefs`), or undefined when they hold no granted credential */
  grant: CID[] | undefined
  /** the state of the organization the space is granted to */
  state: OrgState
  /** who writes */
  member: string
  /** the roles the entry needs, one of which the refs must prove (none: write access is enough) */
  roles: readonly Role[]
  now?: number
}

/**
 * The refs an entry needing one of `roles` names in a granted space: the policy and the grant's
 * evidence, then for each role the writer holds, its proof — the newest live credential, or for
 * `admin` the org's genesis (the founder) or the approvals that made them admin. Throws
 * NoCredentialError when nothing but the policy would be named.
 */
export async function roleRefs (log: Log, space: string, init: RoleRefsInit): Promise<CID[]> {
  const { state, member, roles } = init
  const now = init.now ?? Date.now()
  const refs = (init.grant ?? []).map((id) => id.toString())
  for (const role of roles) {
    if (role === 'admin') {
      const admin = state.admins.get(member)
      if (admin !== undefined && admin.removed === undefined) refs.push(...(member === state.founder ? [state.org] : adminRefsOf(state, member)))
      continue
    }
    const credential = newestCredential(state, member, now, role)
    if (credential !== undefined) refs.push(credential)
  }
  if (init.grant === undefined) {
    const policy = await policyEntry(log, space)
    if (policy === undefined) throw new OrgError(`${space} has no grant policy`)
    if (refs.length === 0) throw new NoCredentialError(`${member} holds no live credential of org ${state.org}`)
    refs.unshift(policy.id.toString())
  }
  return [...new Set(refs)].map((id) => CID.parse(id))
}

/**
 * Announces a granted space in the org it belongs to (`org/space`), so members' nodes follow it;
 * by its creator, who must be an admin of the org or hold one of its live credentials.
 */
export async function announceSpace (log: Log, creator: Identity, org: string, space: string, now = Date.now()): Promise<SignedEntry<OrgSpaceBody>> {
  const genesis = log.genesis(space)
  const policy = await policyEntry(log, space)
  if (genesis === undefined || policy === undefined) throw new OrgError(`${space} is not a granted space held here`)
  const state = await loadOrgState(log, org)
  const admin = state.admins.get(creator.id)
  const proof = admin !== undefined && admin.removed === undefined
    ? (creator.id === state.founder ? [org] : adminRefsOf(state, creator.id))
    : [newestCredential(state, creator.id, now)].filter((c): c is string => c !== undefined)
  if (proof.length === 0) throw new NoCredentialError(`${creator.id} is neither an admin nor a member of ${org}`)
  const kind = genesis.entry.body.kind
  const body: OrgSpaceBody = { space, kind: kind === 'board' || kind === 'ledger' || kind === 'market' ? kind : 'raw', name: genesis.entry.body.name }
  return await log.append<OrgSpaceBody>(creator, org, ORG_SPACE, body, proof.map((id) => CID.parse(id)))
}
