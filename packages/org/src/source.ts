/**
 * What authorizers ask of the node's organization state beyond an entry's refs: revocations and
 * removals (never named in the revoked author's own refs) and each author's recent market
 * entries. `OrgRegistry` implements it; tests may pass a stub.
 */
export interface OrgSource {
  /** the last seq of `author` in `space` that counts under `org`, if they were cut off */
  cutoff (org: string, author: string, space: string): number | undefined
  /** how many entries of `type` `author` wrote in `space` stamped after `sinceMs` (their own chain, so the same on every node) */
  recent (space: string, author: string, type: string, sinceMs: number): number
}

/** An OrgSource, or a getter for one created after the log that needs it (see README). */
export type OrgSourceInit = OrgSource | (() => OrgSource | undefined)

export function resolveSource (init: OrgSourceInit | undefined): OrgSource | undefined {
  return typeof init === 'function' ? init() : init
}
