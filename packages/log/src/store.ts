import type { Stamp } from '@mutual/protocol'

/** The newest entry of one author in one space. `frozenAt` is set once the author equivocated or their log was frozen (`Log.freeze`). */
export interface HeadRecord {
  space: string
  author: string
  seq: number
  head: string
  ts: Stamp
  /** the last seq before a fork; entries after it are not part of the log */
  frozenAt?: number
}

/** Two valid entries with the same (space, author, seq): the proof of an equivocation. */
export interface ForkRecord {
  space: string
  author: string
  seq: number
  entries: [Uint8Array, Uint8Array]
}

export interface StoredEntry {
  space: string
  author: string
  seq: number
  id: string
  bytes: Uint8Array
}

export interface EntryLocation {
  space: string
  author: string
  seq: number
}

/** One atomic write: everything in it is stored, or nothing is. */
export interface StoreBatch {
  entries: StoredEntry[]
  heads: HeadRecord[]
  forks: ForkRecord[]
  /** application state (snapshots, indexes); a null value deletes the key */
  meta: Array<{ key: string, value: Uint8Array | null }>
}

/**
 * Where a log keeps its entries. Two implementations (level and memory) pass one compliance
 * suite (`test/store-compliance.ts`). `commit` resolves only once the batch is durable.
 */
export interface EntryStore {
  open (): Promise<void>
  close (): Promise<void>
  /** The log never commits a (space, author, seq) twice: the second entry of a fork goes in `forks`. */
  commit (batch: StoreBatch): Promise<void>
  entry (space: string, author: string, seq: number): Promise<Uint8Array | undefined>
  locate (id: string): Promise<EntryLocation | undefined>
  /** entries of one author in one space with `from <= seq <= to`, in seq order, stopping at the first gap */
  range (space: string, author: string, from: number, to: number): AsyncIterable<Uint8Array>
  heads (): AsyncIterable<HeadRecord>
  forks (): AsyncIterable<ForkRecord>
  getMeta (key: string): Promise<Uint8Array | undefined>
  /** meta entries whose key starts with `prefix`, in key order */
  metaPrefix (prefix: string): AsyncIterable<[string, Uint8Array]>
}

export function emptyBatch (): StoreBatch {
  return { entries: [], heads: [], forks: [], meta: [] }
}
