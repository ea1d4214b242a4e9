/**
 * Named errors of the daemon. Callers match them by `.name`, never by message text; the HTTP API
 * reports them as problem+json with the name (see `problem.ts` for the status of each).
 */

/** The config file is unreadable, not JSON, or a field is invalid. Names the file and the field. */
export class ConfigError extends Error {
  override name = 'ConfigError'
  readonly file: string
  readonly field: string | undefined

  constructor (file: string, field: string | undefined, message: string, options?: ErrorOptions) {
    super(`${file}${field === undefined ? '' : ` (${field})`}: ${message}`, options)
    this.file = file
    this.field = field
  }
}

/** The identity key file exists but holds no usable key. */
export class KeyFileError extends Error {
  override name = 'KeyFileError'
}

/** Another daemon holds this data directory's lock. Names its PID and API address. */
export class DaemonRunningError extends Error {
  override name = 'DaemonRunningError'
  readonly pid: number
  readonly api: string | null

  constructor (home: string, pid: number, api: string | null) {
    super(`a daemon is already running on ${home} (pid ${pid}, api ${api ?? 'not listening yet'})`)
    this.pid = pid
    this.api = api
  }
}

/** No valid bearer token on a request that needs one (HTTP 401). */
export class AuthenticationError extends Error {
  override name = 'AuthenticationError'
}

/** The Host header is not one this daemon answers to: a DNS rebinding guard (HTTP 403). */
export class ForbiddenHostError extends Error {
  override name = 'ForbiddenHostError'
}

/** A state-changing request came from a web origin that is not allowed (HTTP 403). */
export class ForbiddenOriginError extends Error {
  override name = 'ForbiddenOriginError'
}

/** A request's parameters, query or JSON body do not match the API schema (HTTP 400). */
export class InvalidRequestError extends Error {
  override name = 'InvalidRequestError'
}

/** Not a multiaddr (HTTP 400). */
export class InvalidAddressError extends Error {
  override name = 'InvalidAddressError'
}

/** No such route (HTTP 404). */
export class NotFoundError extends Error {
  override name = 'NotFoundError'
}

/** The request body exceeds the API's bound (HTTP 413). */
export class PayloadTooLargeError extends Error {
  override name = 'PayloadTooLargeError'
}

/** The request line and headers exceed Node's header bound (HTTP 431); answered before any route runs. */
export class HeaderTooLargeError extends Error {
  override name = 'HeaderTooLargeError'
}

/** The daemon is starting or stopping (HTTP 503). */
export class NotReadyError extends Error {
  override name = 'NotReadyError'
}

/** An invite ticket that is not one: wrong prefix, not base64url, not DAG-CBOR, or the wrong shape (HTTP 400). */
export class InvalidTicketError extends Error {
  override name = 'InvalidTicketError'
}

/** A ticket in the first layout, which did not name its kind: still readable, no longer redeemed (HTTP 400). */
export class OutdatedTicketError extends InvalidTicketError {
  override name = 'OutdatedTicketError'
}

/** An invite was refused: the inviter is not the board's creator, the ticket is this node's own, or the redeemer is not who it says (HTTP 400). */
export class InviteError extends Error {
  override name = 'InviteError'
}

/** No invite with that id on that board, or its secret does not match (HTTP 404). */
export class UnknownInviteError extends InviteError {
  override name = 'UnknownInviteError'
}

/** The invite's expiry has passed (HTTP 410). */
export class InviteExpiredError extends InviteError {
  override name = 'InviteExpiredError'
}

/** The invite has no uses left (HTTP 410). */
export class InviteUsedError extends InviteError {
  override name = 'InviteUsedError'
}

/** The invite was revoked by its creator (HTTP 410). */
export class InviteRevokedError extends InviteError {
  override name = 'InviteRevokedError'
}

/** A joined board did not arrive from the inviter in time (HTTP 504). */
export class JoinTimeoutError extends Error {
  override name = 'JoinTimeoutError'
}

/** One identity, space or task a name or id prefix could mean. */
export interface NameCandidate {
  id: string
  name: string
}

/** A name or id prefix that fits more than one thing of its kind; names the candidates (the CLI exits 2). */
export class AmbiguousNameError extends Error {
  override name = 'AmbiguousNameError'
  readonly candidates: NameCandidate[]

  constructor (what: string, query: string, candidates: NameCandidate[]) {
    super(`"${query.slice(0, 128)}" could be ${candidates.length} ${what}s: ${candidates.map((c) => c.name === '' ? c.id : `${c.name} (${c.id})`).join(', ')}; give more of the id`)
    this.candidates = candidates
  }
}

/** A name or id prefix that fits nothing of its kind this node knows. */
export class UnknownNameError extends Error {
  override name = 'UnknownNameError'
}

/** No profile of this identity has reached this node. */
export class UnknownProfileError extends Error {
  override name = 'UnknownProfileError'
}

/** A login code that is unknown, used already or expired (HTTP 410): `mutual open` makes a new one. */
export class LoginCodeError extends Error {
  override name = 'LoginCodeError'
}

/** The sessions file cannot be read (a daemon start-up error). */
export class SessionFileError extends Error {
  override name = 'SessionFileError'
}

/** No inbox item with that id on this node (HTTP 404): `mutual inbox` lists them. */
export class UnknownInboxItemError extends Error {
  override name = 'UnknownInboxItemError'
}
