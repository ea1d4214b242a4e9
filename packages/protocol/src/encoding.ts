import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { create as createDigest } from 'multiformats/hashes/digest'
import { createHash } from 'node:crypto'

export { CID }

/** Canonical DAG-CBOR bytes of a value: the same value gives the same bytes on every machine. */
export function encode (value: unknown): Uint8Array {
  return dagCbor.encode(value)
}

/** Strict DAG-CBOR decoding: non-canonical input (unsorted keys, non-minimal integers) is refused. */
export function decode<T = unknown> (bytes: Uint8Array): T {
  return dagCbor.decode<T>(bytes)
}

/**
 * CIDv1 (dag-cbor, sha2-256) of encoded bytes. Hashes synchronously with the platform's sha256
 * rather than `sha256.digest`, which may return a promise and costs a microtask per entry.
 */
export function cidOf (bytes: Uint8Array): CID {
  const hash = createHash('sha256').update(bytes).digest()
  const digest = createDigest(sha256.code, new Uint8Array(hash.buffer, hash.byteOffset, hash.byteLength))
  return CID.createV1(dagCbor.code, digest)
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
