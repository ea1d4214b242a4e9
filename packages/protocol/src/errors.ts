/**
 * Named errors of the protocol. Callers match them by `.name` (never by message text); the
 * names are a contract and do not change between versions. Every validation failure is one of
 * these, so bad input from the network, a file or an API is always reported by kind.
 */
export class ProtocolError extends Error {
  static readonly code: string = 'ERR_PROTOCOL'
  override name = 'ProtocolError'
  /** true when the same entry may become valid later (for example a clock too far ahead) */
  readonly transient: boolean = false
}

export class EntryTooLargeError extends ProtocolError {
  override name = 'EntryTooLargeError'
}

export class EntryDecodeError extends ProtocolError {
  override name = 'EntryDecodeError'
}

export class EntryShapeError extends ProtocolError {
  override name = 'EntryShapeError'
}

export class UnknownTypeError extends ProtocolError {
  override name = 'UnknownTypeError'
}

export class BadSignatureError extends ProtocolError {
  override name = 'BadSignatureError'
}

export class InvalidIdentityError extends ProtocolError {
  override name = 'InvalidIdentityError'
}

export class SeqError extends ProtocolError {
  override name = 'SeqError'
}

export class PrevMismatchError extends ProtocolError {
  override name = 'PrevMismatchError'
}

export class ClockRegressionError extends ProtocolError {
  override name = 'ClockRegressionError'
}

export class ClockSkewError extends ProtocolError {
  override name = 'ClockSkewError'
  override readonly transient = true
}

export class BodyTooLargeError extends ProtocolError {
  override name = 'BodyTooLargeError'
}

export class BodySchemaError extends ProtocolError {
  override name = 'BodySchemaError'
}

export class UnauthorizedError extends ProtocolError {
  override name = 'UnauthorizedError'
}

export class SpaceMismatchError extends ProtocolError {
  override name = 'SpaceMismatchError'
}

/** A profile names an identity other than its author's: a profile is always its author's own. */
export class ProfileIdentityError extends ProtocolError {
  override name = 'ProfileIdentityError'
}
