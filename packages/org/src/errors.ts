import { ProtocolError, UnauthorizedError } from '@mutual/protocol'

/**
 * Named errors of the org package, matched by `.name` (never by message text); the names are a
 * contract. Verdicts on entries extend the protocol's UnauthorizedError, so anything that handles
 * an unauthorized entry (the log, gossip scoring, the daemon's error table) handles these too.
 * Errors about local requests extend OrgError.
 */
export class OrgError extends Error {
  override name = 'OrgError'
}

/** A hand-over or a board setting by someone who may not administer the board: neither its creator nor an admin of an org its policy grants. */
export class NotBoardAdminError extends UnauthorizedError {
  override name = 'NotBoardAdminError'
}

/** An acceptance's hand-over does not name its announcement's board and task and its application's author. */
export class HandoverMismatchError extends UnauthorizedError {
  override name = 'HandoverMismatchError'
}

/** The author is not an admin of the organization, or did not name the evidence that makes them one. */
export class NotAdminError extends UnauthorizedError {
  override name = 'NotAdminError'
}

/** A change is relied on, or enacted, short of the approvals its threshold asks for. */
export class ThresholdNotMetError extends UnauthorizedError {
  override name = 'ThresholdNotMetError'
}

/** A proposal asks for fewer approvals than the threshold in force in the context it names. */
export class WeakThresholdError extends UnauthorizedError {
  override name = 'WeakThresholdError'
}

/** An approval's tally is not the approvals it names plus its own. */
export class TallyMismatchError extends UnauthorizedError {
  override name = 'TallyMismatchError'
}

/** The credential the entry rests on had expired at the entry's stamp. */
export class CredentialExpiredError extends UnauthorizedError {
  override name = 'CredentialExpiredError'
}

/** The author's credential or admin role was revoked before this entry (by seq, per space). */
export class RevokedError extends UnauthorizedError {
  override name = 'RevokedError'
}

/** A ref offered as a credential is not an org/credential of the right organization naming the author. */
export class ForgedCredentialError extends UnauthorizedError {
  override name = 'ForgedCredentialError'
}

/** An entry does not name in `refs` an entry its authority or meaning rests on. */
export class MissingEvidenceError extends UnauthorizedError {
  override name = 'MissingEvidenceError'
}

/** The author's roles in this space do not allow this entry type (see ROLE_WRITES). */
export class RoleNotAllowedError extends UnauthorizedError {
  override name = 'RoleNotAllowedError'
}

/** A record type written where it has no meaning: org records outside an org space, a space policy that is not the creator's first entry. */
export class MisplacedRecordError extends UnauthorizedError {
  override name = 'MisplacedRecordError'
}

/** An entry stamped no later than an entry it names in refs; refs must precede (DESIGN.md §3). */
export class RefOrderError extends UnauthorizedError {
  override name = 'RefOrderError'
}

/** More market entries of one kind by one author within an hour than the market allows. */
export class RateLimitError extends UnauthorizedError {
  override name = 'RateLimitError'
}

/** A body that does not decrypt: wrong key, wrong entry, or tampered ciphertext. */
export class DecryptError extends ProtocolError {
  override name = 'DecryptError'
}

/** No key for the space (or that epoch) is sealed to this identity. */
export class NoSpaceKeyError extends OrgError {
  override name = 'NoSpaceKeyError'
}

/** The space is not an organization (or federation) this node holds. */
export class UnknownOrgError extends OrgError {
  override name = 'UnknownOrgError'
}

/** The writer holds no live credential of the organization a space is granted to, for the role an entry needs. */
export class NoCredentialError extends OrgError {
  override name = 'NoCredentialError'
}
