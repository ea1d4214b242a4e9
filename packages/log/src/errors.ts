import { ProtocolError } from '@mutual/protocol'

/** The entry's predecessor (or its space's genesis) is not here yet; it is held and retried when it arrives. */
export class MissingPredecessorError extends ProtocolError {
  override name = 'MissingPredecessorError'
  override readonly transient = true
}

/** The author equivocated in this space; their log is frozen at the fork and takes nothing more. */
export class FrozenLogError extends ProtocolError {
  override name = 'FrozenLogError'
}

/** The log is not open (not started, or stopped). */
export class LogClosedError extends Error {
  override name = 'LogClosedError'
}

/** The store failed to persist a batch; what was not acknowledged was not stored. */
export class StoreWriteError extends Error {
  override name = 'StoreWriteError'
}

/** Another process holds the store (level's lock). */
export class StoreLockedError extends Error {
  override name = 'StoreLockedError'
}

export class UnknownSpaceError extends Error {
  override name = 'UnknownSpaceError'
}

/** An entry to append names in refs an entry this node does not hold. */
export class UnknownRefError extends Error {
  override name = 'UnknownRefError'
}
