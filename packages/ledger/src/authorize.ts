import { BodySchemaError, cidString, type CID, type SignedEntry } from '@mutual/protocol'
import type { Authorizer } from '@mutual/log'
import {
  AllocationBudgetError, DuplicateFeedbackError, MissingTargetRefError, NotConsumerError, NotMemberError, NotReviewerError,
  OutsidePeriodError, RoleRequiredError, SelfAttestationError, SelfEndorsementError
} from './errors.js'
import type { Point, Role } from '@mutual/protocol'
import { holds, pointOf, type Participants } from './participants.js'
import { withinPeriod } from './period.js'
import type { ValuationPolicy } from './policy.js'
import {
  CONTRIB_ALLOCATE, CONTRIB_ATTEST, CONTRIB_ENDORSE, CONTRIB_FEEDBACK, CONTRIB_RECORD, DISPUTE_OPEN, DISPUTE_RESOLVE,
  SETTLEMENT, isLedgerType, parseLedgerBody, taskKey,
  type ContribAllocateBody, type ContribAttestBody, type ContribEndorseBody, type ContribFeedbackBody, type ContribRecordBody,
  type DisputeOpenBody, type DisputeResolveBody, type LedgerType
} from './records.js'

export interface LedgerCheckContext {
  participants: Participants
  /** the valuation policy in force; without it the allocation budget is not checked here */
  policy?: ValuationPolicy
  /** the author's earlier entries in the entry's space; without them duplicate feedback is not checked here */
  history?: Iterable<SignedEntry>
}

export interface LedgerAuthorizerInit {
  /** the valuation policy in force at a point, for the allocation budget */
  policy?: (at: Point) => ValuationPolicy | undefined
  /** an author's entries in a space (a view the node keeps), for duplicate feedback */
  history?: (space: string, author: string) => Iterable<SignedEntry>
}

/** Roles that may record contributions: members, and agents on behalf of their operators. */
export const CONTRIBUTOR_ROLES: readonly Role[] = ['member', 'agent']
/** Roles that may resolve disputes (an auditor alone, or an admin and a union representative together). */
export const RESOLVER_ROLES: readonly Role[] = ['auditor', 'admin', 'union-rep']
/** Roles that may sign a settlement. */
export const SETTLER_ROLES: readonly Role[] = ['admin', 'union-rep', 'auditor']

/**
 * The roles whose credential an entry of each type needs (one of them); a writer names such a
 * credential in refs. Anyone with write access may open a dispute.
 */
export const ENTRY_ROLES: Readonly<Record<LedgerType, readonly Role[]>> = Object.freeze({
  [CONTRIB_RECORD]: CONTRIBUTOR_ROLES,
  [CONTRIB_ATTEST]: ['reviewer'],
  [CONTRIB_FEEDBACK]: ['consumer'],
  [CONTRIB_ENDORSE]: ['member'],
  [CONTRIB_ALLOCATE]: ['member'],
  [DISPUTE_OPEN]: [],
  [DISPUTE_RESOLVE]: RESOLVER_ROLES,
  [SETTLEMENT]: SETTLER_ROLES
})

/**
 * The write-time rules of ledger entries, decidable from the entry and the entries it names in
 * `refs`. Throws a named ProtocolError; returns for entries of other types. Attestations,
 * endorsements, disputes and resolutions must name their target in refs (so the log holds them
 * until it arrives). Role checks use `participants.grants` on refs when it is given, else
 * `participants.roles`. The distribution applies the same rules again, so an entry that slipped
 * through (an older node, a check skipped for lack of context) is still ignored there.
 */
