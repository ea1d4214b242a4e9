import { ProtocolError } from '@mutual/protocol'

/**
 * Named errors of the ledger. Callers match them by `.name`, never by message text; the names are
 * a contract. Errors about entries (from the network or about to be appended) extend
 * ProtocolError, so the log rejects the entry and the peer that sent it is penalized; errors
 * about local requests extend LedgerError.
 */
export class LedgerError extends Error {
  override name = 'LedgerError'
}

/** An attestation of a contribution by its own author (or the author's operator or agent). */
export class SelfAttestationError extends ProtocolError {
  override name = 'SelfAttestationError'
}

/** An endorsement of a contribution by its own author (or the author's operator or agent). */
export class SelfEndorsementError extends ProtocolError {
  override name = 'SelfEndorsementError'
}

/** An attestation by an identity that holds no `reviewer` credential at that point. */
export class NotReviewerError extends ProtocolError {
  override name = 'NotReviewerError'
}

/** Consumer feedback by an identity that holds no `consumer` credential at that point. */
export class NotConsumerError extends ProtocolError {
  override name = 'NotConsumerError'
}

/** A contribution, endorsement or allocation by an identity that is not a member (or agent, for contributions). */
export class NotMemberError extends ProtocolError {
  override name = 'NotMemberError'
}

/** A dispute resolution or settlement by an identity without a role that may write it. */
export class RoleRequiredError extends ProtocolError {
  override name = 'RoleRequiredError'
}

/** A contribution or allocation whose period is neither the month of its stamp nor the month before. */
export class OutsidePeriodError extends ProtocolError {
  override name = 'OutsidePeriodError'
}

/** A consumer's second feedback on the same task. */
export class DuplicateFeedbackError extends ProtocolError {
  override name = 'DuplicateFeedbackError'
}

/** An allocation whose points add up to more than the valuation policy's budget. */
export class AllocationBudgetError extends ProtocolError {
  override name = 'AllocationBudgetError'
}

/** An attestation, endorsement, dispute or resolution that does not name its target in `refs`. */
export class MissingTargetRefError extends ProtocolError {
  override name = 'MissingTargetRefError'
}

/** A valuation policy that does not match its schema (weights not summing to 10,000, bad bounds). */
export class InvalidPolicyError extends LedgerError {
  override name = 'InvalidPolicyError'
}

/** A period that is not `YYYY-MM`. */
export class InvalidPeriodError extends LedgerError {
  override name = 'InvalidPeriodError'
}

/** An entry given as a settlement that is not one (wrong type or body). */
export class InvalidSettlementError extends LedgerError {
  override name = 'InvalidSettlementError'
}

/** A distribution with more inputs than a settlement entry can name. */
export class SettlementTooLargeError extends LedgerError {
  override name = 'SettlementTooLargeError'
}

/** A space that is not a ledger (kind `ledger`), or not granted to an organization this node holds, where a ledger is asked for. */
export class NotALedgerError extends LedgerError {
  override name = 'NotALedgerError'
}

/** A contribution recorded from a task that is not in its workflow's done state. */
export class TaskNotDoneError extends LedgerError {
  override name = 'TaskNotDoneError'
}

/** A contribution recorded from a task by an identity that does not hold the task (its winning claim). */
export class NotTaskHolderError extends LedgerError {
  override name = 'NotTaskHolderError'
}

/** A second contribution recorded from the same task by the same holder. */
export class TaskAlreadyRecordedError extends LedgerError {
  override name = 'TaskAlreadyRecordedError'
}

/** A task whose estimate is not a whole number of effort points within the ledger's bound. */
export class TaskEffortError extends LedgerError {
  override name = 'TaskEffortError'
}
