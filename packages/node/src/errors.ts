/** A peer sent a sync message that is malformed, too large or out of order. */
export class SyncProtocolError extends Error {
  override name = 'SyncProtocolError'
}

/** A peer sent too many invalid entries; the session was ended and the peer penalized. */
export class SyncPeerMisbehavingError extends Error {
  override name = 'SyncPeerMisbehavingError'
}

/** An operation needs the node to be started. */
export class NodeNotStartedError extends Error {
  override name = 'NodeNotStartedError'
}

/** The address or peer cannot be dialled (blocked, malformed, or unreachable). */
export class DialError extends Error {
  override name = 'DialError'
}
