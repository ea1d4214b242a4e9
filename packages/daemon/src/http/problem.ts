import { ProtocolError } from '@mutual/protocol'

/**
 * The one table from error names to HTTP statuses. Errors are matched by `.name` (a contract
 * between packages, documented in docs/ERRORS.md; a test holds every exported error class to a
 * row here and a line there); a ProtocolError subclass not listed is still invalid input (400).
 * Anything else is the daemon's own failure (500).
 */
export const ERROR_STATUS: Readonly<Record<string, number>> = {
  // invalid input
  InvalidRequestError: 400,
  InvalidAddressError: 400,
  BodySchemaError: 400,
  BodyTooLargeError: 400,
  UnknownTypeError: 400,
  InvalidIdentityError: 400,
  EntryTooLargeError: 400,
  EntryDecodeError: 400,
  EntryShapeError: 400,
  ProtocolError: 400,
  BadSignatureError: 400,
  SeqError: 400,
  PrevMismatchError: 400,
  ClockRegressionError: 400,
  ClockSkewError: 400,
  SpaceMismatchError: 400,
  MissingPredecessorError: 400,
  UnknownRefError: 400,
  BoardError: 400,
  InvalidUpdateError: 400,
  TextOnlyUpdateError: 400,
  InvalidCsvError: 400,
  ImportTooLargeError: 413,
  InvalidTaskError: 400,
  InvalidWorkflowError: 400,
  InvalidTicketError: 400,
  OutdatedTicketError: 400,
  InviteError: 400,
  ProfileIdentityError: 400,
  // names: a name or id prefix that fits several things, or nothing
  AmbiguousNameError: 409,
  UnknownNameError: 404,
  UnknownProfileError: 404,
  // a request the board's rules refuse in its current state
  TransitionError: 409,
  WipLimitError: 409,
  BlockedTaskError: 409,
  DependencyCycleError: 409,
  // who is asking
  AuthenticationError: 401,
  LoginCodeError: 410,
  UnauthorizedError: 403,
  FrozenLogError: 403,
  ReadOnlyBoardError: 403,
  ForbiddenHostError: 403,
  ForbiddenOriginError: 403,
  // the ledger's rules (DESIGN §5): who may write what
  NoCredentialError: 403,
  NotMemberError: 403,
  NotReviewerError: 403,
  NotConsumerError: 403,
  RoleRequiredError: 403,
  SelfAttestationError: 403,
  SelfEndorsementError: 403,
  NotALedgerError: 404,
  DuplicateFeedbackError: 409,
  AllocationBudgetError: 400,
  MissingTargetRefError: 400,
  OutsidePeriodError: 400,
  LedgerError: 400,
  InvalidPolicyError: 400,
  InvalidPeriodError: 400,
  InvalidSettlementError: 400,
  SettlementTooLargeError: 413,
  TaskEffortError: 400,
  NotTaskHolderError: 403,
  TaskNotDoneError: 409,
  TaskAlreadyRecordedError: 409,
  // organizations, federations and the market (DESIGN §5): who may write what
  NotAdminError: 403,
  NotBoardAdminError: 403,
  HandoverMismatchError: 403,
  ThresholdNotMetError: 403,
  WeakThresholdError: 403,
  TallyMismatchError: 403,
  CredentialExpiredError: 403,
  RevokedError: 403,
  ForgedCredentialError: 403,
  MissingEvidenceError: 403,
  RoleNotAllowedError: 403,
  MisplacedRecordError: 403,
  RefOrderError: 403,
  RateLimitError: 429,
  DecryptError: 400,
  OrgError: 409,
  NoSpaceKeyError: 409,
  UnknownOrgError: 404,
  // what is asked for
  UnknownSpaceError: 404,
  NotFoundError: 404,
  NotABoardError: 404,
  UnknownTaskError: 404,
  UnknownInviteError: 404,
  UnknownInboxItemError: 404,
  DaemonRunningError: 409,
  StoreLockedError: 409,
  // gone for good
  InviteExpiredError: 410,
  InviteUsedError: 410,
  InviteRevokedError: 410,
  PayloadTooLargeError: 413,
  HeaderTooLargeError: 431,
  // the network
  DialError: 502,
  JoinTimeoutError: 504,
  SyncProtocolError: 502,
  SyncPeerMisbehavingError: 502,
  // the daemon's state
  NotReadyError: 503,
  NodeNotStartedError: 503,
  LogClosedError: 503,
  ReplicaClosedError: 503,
  // the daemon's own failures: its disk, its data directory's files (met at start by `mutual daemon`)
  StoreWriteError: 500,
  ConfigError: 500,
  KeyFileError: 500,
  SessionFileError: 500
}

/** RFC 9457 problem details, plus the error's class name for programs that match on it. */
export interface Problem {
  type: string
  title: string
  status: number
  detail: string
  name: string
  /** what an ambiguous name could mean (AmbiguousNameError) */
  candidates?: Array<{ id: string, name: string }>
}

export const PROBLEM_TYPE_BASE = 'https://mutual.dev/problems/'

export function statusOf (err: unknown): number {
  const name = (err as Error | undefined)?.name
  const status = typeof name === 'string' ? ERROR_STATUS[name] : undefined
  if (status !== undefined) return status
  return err instanceof ProtocolError ? 400 : 500
}

export function problemOf (err: unknown): Problem {
  const e = err instanceof Error ? err : new Error(String(err))
  const status = statusOf(e)
  const name = status === 500 && e.name === 'Error' ? 'InternalError' : e.name
  const candidates = (e as { candidates?: Problem['candidates'] }).candidates
  return {
    type: PROBLEM_TYPE_BASE + kebab(name),
    title: words(name),
    status,
    detail: e.message,
    name,
    ...(Array.isArray(candidates) ? { candidates } : {})
  }
}

/** `BodySchemaError` → `body-schema-error`; a one-letter word stays a word: `NotABoardError` → `not-a-board-error` */
export function kebab (name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z])([A-Z][a-z])/g, '$1-$2').toLowerCase()
}

/** `BodySchemaError` → `Body schema error` */
function words (name: string): string {
  const text = kebab(name).replace(/-/g, ' ')
  return text.charAt(0).toUpperCase() + text.slice(1)
}
