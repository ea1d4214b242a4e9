import { CID, bytesEqual, cidOf, cidString, decode, encode } from './encoding.js'
import { isStamp } from './clock.js'
import { type Entry, type SignedEntry, signingBytesOf } from './entry.js'
import type { Verifier } from './identity.js'
import { GENESIS_TYPE, type RecordRegistry } from './records.js'
import {
  BadSignatureError, ClockSkewError, EntryDecodeError, EntryShapeError, EntryTooLargeError, InvalidIdentityError
} from './errors.js'

/** No entry of any type is larger than this on the wire. */
export const MAX_ENTRY_BYTES = 1024 * 1024
/** How far ahead of the local wall clock an entry's stamp may be. */
export const DEFAULT_MAX_SKEW_MS = 5 * 60_000

export interface ValidateInit {
  registry: RecordRegistry
  verifier: Verifier
  /** the local wall clock in milliseconds; defaults to `Date.now()` */
  now?: number
  maxSkewMs?: number
  maxEntryBytes?: number
}

const FIELDS = new Set(['v', 'space', 'author', 'seq', 'prev', 'ts', 'type', 'body', 'refs', 'sig'])
const MAX_REFS = 32

/**
 * The checks that need nothing but the bytes, cheapest first: size, decoding (of the one
 * canonical byte form only), shape, type and its size bound, clock skew, body schema, then the
 * signature. Chain and authorization checks need a log and happen there. Throws a named
 * ProtocolError; never returns a partial result.
 */
export function validateEntry<B = unknown> (bytes: Uint8Array, init: ValidateInit): SignedEntry<B> {
  const checked = checkUnsigned<B>(bytes, init)
  let valid: boolean
  try {
    valid = init.verifier.verify(checked.signed.entry.author, checked.message, checked.signed.entry.sig)
  } catch (err) {
    throw signatureFailure(err as Error)
  }
  return signatureChecked(checked.signed, valid)
}

/** An entry that passed every check but its signature's, and the message its signature covers. */
export interface CheckedEntry<B = unknown> {
  signed: SignedEntry<B>
  message: Uint8Array
}

/**
 * The first half of `validateEntry`: every check but the signature's, with the same named
 * errors. The entry is not valid until `verifyChecked` has resolved it.
 */
export function checkEntry<B = unknown> (bytes: Uint8Array, init: ValidateInit): CheckedEntry<B> {
  return checkUnsigned<B>(bytes, init)
}

/**
 * The second half: the signature, checked on libuv's thread pool (`Verifier.verifyAsync`), so a
 * caller that starts many and awaits them in order has every core verifying while it decodes and
 * places entries. Rejects with the same named errors as `validateEntry`.
 */
export async function verifyChecked<B> (checked: CheckedEntry<B>, verifier: Verifier): Promise<SignedEntry<B>> {
  let valid: boolean
  try {
    valid = await verifier.verifyAsync(checked.signed.entry.author, checked.message, checked.signed.entry.sig)
  } catch (err) {
    throw signatureFailure(err as Error)
  }
  return signatureChecked(checked.signed, valid)
}

function signatureFailure (err: Error): Error {
  if (err.name === 'InvalidIdentityError') return err
  return new BadSignatureError(`signature check failed: ${err.message}`)
}

function signatureChecked<B> (signed: SignedEntry<B>, valid: boolean): SignedEntry<B> {
  const { entry } = signed
  if (!valid) throw new BadSignatureError(`bad signature on ${entry.type} seq ${entry.seq} by ${entry.author}`)
  return signed
}

/** Every check but the signature's; returns the entry and the message its signature covers. */
function checkUnsigned<B> (bytes: Uint8Array, init: ValidateInit): { signed: SignedEntry<B>, message: Uint8Array } {
  const max = init.maxEntryBytes ?? MAX_ENTRY_BYTES
  if (!(bytes instanceof Uint8Array)) throw new EntryDecodeError('an entry is a byte string')
  if (bytes.byteLength > max) throw new EntryTooLargeError(`entry of ${bytes.byteLength} bytes exceeds ${max}`)
  if (bytes.byteLength === 0) throw new EntryDecodeError('empty entry')

  let value: unknown
  let canonical: boolean
  try {
    value = decode(bytes)
    // The decoder accepts some non-canonical forms (unsorted keys, floats for integers, undefined
    // for null). Another byte form of a signed entry would be another id for it: a fake fork.
    canonical = bytesEqual(encode(value), bytes)
  } catch (err) {
    if (err instanceof EntryDecodeError) throw err
    throw new EntryDecodeError(`not canonical DAG-CBOR: ${(err as Error)?.message ?? String(err)}`)
  }
  if (!canonical) throw new EntryDecodeError('not canonical DAG-CBOR: the bytes are not the one encoding of what they hold')
  const entry = checkShape(value)

  const body = init.registry.check(entry.type, entry.body, bytes.byteLength, entry.author)
  const now = init.now ?? Date.now()
  const skew = init.maxSkewMs ?? DEFAULT_MAX_SKEW_MS
  if (entry.ts[0] > now + skew) {
    throw new ClockSkewError(`stamp ${entry.ts[0]} is ${entry.ts[0] - now} ms ahead of this node's clock (bound ${skew} ms)`)
  }
  const message = signingBytesOf(bytes, entry)
  const id = cidOf(bytes)
  entry.body = body
  return { signed: { id, space: cidString(entry.space ?? id), bytes, entry: entry as Entry<B> }, message }
}

function checkShape (value: unknown): Entry {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new EntryShapeError('an entry is a map')
  const e = value as Record<string, unknown>
  for (const key of Object.keys(e)) if (!FIELDS.has(key)) throw new EntryShapeError(`unknown field "${key.slice(0, 32)}"`)
  if (e.v !== 1) throw new EntryShapeError(`unsupported entry version ${String(e.v)}`)
  if (typeof e.author !== 'string' || e.author.length > 128) throw new InvalidIdentityError('author must be an identity id')
  if (!Number.isSafeInteger(e.seq) || (e.seq as number) < 1) throw new EntryShapeError('seq must be a positive integer')
  if (typeof e.type !== 'string' || e.type.length === 0 || e.type.length > 64) throw new EntryShapeError('type must be a short string')
  if (!isStamp(e.ts)) throw new EntryShapeError('ts must be a [wall, logical] stamp')
  if (!(e.sig instanceof Uint8Array) || e.sig.byteLength !== 64) throw new EntryShapeError('sig must be 64 bytes')
  if (!('body' in e) || e.body === undefined) throw new EntryShapeError('body is missing')
  const genesis = e.type === GENESIS_TYPE
  if (genesis) {
    if (e.space !== null || e.seq !== 1 || e.prev !== null) throw new EntryShapeError('a genesis has null space, seq 1 and null prev')
  } else {
    if (CID.asCID(e.space) == null) throw new EntryShapeError('space must be a CID')
    if (e.seq === 1 ? e.prev !== null : CID.asCID(e.prev) == null) throw new EntryShapeError('prev must be null at seq 1 and a CID after')
  }
  if (e.refs !== undefined) {
    if (!Array.isArray(e.refs) || e.refs.length > MAX_REFS || e.refs.some((r) => CID.asCID(r) == null)) {
      throw new EntryShapeError(`refs must be at most ${MAX_REFS} CIDs`)
    }
  }
  return e as unknown as Entry
}
