import { ProtocolError } from '@mutual/protocol'

/**
 * Named errors of the board package. Callers match them by `.name`, never by message text; the
 * names are a contract. Errors about entries from the network extend ProtocolError (the peer that
 * sent them is penalized); errors about local requests extend BoardError.
 */
export class BoardError extends Error {
  override name = 'BoardError'
}

/** A `board/update` body that is not a well-formed, bounded Yjs update. Checked before anything is applied. */
export class InvalidUpdateError extends ProtocolError {
  override name = 'InvalidUpdateError'
}

/** No task with that id on the board. */
export class UnknownTaskError extends BoardError {
  override name = 'UnknownTaskError'
}

/** The workflow does not allow moving a task from its state to the requested one (or the state does not exist). */
export class TransitionError extends BoardError {
  override name = 'TransitionError'
}

/** The target state already holds as many tasks as its work-in-progress limit allows. */
export class WipLimitError extends BoardError {
  override name = 'WipLimitError'
}

/** The task waits on an unfinished dependency, and the state it would enter is one of the workflow's active states. */
export class BlockedTaskError extends BoardError {
  override name = 'BlockedTaskError'
}

/** The dependency would make a task depend on itself, directly or through others. */
export class DependencyCycleError extends BoardError {
  override name = 'DependencyCycleError'
}

/** A workflow that names unknown states, repeats a state, lacks its done state, lists no allowed move (unless `transitions: "any"`), or drops a state tasks are in. */
export class InvalidWorkflowError extends BoardError {
  override name = 'InvalidWorkflowError'
}

/** Task fields out of bounds (title too long, negative estimate, bad date, bad position). */
export class InvalidTaskError extends BoardError {
  override name = 'InvalidTaskError'
}

/** The replica has no identity, or its identity may not write this board. */
export class ReadOnlyBoardError extends BoardError {
  override name = 'ReadOnlyBoardError'
}

/** The space is not a board (its genesis kind is not 'board'), or is not held by this log. */
export class NotABoardError extends BoardError {
  override name = 'NotABoardError'
}

/** The replica is not started, or has stopped. */
export class ReplicaClosedError extends BoardError {
  override name = 'ReplicaClosedError'
}

/** An update from a web page that changes more than task descriptions, or cannot be placed yet. */
export class TextOnlyUpdateError extends InvalidUpdateError {
  override name = 'TextOnlyUpdateError'
}

/** A file given to import that is not CSV at all (an unclosed quote, a header without a title column): nothing is imported. */
export class InvalidCsvError extends BoardError {
  override name = 'InvalidCsvError'
}

/** A file given to import over the import bound (`MAX_IMPORT_BYTES`): nothing is imported. */
export class ImportTooLargeError extends BoardError {
  override name = 'ImportTooLargeError'
}