export function checkLedgerEntry (entry: SignedEntry, refs: readonly SignedEntry[], context: LedgerCheckContext): void {
  const type = entry.entry.type
  if (!isLedgerType(type)) return
  const body = parseLedgerBody(type, entry.entry.body)
  if (body === undefined) throw new BodySchemaError(`${type} body does not match its schema`)
  const author = entry.entry.author
  const at = pointOf(entry)
  const requireRole = (roles: readonly Role[], ErrorClass: new (message: string) => Error, what: string): void => {
    if (!hasRole(context.participants, refs, author, at, roles)) {
      throw new ErrorClass(`${author} needs the ${roles.join(' or ')} role to ${what}`)
    }
  }

  switch (type) {
    case CONTRIB_RECORD: {
      const b = body as ContribRecordBody
      if (!withinPeriod(b.period, entry.entry.ts)) throw new OutsidePeriodError(`a contribution for ${b.period} cannot be recorded at this time`)
      requireRole(ENTRY_ROLES[type], NotMemberError, 'record a contribution')
      return
    }
    case CONTRIB_ATTEST: {
      const target = targetIn(refs, (body as ContribAttestBody).contribution, CONTRIB_RECORD)
      if (target.entry.author === author) throw new SelfAttestationError(`${author} may not attest their own contribution`)
      requireRole(ENTRY_ROLES[type], NotReviewerError, 'attest a contribution')
      return
    }
    case CONTRIB_FEEDBACK: {
      requireRole(ENTRY_ROLES[type], NotConsumerError, 'give feedback')
      const b = body as ContribFeedbackBody
      const key = taskKey(b.task, b.board)
      for (const earlier of context.history ?? []) {
        if (earlier.entry.type !== CONTRIB_FEEDBACK || earlier.entry.author !== author || earlier.entry.seq >= entry.entry.seq) continue
        const e = parseLedgerBody(CONTRIB_FEEDBACK, earlier.entry.body) as ContribFeedbackBody | undefined
        if (e !== undefined && taskKey(e.task, e.board) === key) throw new DuplicateFeedbackError(`${author} already gave feedback on task ${b.task}`)
      }
      return
    }
    case CONTRIB_ENDORSE: {
      const target = targetIn(refs, (body as ContribEndorseBody).contribution, CONTRIB_RECORD)
      if (target.entry.author === author) throw new SelfEndorsementError(`${author} may not endorse their own contribution`)
      requireRole(ENTRY_ROLES[type], NotMemberError, 'endorse')
      return
    }
    case CONTRIB_ALLOCATE: {
      const b = body as ContribAllocateBody
      if (!withinPeriod(b.period, entry.entry.ts)) throw new OutsidePeriodError(`an allocation for ${b.period} cannot be made at this time`)
      requireRole(ENTRY_ROLES[type], NotMemberError, 'allocate points')
      const budget = context.policy?.allocationBudget
      const sum = b.points.reduce((total, [, points]) => total + points, 0)
      if (budget !== undefined && sum > budget) throw new AllocationBudgetError(`allocation of ${sum} points exceeds the budget of ${budget}`)
      return
    }
    case DISPUTE_OPEN:
      targetIn(refs, (body as DisputeOpenBody).target, CONTRIB_RECORD)
      return
    case DISPUTE_RESOLVE:
      targetIn(refs, (body as DisputeResolveBody).dispute, DISPUTE_OPEN)
      requireRole(ENTRY_ROLES[type], RoleRequiredError, 'resolve a dispute')
      return
    case SETTLEMENT:
      requireRole(ENTRY_ROLES[type], RoleRequiredError, 'sign a settlement')
  }
}

/** The ledger's rules as a log authorizer; add it beside the space's own policy authorizer. */
export function ledgerAuthorizer (participants: Participants, init: LedgerAuthorizerInit = {}): Authorizer {
  return {
    authorize (entry, _genesis, refs) {
      if (!isLedgerType(entry.entry.type)) return
      const context: LedgerCheckContext = { participants }
      const policy = init.policy?.(pointOf(entry))
      if (policy !== undefined) context.policy = policy
      if (init.history !== undefined && entry.entry.type === CONTRIB_FEEDBACK) context.history = init.history(entry.space, entry.entry.author)
      checkLedgerEntry(entry, refs, context)
    }
  }
}

function targetIn (refs: readonly SignedEntry[], id: CID, type: string): SignedEntry {
  const wanted = cidString(id)
  const found = refs.find((ref) => cidString(ref.id) === wanted)
  if (found === undefined || found.entry.type !== type) throw new MissingTargetRefError(`refs must name the ${type} ${wanted}`)
  return found
}

function hasRole (participants: Participants, refs: readonly SignedEntry[], id: string, at: Point, roles: readonly Role[]): boolean {
  const grants = participants.grants
  if (grants === undefined) return holds(participants, id, at, ...roles)
  return refs.some((ref) => roles.some((role) => grants.call(participants, ref, id, role, at)))
}
