import { GENESIS_TYPE, cidString, compareStamps, type CID, type GenesisBody, type SignedEntry, type Stamp } from '@mutual/protocol'

/** The string id of an entry (its CID). */
export function idOf (entry: SignedEntry): string {
  return cidString(entry.id)
}

/** The string form of a CID in a body. */
export function cidText (cid: CID): string {
  return cidString(cid)
}

/**
 * The canonical order of entries: by stamp, then by id. Reducers sort by it, so their result
 * depends on the set of entries, never on the order they arrived in.
 */
export function compareEntries (a: SignedEntry, b: SignedEntry): number {
  const byTs = compareStamps(a.entry.ts, b.entry.ts)
  if (byTs !== 0) return byTs
  const x = idOf(a)
  const y = idOf(b)
  return x < y ? -1 : x > y ? 1 : 0
}

/** Entries sorted canonically, each id once. */
export function canonical<T extends SignedEntry> (entries: Iterable<T>): T[] {
  const byId = new Map<string, T>()
  for (const e of entries) byId.set(idOf(e), e)
  return [...byId.values()].sort(compareEntries)
}

/** True when `entry` is of `type` and, if given, in `space`. */
export function isEntry<B = unknown> (entry: SignedEntry, type: string, space?: string): entry is SignedEntry<B> {
  return entry.entry.type === type && (space === undefined || entry.space === space)
}

/** A space's genesis among refs, if it is one. */
export function genesisIn (refs: SignedEntry[], space: string): SignedEntry<GenesisBody> | undefined {
  return refs.find((r) => r.entry.type === GENESIS_TYPE && r.space === space) as SignedEntry<GenesisBody> | undefined
}

/** Wall-clock milliseconds of a stamp (or a number already in ms). */
export function wallOf (ts: Stamp | number): number {
  return typeof ts === 'number' ? ts : ts[0]
}

/** The seq a heads list names for `space`, if any. */
export function headIn (heads: ReadonlyArray<readonly [string, number]>, space: string): number | undefined {
  for (const [s, seq] of heads) if (s === space) return seq
  return undefined
}
