/**
 * @packageDocumentation
 * Mutual's contribution ledger: record types for contributions, reviews, consumer feedback,
 * endorsements, allocation rounds, disputes and settlements; the write-time rules as a log
 * authorizer; and `distribute`, a pure function from a valuation policy and signed entries to
 * shares in parts per million with an explanation of every number, identical on every machine.
 * No networking, no I/O.
 */
export {
  CONTRIB_RECORD, CONTRIB_ATTEST, CONTRIB_FEEDBACK, CONTRIB_ENDORSE, CONTRIB_ALLOCATE, DISPUTE_OPEN, DISPUTE_RESOLVE, SETTLEMENT,
  LEDGER_TYPES, CONTRIBUTION_KINDS, MAX_EFFORT, MAX_TASK_ID, MAX_EVIDENCE, MAX_NOTE_CHARS, MAX_ALLOCATION_RECIPIENTS,
  MAX_ALLOCATION_BUDGET, MAX_SETTLEMENT_INPUTS, MAX_REQUESTED_REVIEWERS,
  contribRecordSchema, contribAttestSchema, contribFeedbackSchema, contribEndorseSchema, contribAllocateSchema,
  disputeOpenSchema, disputeResolveSchema, settlementSchema, ledgerRecordTypes, isLedgerType, parseLedgerBody, taskKey,
  type LedgerType, type ContributionKind, type ContribRecordBody, type ContribAttestBody, type ContribFeedbackBody,
  type ContribEndorseBody, type ContribAllocateBody, type DisputeOpenBody, type DisputeResolveBody, type SettlementBody
} from './records.js'
export { valuationPolicySchema, parsePolicy, BASIS_POINTS, type ValuationPolicy, type Weights } from './policy.js'
export { pointOf, beneficiaryOf, sameParty, type Participants } from './participants.js'
export { isPeriod, periodOf, nextPeriod, withinPeriod } from './period.js'
export {
  checkLedgerEntry, ledgerAuthorizer, CONTRIBUTOR_ROLES, RESOLVER_ROLES, SETTLER_ROLES, ENTRY_ROLES,
  type LedgerCheckContext, type LedgerAuthorizerInit
} from './authorize.js'
export { distribute, type DistributeOptions } from './distribute.js'
export {
  taskContribution, attestationRequests, type FinishedTask, type TaskContributionInput, type AttestationRequest, type RequestedReview
} from './from-task.js'
export type {
  Distribution, Components, ContributionLine, AllocationLine, DisputeLine, ParticipantLine, ShareLine, IgnoredLine,
  IgnoreReason, ContributionReason, DroppedPointsReason
} from './distribution.js'
export { PPM } from './shares.js'
export { encodeDistribution, distributionDigest, distributionHash } from './encode.js'
export { settle, verifySettlement, type SettlementCheck } from './settle.js'
export * from './errors.js'
export {
  DEFAULT_VALUATION_POLICY, NO_PARTICIPANTS, policyInForce, policyNamed, participantsBySpace, type EnactedPolicy, type PolicyInForce
} from './in-force.js'
