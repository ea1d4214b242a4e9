import { decode, encode } from '@mutual/protocol'
import type { VersionVector } from '@mutual/log'
import { SyncProtocolError } from '../errors.js'

/** Numeric message tags, as in y-protocols: small on the wire and fixed forever. */
export const HELLO = 0
export const ENTRIES = 1
export const FORK = 2
export const DONE = 3

export type SyncMessage =
  | { v: 1, t: typeof HELLO, spaces: Array<[space: string, vector: VersionVector]> }
  | { v: 1, t: typeof ENTRIES, entries: Uint8Array[] }
  | { v: 1, t: typeof FORK, entries: [Uint8Array, Uint8Array] }
  | { v: 1, t: typeof DONE }

export interface SyncLimits {
  /** spaces named in one hello */
  maxSpaces: number
  /** authors in one space's vector */
  maxAuthors: number
  /** entries in one batch */
  maxBatchEntries: number
  /** encoded bytes of one message */
  maxMessageBytes: number
}

export const DEFAULT_SYNC_LIMITS: SyncLimits = {
  maxSpaces: 10_000,
  maxAuthors: 10_000,
  maxBatchEntries: 512,
  maxMessageBytes: 4 * 1024 * 1024
}

export function writeSyncMessage (message: SyncMessage): Uint8Array {
  return encode(message)
}

/** Decodes and checks a message's shape and bounds; throws SyncProtocolError. */
export function readSyncMessage (bytes: Uint8Array, limits: SyncLimits = DEFAULT_SYNC_LIMITS): SyncMessage {
  if (bytes.byteLength > limits.maxMessageBytes) throw new SyncProtocolError(`message of ${bytes.byteLength} bytes exceeds ${limits.maxMessageBytes}`)
  let m: any
  try {
    m = decode(bytes)
  } catch (err) {
    throw new SyncProtocolError(`undecodable message: ${(err as Error).message}`)
  }
  if (m === null || typeof m !== 'object' || m.v !== 1) throw new SyncProtocolError('unsupported message version')
  switch (m.t) {
    case HELLO:
      if (!Array.isArray(m.spaces) || m.spaces.length > limits.maxSpaces) throw new SyncProtocolError('hello: bad space list')
      for (const pair of m.spaces) checkSpaceVector(pair, limits)
      return m
    case ENTRIES:
      if (!Array.isArray(m.entries) || m.entries.length > limits.maxBatchEntries || !m.entries.every((e: unknown) => e instanceof Uint8Array)) {
        throw new SyncProtocolError('entries: bad batch')
      }
      return m
    case FORK:
      if (!Array.isArray(m.entries) || m.entries.length !== 2 || !m.entries.every((e: unknown) => e instanceof Uint8Array)) {
        throw new SyncProtocolError('fork: a proof is two entries')
      }
      return m
    case DONE:
      return m
    default:
      throw new SyncProtocolError(`unknown message tag ${String(m.t)}`)
  }
}

function checkSpaceVector (pair: unknown, limits: SyncLimits): void {
  if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || pair[0].length > 128) {
    throw new SyncProtocolError('hello: bad space')
  }
  const vector = pair[1]
  if (vector === null || typeof vector !== 'object' || Array.isArray(vector)) throw new SyncProtocolError('hello: bad vector')
  const authors = Object.entries(vector as Record<string, any>)
  if (authors.length > limits.maxAuthors) throw new SyncProtocolError('hello: too many authors')
  for (const [author, v] of authors) {
    if (author.length > 128 || v === null || typeof v !== 'object' ||
      !Number.isSafeInteger(v.seq) || v.seq < 0 || typeof v.head !== 'string' || v.head.length > 128 ||
      (v.frozenAt !== undefined && (!Number.isSafeInteger(v.frozenAt) || v.frozenAt < 0))) {
      throw new SyncProtocolError('hello: bad vector entry')
    }
  }
}
