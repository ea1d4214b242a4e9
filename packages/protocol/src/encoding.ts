import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { Digest } from 'multiformats/hashes/digest'
import { hash } from 'node:crypto'
import { EntryDecodeError } from './errors.js'

export { CID }

/** Canonical DAG-CBOR bytes of a value: the same value gives the same bytes on every machine. */
export function encode (value: unknown): Uint8Array {
  return dagCbor.encode(value)
}

/**
 * Strict DAG-CBOR decoding: non-minimal integers, duplicate keys and tags other than CIDs are
 * refused, but some non-canonical forms decode (unsorted keys, an integer written as a float,
 * undefined read as null). Where the bytes must be the one canonical form, as for signed
 * entries, compare them with `encode` of the result (validateEntry does). Throws
 * EntryDecodeError, never the codec's own errors.
 */
export function decode<T = unknown> (bytes: Uint8Array): T {
  try {
    return dagCbor.decode<T>(bytes)
  } catch (err) {
    throw new EntryDecodeError(`not DAG-CBOR: ${(err as Error)?.message ?? String(err)}`)
  }
}

// Version 1, dag-cbor, sha2-256, 32 bytes: the head of every CID that cidOf makes (each a one-byte varint).
const CID_HEAD = Uint8Array.from([1, dagCbor.code, sha256.code, 32])

/**
 * CIDv1 (dag-cbor, sha2-256) of encoded bytes. Hashes synchronously with the platform's one-shot
 * sha256: `sha256.digest` may return a promise (a microtask per entry), and a `createHash` object
 * per entry is a native handle for the garbage collector to finalize. The CID, its multihash and
 * digest are views of one buffer, where `CID.createV1` would copy the digest twice into small
 * arrays that multiformats then moves off the V8 heap, one by one.
 */
export function cidOf (bytes: Uint8Array): CID {
  const cid = new Uint8Array(new ArrayBuffer(CID_HEAD.byteLength + 32))
  cid.set(CID_HEAD, 0)
  cid.set(hash('sha256', bytes, 'buffer'), CID_HEAD.byteLength)
  return new CID(1, dagCbor.code, new Digest(sha256.code, 32, cid.subarray(4), cid.subarray(2)), cid)
}

const BASE32_ALPHABET = Buffer.from('abcdefghijklmnopqrstuvwxyz234567', 'latin1')
let scratch = Buffer.allocUnsafe(128)

/**
 * The string form of a CID, exactly `cid.toString()`: multibase base32 (prefix `b`, RFC 4648
 * lower case, no padding) for CIDv1, base58btc for CIDv0. Written out because `toString` files
 * every CID in a module-wide WeakMap and builds the string one character at a time: for a CID
 * printed once, as every entry id, space and prev is on ingest, that costs four times as much
 * and leaves garbage. Here the characters go into one reused buffer, read out as a flat string.
 */
export function cidString (cid: CID): string {
  if (cid.version === 0) return cid.toString()
  const bytes = cid.bytes
  const length = 1 + Math.ceil(bytes.byteLength * 8 / 5)
  if (scratch.byteLength < length) scratch = Buffer.allocUnsafe(length)
  scratch[0] = 0x62 // 'b'
  let out = 1
  let bits = 0
  let value = 0
  for (let i = 0; i < bytes.byteLength; i++) {
    value = ((value << 8) | bytes[i]) & 0xfff
    bits += 8
    while (bits >= 5) {
      bits -= 5
      scratch[out++] = BASE32_ALPHABET[(value >>> bits) & 31]
    }
  }
  if (bits > 0) scratch[out++] = BASE32_ALPHABET[(value << (5 - bits)) & 31]
  return scratch.toString('latin1', 0, out)
}

/** Parses a CID string, or returns undefined if it is not one. */
export function parseCid (text: string): CID | undefined {
  try {
    return CID.parse(text)
  } catch {
    return undefined
  }
}

export function bytesEqual (a: Uint8Array, b: Uint8Array): boolean {
  // Native memcmp: a loop here costs half a microsecond per entry on ingest, a millisecond on a large one.
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0
}
