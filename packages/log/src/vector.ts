/** What a node holds of one author's log in one space: the last seq and its entry id. */
export interface VectorEntry {
  seq: number
  head: string
  /** set once the author equivocated: the log ends at this seq everywhere */
  frozenAt?: number
}

/** author id → what this node holds of their log in one space */
export type VersionVector = Record<string, VectorEntry>

/** A run of one author's entries, inclusive at both ends, that a peer lacks. */
export interface MissingRange {
  author: string
  from: number
  to: number
}

/** True when both vectors name the same authors at the same seq and head. */
export function vectorsEqual (a: VersionVector, b: VersionVector): boolean {
  const keys = Object.keys(a)
  if (keys.length !== Object.keys(b).length) return false
  return keys.every((k) => b[k] !== undefined && a[k].seq === b[k].seq && a[k].head === b[k].head && a[k].frozenAt === b[k].frozenAt)
}

/** Total number of entries a vector counts. */
export function vectorSize (vector: VersionVector): number {
  let n = 0
  for (const v of Object.values(vector)) n += v.seq
  return n
}
