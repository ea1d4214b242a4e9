import { cidString, compareStamps, type SignedEntry, type Stamp } from '@mutual/protocol'
import { TASK_CLAIM, TASK_RELEASE } from './records.js'

/** What claim resolution needs of a `task/claim` or `task/release` entry. */
export interface ClaimRecord {
  type: typeof TASK_CLAIM | typeof TASK_RELEASE
  task: string
  author: string
  seq: number
  ts: Stamp
  /** the entry id (CID string) */
  id: string
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
  /** more than one active claim: shown as such until the others release */
  contested: boolean
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
 */
export function claimState (entries: Iterable<SignedEntry | ClaimRecord>): Map<string, TaskClaim> {
  const byTask = new Map<string, Map<string, ClaimRecord[]>>()
  for (const e of entries) {
    const record = 'entry' in e ? claimRecord(e) : e
    if (record === undefined) continue
    let authors = byTask.get(record.task)
    if (authors === undefined) byTask.set(record.task, authors = new Map())
    const list = authors.get(record.author)
    if (list === undefined) authors.set(record.author, [record])
    else list.push(record)
  }
  const out = new Map<string, TaskClaim>()
  for (const task of [...byTask.keys()].sort()) {
    const claimants: Claimant[] = []
    for (const [author, records] of byTask.get(task) as Map<string, ClaimRecord[]>) {
      // An equivocating author can have two entries at one seq; the id breaks the tie alike everywhere.
      records.sort((a, b) => a.seq - b.seq || compareIds(a.id, b.id))
      let open: ClaimRecord | undefined
      for (const r of records) open = r.type === TASK_RELEASE ? undefined : open ?? r
      if (open !== undefined) claimants.push({ author, ts: open.ts, entry: open.id })
    }
    if (claimants.length === 0) continue
    claimants.sort((a, b) => compareStamps(a.ts, b.ts) || compareIds(a.entry, b.entry))
    out.set(task, { holder: claimants[0].author, claimants, contested: claimants.length > 1 })
  }
  return out
}

function compareIds (a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
