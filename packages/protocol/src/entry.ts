import { CID, bytesEqual, cidOf, cidString, encode } from './encoding.js'
import type { Stamp } from './clock.js'
import type { Identity } from './identity.js'

export const ENTRY_VERSION = 1
/** Signatures cover this tag followed by the canonical bytes, so they cannot be replayed as another kind of signed message. */
export const ENTRY_SIGNATURE_DOMAIN = new TextEncoder().encode('mutual/entry/v1\n')

/** The signed fields of an entry. `space` is null only in a genesis, whose own id is the space id. */
export interface UnsignedEntry<B = unknown> {
  v: 1
  space: CID | null
  author: string
  seq: number
  prev: CID | null
  ts: Stamp
  type: string
  body: B
  refs?: CID[]
}

export interface Entry<B = unknown> extends UnsignedEntry<B> {
  sig: Uint8Array
}

/** An entry that decoded and whose signature verified, with its id and canonical bytes. */
export interface SignedEntry<B = unknown> {
  readonly id: CID
  /** the space id as a string: the entry's `space`, or its own id for a genesis */
  readonly space: string
  readonly bytes: Uint8Array
  readonly entry: Entry<B>
}

export function unsignedFields<B> (entry: Entry<B>): UnsignedEntry<B> {
  const fields: UnsignedEntry<B> = {
    v: entry.v,
    space: entry.space,
    author: entry.author,
    seq: entry.seq,
    prev: entry.prev,
    ts: entry.ts,
    type: entry.type,
    body: entry.body
  }
  if (entry.refs !== undefined) fields.refs = entry.refs
  return fields
}

export function signingBytes (fields: UnsignedEntry<unknown>): Uint8Array {
  const body = encode(fields)
  const out = new Uint8Array(ENTRY_SIGNATURE_DOMAIN.byteLength + body.byteLength)
  out.set(ENTRY_SIGNATURE_DOMAIN, 0)
  out.set(body, ENTRY_SIGNATURE_DOMAIN.byteLength)
  return out
}

// The key "sig" and the head of a 64-byte string, as canonical DAG-CBOR writes them.
const SIG_PAIR_HEAD = Uint8Array.from([0x63, 0x73, 0x69, 0x67, 0x58, 0x40])

/**
 * `signingBytes(unsignedFields(entry))`, cut from the entry's own canonical bytes instead of
 * encoded again. DAG-CBOR sorts map keys by length, then bytewise, so the `sig` pair comes right
 * after `v`, `ts` and `seq`; without it, and with the map one key shorter, the bytes are the
 * encoding of the unsigned fields. Only for bytes already checked to be the canonical encoding
 * of `entry`, with a valid shape (validateEntry checks both first). Encodes anyway if the pair
 * is not where it must be.
 */
export function signingBytesOf (bytes: Uint8Array, entry: Entry<unknown>): Uint8Array {
  const start = 1 + 3 + 4 + uintSize(entry.ts[0]) + uintSize(entry.ts[1]) + 4 + uintSize(entry.seq)
  const end = start + SIG_PAIR_HEAD.byteLength + 64
  const head = bytes[0]
  if (
    head <= 0xa0 || head > 0xb7 || end > bytes.byteLength ||
    !bytesEqual(bytes.subarray(start, start + SIG_PAIR_HEAD.byteLength), SIG_PAIR_HEAD) ||
    !bytesEqual(bytes.subarray(start + SIG_PAIR_HEAD.byteLength, end), entry.sig)
  ) {
    return signingBytes(unsignedFields(entry))
  }
  const domain = ENTRY_SIGNATURE_DOMAIN.byteLength
  const out = new Uint8Array(domain + bytes.byteLength - (end - start))
  out.set(ENTRY_SIGNATURE_DOMAIN, 0)
  out[domain] = head - 1
  out.set(bytes.subarray(1, start), domain + 1)
  out.set(bytes.subarray(end), domain + start)
  return out
}

/** Length of a CBOR unsigned integer in its shortest form (RFC 8949 §3.1, §4.2.1). */
function uintSize (n: number): number {
  return n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : n < 0x100000000 ? 5 : 9
}

/** Signs entry fields with an identity. The caller is responsible for seq, prev and ts (see the log). */
export function signEntry<B> (identity: Identity, fields: UnsignedEntry<B>): SignedEntry<B> {
  if (fields.author !== identity.id) throw new TypeError('entry author must be the signing identity')
  const unsigned = unsignedFields(fields as Entry<B>)
  const entry: Entry<B> = { ...unsigned, sig: identity.sign(signingBytes(unsigned)) }
  const bytes = encode(entry)
  const id = cidOf(bytes)
  return { id, space: cidString(entry.space ?? id), bytes, entry }
}
