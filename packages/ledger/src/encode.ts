import { createHash } from 'node:crypto'
import { encode } from '@mutual/protocol'
import type { Distribution } from './distribution.js'

/** The canonical DAG-CBOR bytes of a distribution: what a settlement's hash covers. */
export function encodeDistribution (distribution: Distribution): Uint8Array {
  return encode(distribution)
}

/** sha-256 of `encodeDistribution(distribution)`. */
export function distributionDigest (distribution: Distribution): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createHash('sha256').update(encodeDistribution(distribution)).digest())
}

/** sha-256 of `encodeDistribution(distribution)`, in lowercase hex. */
export function distributionHash (distribution: Distribution): string {
  return toHex(distributionDigest(distribution))
}

export function toHex (bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}
