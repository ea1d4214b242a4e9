import { PROFILE_TYPE, type GenesisBody, type SignedEntry } from '@mutual/protocol'
import type { Authorizer } from '@mutual/log'
import { cidText, idOf, isEntry } from './entries.js'
import { adminProof, closureTally, contextThreshold, credentialsOf, meetsThreshold, refNotBefore, withRole } from './evidence.js'
import {
  ORG_APPROVE, ORG_CREDENTIAL, ORG_DELEGATE, ORG_PROPOSE, ORG_REVOKE,
  type ApproveBody, type DelegateBody, type ProposeBody, type RevokeBody
} from './org-records.js'
import {
  ForgedCredentialError, MisplacedRecordError, MissingEvidenceError, RefOrderError, RevokedError, RoleNotAllowedError,
  TallyMismatchError, ThresholdNotMetError, WeakThresholdError
} from './errors.js'
import { resolveSource, type OrgSourceInit } from './source.js'
import { ORG_SPACE, SPACE_POLICY } from './grant-records.js'

export interface OrgAuthorizerInit {
  /** known revocations and removals (an OrgRegistry); without it only refs are checked */
  orgs?: OrgSourceInit
}

const ORG_TYPES = new Set([ORG_CREDENTIAL, ORG_REVOKE, ORG_DELEGATE, ORG_PROPOSE, ORG_APPROVE, ORG_SPACE])

/**
 * The write rules of organization spaces (kind `org`), decided from the entry, the genesis and
 * its refs. Every entry names the entries its authority rests on: admins other than the founder
 * the admin change that added them and the approval that enacted it; union representatives
 * their credential. Refs must be stamped before the entry, so the canonical order (stamp, id)
 * the reducer uses puts them first. Outside org spaces, org records are refused.
 */
export function orgAuthorizer (init: OrgAuthorizerInit = {}): Authorizer {
  return {
    authorize (entry, genesis, refs) {
      const { type } = entry.entry
      if (genesis.entry.body.kind !== 'org') {
        if (ORG_TYPES.has(type)) throw new MisplacedRecordError(`${type} belongs in an org space, not a ${genesis.entry.body.kind} space`)
        return
      }
      const late = refNotBefore(entry, refs)
      if (late !== undefined) throw new RefOrderError(`${type} by ${entry.entry.author} names ${idOf(late)}, stamped no earlier than itself`)
      checkOrgEntry(entry, genesis, refs)
      const bound = resolveSource(init.orgs)?.cutoff(entry.space, entry.entry.author, entry.space)
      if (bound !== undefined && entry.entry.seq > bound) {
        throw new RevokedError(`${entry.entry.author} was cut off in ${entry.space} after seq ${bound}; seq ${entry.entry.seq} does not count`)
      }
    }
  }
}

function checkOrgEntry (entry: SignedEntry, genesis: SignedEntry<GenesisBody>, refs: SignedEntry[]): void {
  const org = entry.space
  const { author, type, ts } = entry.entry
  switch (type) {
    case ORG_CREDENTIAL:
      adminProof(org, author, refs, genesis)
      return
    case ORG_REVOKE: {
      adminProof(org, author, refs, genesis)
      const body = entry.entry.body as RevokeBody
      const target = refs.find((r) => idOf(r) === cidText(body.credential))
      if (target === undefined) throw new MissingEvidenceError(`a revocation names the credential it revokes in refs`)
      const member = isEntry<{ member: string }>(target, ORG_CREDENTIAL, org)
        ? target.entry.body.member
        : isEntry<DelegateBody>(target, ORG_DELEGATE, org) ? target.entry.body.agent : undefined
      if (member !== body.member) throw new ForgedCredentialError(`${cidText(body.credential)} is not a credential or delegation of ${body.member} in ${org}`)
      return
    }
    case ORG_DELEGATE: {
      adminProof(org, author, refs, genesis)
      const body = entry.entry.body as DelegateBody
      credentialsOf(new Set([org]), body.operator, refs, ts)
      return
    }
    case ORG_PROPOSE: {
      adminProof(org, author, refs, genesis)
      const { threshold } = entry.entry.body as ProposeBody
      const context = contextThreshold(org, refs, ts)
      const unionRep = context.threshold.unionRep && context.unionReps
      if (threshold.admins < context.threshold.admins || (unionRep && !threshold.unionRep)) {
        throw new WeakThresholdError(
          `the proposal asks for ${threshold.admins} admin(s)${threshold.unionRep ? ' and a union representative' : ''}; ` +
          `its context asks for ${context.threshold.admins}${unionRep ? ' and a union representative' : ''}`)
      }
      return
    }
    case ORG_APPROVE: {
      const body = entry.entry.body as ApproveBody
      const pid = cidText(body.proposal)
      const proposal = refs.find((r) => isEntry<ProposeBody>(r, ORG_PROPOSE, org) && idOf(r) === pid) as SignedEntry<ProposeBody> | undefined
      if (proposal === undefined) throw new MissingEvidenceError(`an approval names its proposal ${pid} of ${org} in refs`)
      if (body.as === 'admin') adminProof(org, author, refs, genesis)
      else {
        withRole(credentialsOf(new Set([org]), author, refs, ts), ['union-rep'],
          () => new RoleNotAllowedError(`${author} approves as a union representative without a union-rep credential`))
      }
      const tally = closureTally(org, pid, author, body.as, refs)
      if (!sameSet(tally.admins, body.tally.admins) || !sameSet(tally.unionReps, body.tally.unionReps)) {
        throw new TallyMismatchError('the tally is not this approval plus the tallies of the approvals it names')
      }
      if (body.enacts && !meetsThreshold(tally, proposal.entry.body.threshold)) {
        const t = proposal.entry.body.threshold
        throw new ThresholdNotMetError(
          `enacting ${pid} needs ${t.admins} admin(s)${t.unionRep ? ' and a union representative' : ''}; ` +
          `the approvals name ${tally.admins.size} and ${tally.unionReps.size}`)
      }
      return
    }
    // A profile, like an announced space, is any current member's or admin's.
    case PROFILE_TYPE:
    case ORG_SPACE: {
      // The announced space is not named in refs: a node that does not hold it yet must still
      // take the announcement (that is how it learns to follow it). Followers check, once the
      // space arrives, that its policy grants the org.
      try {
        adminProof(org, author, refs, genesis)
      } catch (err) {
        if (!(err instanceof Error) || err.name !== 'NotAdminError') throw err
        credentialsOf(new Set([org]), author, refs, ts)
      }
      return
    }
    default:
      // Anything else in an org space (space keys, notes, space policies) is the admins' to write.
      if (type === SPACE_POLICY) throw new MisplacedRecordError('org spaces take no space policy')
      adminProof(org, author, refs, genesis)
  }
}

function sameSet (a: Set<string>, b: readonly string[]): boolean {
  return a.size === b.length && b.every((x) => a.has(x))
}

