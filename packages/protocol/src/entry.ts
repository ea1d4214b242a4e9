import { CID, cidOf, encode } from './encoding.js'
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

/** Signs entry fields with an identity. The caller is responsible for seq, prev and ts (see the log). */
export function signEntry<B> (identity: Identity, fields: UnsignedEntry<B>): SignedEntry<B> {
  if (fields.author !== identity.id) throw new TypeError('entry author must be the signing identity')
  const unsigned = unsignedFields(fields as Entry<B>)
  const entry: Entry<B> = { ...unsigned, sig: identity.sign(signingBytes(unsigned)) }
  const bytes = encode(entry)
  const id = cidOf(bytes)
  return { id, space: entry.space?.toString() ?? id.toString(), bytes, entry }
}
