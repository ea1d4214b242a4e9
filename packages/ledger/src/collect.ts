import { cidString, compareStamps, type SignedEntry, type Stamp } from '@mutual/protocol'
import type { Point } from '@mutual/protocol'
import { pointOf } from './participants.js'
import {
  CONTRIB_ALLOCATE, CONTRIB_ATTEST, CONTRIB_ENDORSE, CONTRIB_FEEDBACK, CONTRIB_RECORD, DISPUTE_OPEN, DISPUTE_RESOLVE,
  parseLedgerBody, taskKey,
  type ContribAllocateBody, type ContribAttestBody, type ContribEndorseBody, type ContribFeedbackBody, type ContribRecordBody,
  type DisputeOpenBody, type DisputeResolveBody
} from './records.js'

/** A ledger entry with its parsed body and the fields the rules read. */
export interface Item<B> {
  id: string
  type: string
  author: string
  seq: number
  ts: Stamp
  at: Point
  body: B
}

/** The entries in scope for one period, each list sorted by id. */
export interface Scope {
  records: Map<string, Item<ContribRecordBody>>
  attests: Array<Item<ContribAttestBody>>
  endorses: Array<Item<ContribEndorseBody>>
  feedback: Array<Item<ContribFeedbackBody>>
  allocations: Array<Item<ContribAllocateBody>>
  opens: Array<Item<DisputeOpenBody>>
  resolves: Array<Item<DisputeResolveBody>>
  /** every id above, sorted */
  inputs: string[]
}

export const byId = (a: { id: string }, b: { id: string }): number => a.id < b.id ? -1 : a.id > b.id ? 1 : 0

/** Earliest first: by stamp, then by id. */
export const byTime = (a: Item<unknown>, b: Item<unknown>): number => compareStamps(a.ts, b.ts) || byId(a, b)

/**
 * Picks the entries in scope for `period`: contributions recorded for it; attestations,
 * endorsements and disputes of those contributions; resolutions of those disputes; consumer
 * feedback on their tasks; allocations for the period. Entries of other types, with bodies that
 * do not parse, or given twice are dropped here, so the result does not depend on what else the
 * caller passed or in which order.
 */
export function collect (entries: Iterable<SignedEntry>, period: string): Scope {
  const seen = new Map<string, Item<unknown>>()
  for (const entry of entries) {
    const id = cidString(entry.id)
    if (seen.has(id)) continue
    const body = parseLedgerBody(entry.entry.type, entry.entry.body)
    if (body === undefined) continue
    seen.set(id, { id, type: entry.entry.type, author: entry.entry.author, seq: entry.entry.seq, ts: entry.entry.ts, at: pointOf(entry), body })
  }
  const all = [...seen.values()].sort(byId)
  const ofType = <B>(type: string): Array<Item<B>> => all.filter((item) => item.type === type) as Array<Item<B>>

  const records = new Map<string, Item<ContribRecordBody>>()
  for (const r of ofType<ContribRecordBody>(CONTRIB_RECORD)) if (r.body.period === period) records.set(r.id, r)
  const tasks = new Set<string>()
  for (const r of records.values()) if (r.body.task !== undefined) tasks.add(taskKey(r.body.task, r.body.board))

  const attests = ofType<ContribAttestBody>(CONTRIB_ATTEST).filter((a) => records.has(cidString(a.body.contribution)))
  const endorses = ofType<ContribEndorseBody>(CONTRIB_ENDORSE).filter((e) => records.has(cidString(e.body.contribution)))
  const feedback = ofType<ContribFeedbackBody>(CONTRIB_FEEDBACK).filter((f) => tasks.has(taskKey(f.body.task, f.body.board)))
  const allocations = ofType<ContribAllocateBody>(CONTRIB_ALLOCATE).filter((a) => a.body.period === period)
  const opens = ofType<DisputeOpenBody>(DISPUTE_OPEN).filter((d) => records.has(cidString(d.body.target)))
  const openIds = new Set(opens.map((d) => d.id))
  const resolves = ofType<DisputeResolveBody>(DISPUTE_RESOLVE).filter((r) => openIds.has(cidString(r.body.dispute)))

  const inputs = [
    ...records.keys(), ...attests, ...endorses, ...feedback, ...allocations, ...opens, ...resolves
  ].map((x) => typeof x === 'string' ? x : x.id).sort()
  return { records, attests, endorses, feedback, allocations, opens, resolves, inputs }
}
