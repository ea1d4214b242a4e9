import { decode, encode, isStamp } from '@mutual/protocol'
import type { VersionVector } from '@mutual/log'
import type { ClaimRecord } from './claims.js'
import type { AssignRecord } from './assignments.js'

/** Versioned meta key: a future layout gets a new prefix, never a silent reinterpretation. */
export function snapshotKey (space: string): string {
  return `board1/${space}/snapshot`
}

/**
 * A compacted board: the document as one update, the entries it holds (per author, the last seq
 * taken in and its id), and what was read from other entries so start-up needs none of them
 * again: claims and releases, and the creator's grants (writer → grant entry id).
 */
export interface BoardSnapshot {
  update: Uint8Array
  vector: VersionVector
  claims: ClaimRecord[]
  /** task assignments (absent from snapshots written before assignments existed) */
  assigns: AssignRecord[]
  grants: Record<string, string>
}

export function encodeSnapshot (snapshot: BoardSnapshot): Uint8Array {
  const vector: VersionVector = {}
  for (const [author, v] of Object.entries(snapshot.vector)) {
    vector[author] = v.frozenAt === undefined ? { seq: v.seq, head: v.head } : { seq: v.seq, head: v.head, frozenAt: v.frozenAt }
  }
  return encode({ v: 1, update: snapshot.update, vector, claims: snapshot.claims, assigns: snapshot.assigns, grants: snapshot.grants })
}

/** Decodes a stored snapshot; undefined if it is not one this version wrote (it is then rebuilt from the log). */
export function decodeSnapshot (bytes: Uint8Array): BoardSnapshot | undefined {
  let value: Record<string, unknown>
  try {
    value = decode<Record<string, unknown>>(bytes)
  } catch (err) {
    if ((err as Error).name === 'EntryDecodeError') return undefined
    throw err
  }
  if (value === null || typeof value !== 'object' || value.v !== 1 || !(value.update instanceof Uint8Array)) return undefined
  const { vector, claims, grants } = value as { vector: unknown, claims: unknown, grants: unknown }
  const assigns = (value.assigns ?? []) as AssignRecord[]
  if (!Array.isArray(assigns)) return undefined
  for (const a of assigns) {
    if (typeof a?.task !== 'string' || typeof a.author !== 'string' || (a.assignee !== null && typeof a.assignee !== 'string') || !isStamp(a.ts) || typeof a.id !== 'string') return undefined
  }
  if (vector === null || typeof vector !== 'object' || !Array.isArray(claims) || grants === null || typeof grants !== 'object') return undefined
  for (const v of Object.values(vector)) {
    if (!Number.isSafeInteger(v?.seq) || typeof v?.head !== 'string') return undefined
  }
  for (const c of claims as ClaimRecord[]) {
    if (typeof c?.task !== 'string' || typeof c.author !== 'string' || !Number.isSafeInteger(c.seq) || !isStamp(c.ts) || typeof c.id !== 'string') return undefined
  }
  return { update: value.update, vector: vector as VersionVector, claims: claims as ClaimRecord[], assigns, grants: grants as Record<string, string> }
}
