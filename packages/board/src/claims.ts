import { cidString, compareStamps, type SignedEntry, type Stamp } from '@mutual/protocol'
import { TASK_CLAIM, TASK_RELEASE } from './records.js'

/**
 * The kind of claim record a hand-over is: a market acceptance, signed by someone who may
 * administer the board, naming the task and its new holder. It is not a board entry (it lives in
 * the market); the node that checked it passes it in with the board's own claims.
 */
export const HANDOVER = 'handover'

/** What claim resolution needs of a `task/claim` or `task/release` entry, or of a hand-over. */
export interface ClaimRecord {
  type: typeof TASK_CLAIM | typeof TASK_RELEASE | typeof HANDOVER
  task: string
  author: string
  seq: number
  ts: Stamp
  /** the entry id (CID string) */
  id: string
}

/** A hand-over as a claim record: `author` is the applicant, `ts` and `id` the acceptance's; seq 0 (it is in no board log). */
export function handoverRecord (task: string, applicant: string, ts: Stamp, acceptance: string): ClaimRecord {
  return { type: HANDOVER, task, author: applicant, seq: 0, ts, id: acceptance }
}

export interface Claimant {
  author: string
  /** stamp of the claim that opened the author's current claim */
  ts: Stamp
  /** id of that claim entry */
  entry: string
}

export interface TaskClaim {
  /** the winning claimant */
  holder: string
  /** every active claimant, winner first */
  claimants: Claimant[]
  /** more than one active claim and no hand-over: shown as such until the others release */
  contested: boolean
  /** the acceptance that handed the task to the holder, when a hand-over decides it */
  handover?: string
}

/** The claim record of an entry, or undefined if it is not a well-formed claim or release. */
export function claimRecord (entry: SignedEntry): ClaimRecord | undefined {
  const { type, body, author, seq, ts } = entry.entry
  if (type !== TASK_CLAIM && type !== TASK_RELEASE) return undefined
  const task = (body as { task?: unknown } | null)?.task
  if (typeof task !== 'string') return undefined
  return { type, task, author, seq, ts, id: cidString(entry.id) }
}

/**
 * Who holds each task, a pure function of the claim and release entries whatever order they are
 * given in (DESIGN §5: one deterministic rule every node computes alike). Per task and author,
 * the author's last claim or release by seq decides whether they hold an active claim; claiming
 * again without releasing keeps their first claim's place. The winner is the active claim with
 * the earliest stamp, then the lowest entry id. Tasks nobody holds are absent from the result.
 *
 * A hand-over outranks every claim, earlier or later: the latest hand-over of a task (by stamp,
 * then id) makes its applicant the holder from its stamp on, until the applicant releases the
 * task with a release stamped after it (a claim of theirs after that is an ordinary claim); the
 * other active claimants stay listed behind them, and the task is not contested (a board admin
 * decided it).
 */
export function claimState (entries: Iterable<SignedEntry | ClaimRecord>): Map<string, TaskClaim> {
  const byTask = new Map<string, Map<string, ClaimRecord[]>>()
  const handovers = new Map<string, ClaimRecord>()
  for (const e of entries) {
    const record = 'entry' in e ? claimRecord(e) : e
    if (record === undefined) continue
    if (record.type === HANDOVER) {
      const known = handovers.get(record.task)
      if (known === undefined || (compareStamps(record.ts, known.ts) || compareIds(record.id, known.id)) > 0) handovers.set(record.task, record)
      continue
    }
    let authors = byTask.get(record.task)
    if (authors === undefined) byTask.set(record.task, authors = new Map())
    const list = authors.get(record.author)
    if (list === undefined) authors.set(record.author, [record])
    else list.push(record)
  }
  const out = new Map<string, TaskClaim>()
  for (const task of [...new Set([...byTask.keys(), ...handovers.keys()])].sort()) {
    const claimants: Claimant[] = []
    const handover = handovers.get(task)
    let handedOver = handover !== undefined
    for (const [author, records] of byTask.get(task) ?? []) {
      // An equivocating author can have two entries at one seq; the id breaks the tie alike everywhere.
      records.sort((a, b) => a.seq - b.seq || compareIds(a.id, b.id))
      let open: ClaimRecord | undefined
      for (const r of records) open = r.type === TASK_RELEASE ? undefined : open ?? r
      if (handover !== undefined && author === handover.author) {
        // A release stamped after the hand-over lets it go for good; claiming again is an ordinary claim.
        if (records.some((r) => r.type === TASK_RELEASE && compareStamps(r.ts, handover.ts) > 0)) handedOver = false
        if (handedOver) continue
      }
      if (open !== undefined) claimants.push({ author, ts: open.ts, entry: open.id })
    }
    claimants.sort((a, b) => compareStamps(a.ts, b.ts) || compareIds(a.entry, b.entry))
    if (handover !== undefined && handedOver) {
      claimants.unshift({ author: handover.author, ts: handover.ts, entry: handover.id })
      out.set(task, { holder: handover.author, claimants, contested: false, handover: handover.id })
      continue
    }
    if (claimants.length === 0) continue
    out.set(task, { holder: claimants[0].author, claimants, contested: claimants.length > 1 })
  }
  return out
}

function compareIds (a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
