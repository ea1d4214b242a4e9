import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { base32 } from 'multiformats/bases/base32'
import { sha256 } from 'multiformats/hashes/sha2'
import { create as createDigest } from 'multiformats/hashes/digest'
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

/**
 * CIDv1 (dag-cbor, sha2-256) of encoded bytes. Hashes synchronously with the platform's one-shot
 * sha256: `sha256.digest` may return a promise (a microtask per entry), and a `createHash` object
 * per entry is a native handle for the garbage collector to finalize.
 */
export function cidOf (bytes: Uint8Array): CID {
  const sum = hash('sha256', bytes, 'buffer')
  const digest = createDigest(sha256.code, new Uint8Array(sum.buffer, sum.byteOffset, sum.byteLength))
  return CID.createV1(dagCbor.code, digest)
}

/**
 * The string form of a CID, exactly `cid.toString()`: base32 for CIDv1, base58btc for CIDv0.
 * `toString` first files the CID in a module-wide WeakMap cache, which costs four times the
 * encoding itself for a CID that is printed once, as every entry id, space and prev is on ingest.
 */
export function cidString (cid: CID): string {
  return cid.version === 0 ? cid.toString() : base32.encode(cid.bytes)
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
  if (a.byteLength !== b.byteLength) return false
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false
  return true
}
