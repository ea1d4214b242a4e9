import { cidString, compareStamps, type SignedEntry, type Stamp } from '@mutual/protocol'
import { claimState, type ClaimRecord, type TaskClaim } from './claims.js'
import { TASK_ASSIGN } from './records.js'

/** What assignment resolution needs of a `task/assign` entry. */
export interface AssignRecord {
  type: typeof TASK_ASSIGN
  task: string
  /** the person assigned, or null: the assignment was cleared */
  assignee: string | null
  author: string
  ts: Stamp
  /** the entry id (CID string) */
  id: string
}

export interface TaskAssignment {
  /** the person assigned */
  assignee: string
  /** who signed the assignment in force */
  assignedBy: string
  /** its entry id */
  entry: string
  ts: Stamp
  /** the assignee holds the task: their claim confirms the assignment */
  confirmed: boolean
}

/** The assignment record of an entry, or undefined if it is not a well-formed `task/assign`. */
export function assignRecord (entry: SignedEntry): AssignRecord | undefined {
  const { type, body, author, ts } = entry.entry
  if (type !== TASK_ASSIGN) return undefined
  const { task, assignee } = (body ?? {}) as { task?: unknown, assignee?: unknown }
  if (typeof task !== 'string' || (assignee !== null && typeof assignee !== 'string')) return undefined
  return { type, task, assignee, author, ts, id: cidString(entry.id) }
}

/**
 * Who each task is assigned to, a pure function of a board's `task/assign` entries (and its
 * claims, for `confirmed`) whatever order they come in: per task, the assignment with the latest
 * stamp, then the highest entry id, is in force; one that clears the assignee leaves the task out
 * of the result. The log admits assignments only from those who administer the board, so every
 * one given here counts. `claims` is the board's claim state; without it, it is computed from the
 * claim and release entries among `entries`.
 */
export function assignmentState (entries: Iterable<SignedEntry | AssignRecord | ClaimRecord>, claims?: Map<string, TaskClaim>): Map<string, TaskAssignment> {
  const latest = new Map<string, AssignRecord>()
  const claimEntries: Array<SignedEntry | ClaimRecord> = []
  for (const e of entries) {
    const record = 'entry' in e ? assignRecord(e) : e.type === TASK_ASSIGN ? e : undefined
    if (record === undefined) {
      if (claims === undefined) claimEntries.push(e as SignedEntry | ClaimRecord)
      continue
    }
    const held = latest.get(record.task)
    if (held === undefined || compareStamps(record.ts, held.ts) > 0 || (compareStamps(record.ts, held.ts) === 0 && record.id > held.id)) latest.set(record.task, record)
  }
  const holders = claims ?? claimState(claimEntries)
  const out = new Map<string, TaskAssignment>()
  for (const task of [...latest.keys()].sort()) {
    const r = latest.get(task) as AssignRecord
    if (r.assignee === null) continue
    out.set(task, { assignee: r.assignee, assignedBy: r.author, entry: r.id, ts: r.ts, confirmed: holders.get(task)?.holder === r.assignee })
  }
  return out
}
