import * as Y from 'yjs'
import { cidString, compareStamps, type SignedEntry, type Stamp } from '@mutual/protocol'
import { BOARD_UPDATE, TASK_ASSIGN, TASK_CLAIM, TASK_RELEASE } from './records.js'
import { ROOTS } from './board.js'
import { checkUpdate } from './update-check.js'

/** One signed entry's effect on a task. */
export interface HistoryEvent {
  /** the entry id (CID string) */
  entry: string
  author: string
  ts: Stamp
  type: string
  /**
   * What changed: `created`, `deleted`, `replaced`, a field name (`title`, `status`, `rank`,
   * `estimate`, `labels`, `due`, `description`…), `comment added`, `comment removed`,
   * `dependency added`, `dependency removed`, `claimed`, `released`, `assigned`, `unassigned`.
   */
  changes: string[]
  /** set by an assignment: the person assigned, or null when it was cleared */
  assignee?: string | null
  /** set when the status changed */
  status?: { from: string | null, to: string | null }
}

/**
 * Which signed entry changed what in a task, and who signed it. Replays the `board/update`
 * entries given (normally all of a space's) into a scratch document in one deterministic order,
 * by stamp then id, and reads each transaction's changes to the task; claims and releases of the
 * task appear as they are. The stamp order follows causality for honest writers (a node's clock
 * is past every entry it holds); an update that arrives before what it builds on is held by Yjs
 * and its effect is credited to the entry that completes it.
 */
export function taskHistory (entries: Iterable<SignedEntry>, taskId: string): HistoryEvent[] {
  return boardHistory(entries, (id) => id === taskId).get(taskId) ?? []
}

/**
 * The history of every task (or of those `wanted` selects) in one replay, as `taskHistory`
 * gives it for one: for a board's export, where replaying once per task would be quadratic.
 */
export function boardHistory (entries: Iterable<SignedEntry>, wanted: (task: string) => boolean = () => true): Map<string, HistoryEvent[]> {
  const relevant: SignedEntry[] = []
  for (const e of entries) {
    const { type, body } = e.entry
    const task = (body as { task?: unknown } | null)?.task
    if (type === BOARD_UPDATE) relevant.push(e)
    else if ((type === TASK_CLAIM || type === TASK_RELEASE || type === TASK_ASSIGN) && typeof task === 'string' && wanted(task)) relevant.push(e)
  }
  const ids = new Map(relevant.map((e) => [e, cidString(e.id)]))
  relevant.sort((a, b) => compareStamps(a.entry.ts, b.entry.ts) || compare(ids.get(a) as string, ids.get(b) as string))

  const doc = new Y.Doc()
  const tasks = doc.getMap<unknown>(ROOTS.tasks)
  let found = new Map<string, { changes: Set<string>, status?: HistoryEvent['status'] }>()
  const of = (task: string): { changes: Set<string>, status?: HistoryEvent['status'] } => {
    let f = found.get(task)
    if (f === undefined) found.set(task, f = { changes: new Set() })
    return f
  }
  tasks.observeDeep((events) => {
    for (const event of events) {
      for (const [task, change] of changesOf(event, tasks)) {
        if (!wanted(task)) continue
        const f = of(task)
        for (const c of change.changes) f.changes.add(c)
        if (change.status !== undefined) f.status = { from: f.status?.from ?? change.status.from, to: change.status.to }
      }
    }
  })

  const out = new Map<string, HistoryEvent[]>()
  const push = (task: string, event: HistoryEvent): void => {
    const list = out.get(task)
    if (list === undefined) out.set(task, [event])
    else list.push(event)
  }
  for (const e of relevant) {
    const base = { entry: ids.get(e) as string, author: e.entry.author, ts: e.entry.ts, type: e.entry.type }
    if (e.entry.type === TASK_ASSIGN) {
      const assignee = (e.entry.body as { assignee?: unknown }).assignee
      push((e.entry.body as { task: string }).task, { ...base, changes: [typeof assignee === 'string' ? 'assigned' : 'unassigned'], assignee: typeof assignee === 'string' ? assignee : null })
      continue
    }
    if (e.entry.type !== BOARD_UPDATE) {
      push((e.entry.body as { task: string }).task, { ...base, changes: [e.entry.type === TASK_CLAIM ? 'claimed' : 'released'] })
      continue
    }
    found = new Map()
    const update = (e.entry.body as { update?: unknown } | null)?.update
    try {
      checkUpdate(update as Uint8Array)
      Y.applyUpdate(doc, update as Uint8Array)
    } catch (err) {
      // Validation refuses such entries; one stored by an older version changes nothing here either.
      if ((err as Error).name !== 'InvalidUpdateError') throw err
      continue
    }
    for (const [task, f] of found) {
      if (f.changes.size === 0) continue
      const event: HistoryEvent = { ...base, changes: [...f.changes] }
      if (f.status !== undefined) event.status = f.status
      push(task, event)
    }
  }
  doc.destroy()
  return out
}

/** The tasks a Yjs event changes, and what in each. */
function changesOf (event: Y.YEvent<any>, tasks: Y.Map<unknown>): Map<string, Pick<HistoryEvent, 'changes' | 'status'>> {
  const out = new Map<string, Pick<HistoryEvent, 'changes' | 'status'>>()
  if (event.target === tasks) {
    for (const [task, change] of event.changes.keys) {
      out.set(task, { changes: [change.action === 'add' ? 'created' : change.action === 'delete' ? 'deleted' : 'replaced'] })
    }
    return out
  }
  const path = event.path
  const task = path[0]
  if (typeof task !== 'string') return out
  const changes: string[] = []
  let status: HistoryEvent['status']
  if (path.length === 1) {
    for (const [key, change] of event.changes.keys) {
      // Who entered the state, and when, goes with every status change: the status says it.
      if (key === 'entered') continue
      changes.push(key)
      if (key === 'status') {
        const to = (event.target as Y.Map<unknown>).get('status')
        status = { from: typeof change.oldValue === 'string' ? change.oldValue : null, to: typeof to === 'string' ? to : null }
      }
    }
    out.set(task, status === undefined ? { changes } : { changes, status })
    return out
  }
  const field = String(path[1])
  if (path.length === 2 && (field === 'comments' || field === 'dependencies')) {
    const noun = field === 'comments' ? 'comment' : 'dependency'
    if (event.changes.added.size > 0) changes.push(`${noun} added`)
    if (event.changes.deleted.size > 0) changes.push(`${noun} removed`)
  } else {
    changes.push(field)
  }
  out.set(task, { changes })
  return out
}

function compare (a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
