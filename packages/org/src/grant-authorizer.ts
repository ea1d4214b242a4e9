import { UnauthorizedError, type GenesisBody, type SignedEntry } from '@mutual/protocol'
import { genesisPolicy, type Authorizer } from '@mutual/log'
import { adminProof, credentialsOf } from './evidence.js'
import { SPACE_POLICY, type SpacePolicyBody } from './grant-records.js'
import { MisplacedRecordError, MissingEvidenceError, RevokedError, RoleNotAllowedError } from './errors.js'
import { ROLE_WRITES, adminsWriteUnder, mayWriteType, type Role, type RoleWrites } from './roles.js'
import { resolveSource, type OrgSource, type OrgSourceInit } from './source.js'
import { handoverIn } from './market/handover.js'
import { grantsIn, policyIn } from './policy-grants.js'

export { grantsIn, policyIn }

export const SPACE_KEY = 'space/key'

export interface GrantAuthorizerInit {
  /** known revocations (an OrgRegistry); without it only refs are checked */
  orgs?: OrgSourceInit
  /** the rule for writers a grant does not admit: the genesis policy by default; a board passes its own */
  fallback?: Authorizer
  /** what each role may write; ROLE_WRITES by default */
  roleWrites?: RoleWrites
}

/**
 * Write rules of spaces that grant roles to organizations (boards, markets, ledgers: every kind
 * but org and federation, which have their own). An author the fallback admits (the creator,
 * listed writers, a board grant) writes as the fallback says. Anyone else names in refs:
 *
 * - the space's `space/policy` (the creator's seq 2), and
 * - for an org grant, their `org/credential` in that org (or, where the grant includes `admin`,
 *   their admin evidence: the org's genesis for its founder, else the admin change and the
 *   approval that enacted it);
 * - for a federation grant, additionally the federation's charter and accepts that together
 *   cover it (one accept whose `accepted` lists every org is enough), and a credential of any
 *   of its organizations.
 *
 * The credential must name the author, hold a granted role and be unexpired at the entry's
 * stamp; the author must not be cut off at this seq in this space by a revocation the registry
 * knows; and the granted roles they hold must allow the entry's type (ROLE_WRITES).
 *
 * In a board, an author may instead name a market acceptance handing them one of its tasks,
 * with the board's policy and the acceptor's admin proof (`handoverIn`): they then write as a
 * member would.
 */
export function grantAuthorizer (init: GrantAuthorizerInit = {}): Authorizer {
  const fallback = init.fallback ?? genesisPolicy()
  const table = init.roleWrites ?? ROLE_WRITES
  return {
    authorize (entry, genesis, refs) {
      const { type, author, seq } = entry.entry
      const kind = genesis.entry.body.kind
      if (kind === 'org' || kind === 'federation') return
      if (type === SPACE_POLICY) {
        if (author !== genesis.entry.author || seq !== 2) throw new MisplacedRecordError('a space policy is its creator\'s first entry after the genesis')
        return
      }
      if (type === SPACE_KEY && author !== genesis.entry.author) throw new RoleNotAllowedError('only a space\'s creator writes its keys')
      let refused: unknown
      try {
        fallback.authorize(entry, genesis, refs)
        return
      } catch (err) {
        if (!(err instanceof UnauthorizedError)) throw err
        refused = err
      }
      // A market acceptance that handed a task of this board to the author: they write as a member.
      if (kind === 'board' && handoverIn(entry, genesis, refs, resolveSource(init.orgs)) !== undefined) {
        if (!mayWriteType(['member'], type, table)) throw new RoleNotAllowedError(`a hand-over does not let ${author} write ${type}`)
        return
      }
      const policy = policyIn(entry.space, genesis, refs)
      if (policy === undefined) throw refused
      const roles = grantedRoles(entry, policy.entry.body, refs, resolveSource(init.orgs))
      if (!mayWriteType(roles, type, table)) {
        throw new RoleNotAllowedError(`roles ${[...roles].join(', ')} may not write ${type} in ${entry.space}`)
      }
    }
  }
}

/** The granted roles the author holds for this entry; throws the most telling error when none. */
function grantedRoles (entry: SignedEntry, policy: SpacePolicyBody, refs: SignedEntry[], source: OrgSource | undefined): Set<Role> {
  const { author, seq, ts } = entry.entry
  const grants = grantsIn(policy, refs)
  if (grants.size === 0) {
    throw new MissingEvidenceError('the policy grants only federations, and refs do not show one in force (name its charter and accepts)')
  }
  const roles = new Set<Role>()
  const checkCutoff = (org: string): void => {
    const bound = source?.cutoff(org, author, entry.space)
    if (bound !== undefined && seq > bound) throw new RevokedError(`${author} was cut off by ${org} after seq ${bound} in ${entry.space}`)
  }
  for (const [org, granted] of grants) {
    if (!adminsWriteUnder(granted)) continue
    try {
      adminProof(org, author, refs)
    } catch (err) {
      if (err instanceof UnauthorizedError) continue
      throw err
    }
    checkCutoff(org)
    roles.add('admin')
  }
  let credentialError: unknown
  try {
    for (const c of credentialsOf(new Set(grants.keys()), author, refs, ts)) {
      const granted = grants.get(c.space) as Set<Role>
      const held = c.entry.body.roles.filter((r) => granted.has(r))
      if (held.length === 0) continue
      checkCutoff(c.space)
      for (const r of held) roles.add(r)
    }
  } catch (err) {
    if (!(err instanceof UnauthorizedError) || err.name === 'RevokedError') throw err
    credentialError = err
  }
  if (roles.size > 0) return roles
  if (credentialError !== undefined) throw credentialError
  throw new RoleNotAllowedError(`${author}'s credentials hold no role the policy of ${entry.space} grants`)
}

/**
 * Whether an entry's refs prove its author administers the granted space it is in: the space's
 * policy and an admin proof (the org's genesis for its founder, else the enacted admin change) of
 * an organization the policy grants. Boards ask it for who may assign tasks (`boardAssignRule`).
 */
export function administersGrantedSpace (entry: SignedEntry, genesis: SignedEntry<GenesisBody>, refs: SignedEntry[]): boolean {
  const policy = policyIn(entry.space, genesis, refs)
  if (policy === undefined) return false
  for (const org of grantsIn(policy.entry.body, refs).keys()) {
    try {
      adminProof(org, entry.entry.author, refs)
      return true
    } catch (err) {
      if (!(err instanceof UnauthorizedError)) throw err
    }
  }
  return false
}
