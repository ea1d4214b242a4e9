import * as Y from 'yjs'
import { cidString, compareStamps, type SignedEntry, type Stamp } from '@mutual/protocol'
import { BOARD_UPDATE, TASK_CLAIM, TASK_RELEASE } from './records.js'
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
   * `dependency added`, `dependency removed`, `claimed`, `released`.
   */
  changes: string[]
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
  const relevant: SignedEntry[] = []
  for (const e of entries) {
    const { type, body } = e.entry
    if (type === BOARD_UPDATE) relevant.push(e)
    else if ((type === TASK_CLAIM || type === TASK_RELEASE) && (body as { task?: unknown } | null)?.task === taskId) relevant.push(e)
  }
  const ids = new Map(relevant.map((e) => [e, cidString(e.id)]))
  relevant.sort((a, b) => compareStamps(a.entry.ts, b.entry.ts) || compare(ids.get(a) as string, ids.get(b) as string))

  const doc = new Y.Doc()
  const tasks = doc.getMap<unknown>(ROOTS.tasks)
  let changes = new Set<string>()
  let status: HistoryEvent['status']
  tasks.observeDeep((events) => {
    for (const event of events) {
      const found = changesOf(event, tasks, taskId)
      for (const c of found.changes) changes.add(c)
      if (found.status !== undefined) status = { from: status?.from ?? found.status.from, to: found.status.to }
    }
  })

  const out: HistoryEvent[] = []
  for (const e of relevant) {
    const base = { entry: ids.get(e) as string, author: e.entry.author, ts: e.entry.ts, type: e.entry.type }
    if (e.entry.type !== BOARD_UPDATE) {
      out.push({ ...base, changes: [e.entry.type === TASK_CLAIM ? 'claimed' : 'released'] })
      continue
    }
    changes = new Set()
    status = undefined
    const update = (e.entry.body as { update?: unknown } | null)?.update
    try {
      checkUpdate(update as Uint8Array)
      Y.applyUpdate(doc, update as Uint8Array)
    } catch (err) {
      // Validation refuses such entries; one stored by an older version changes nothing here either.
      if ((err as Error).name !== 'InvalidUpdateError') throw err
      continue
    }
    if (changes.size > 0) {
      const event: HistoryEvent = { ...base, changes: [...changes] }
      if (status !== undefined) event.status = status
      out.push(event)
    }
  }
  doc.destroy()
  return out
}

function changesOf (event: Y.YEvent<any>, tasks: Y.Map<unknown>, taskId: string): Pick<HistoryEvent, 'changes' | 'status'> {
  const changes: string[] = []
  let status: HistoryEvent['status']
  if (event.target === tasks) {
    const change = event.changes.keys.get(taskId)
    if (change !== undefined) changes.push(change.action === 'add' ? 'created' : change.action === 'delete' ? 'deleted' : 'replaced')
    return { changes }
  }
  const path = event.path
  if (path[0] !== taskId) return { changes }
  if (path.length === 1) {
    for (const [key, change] of event.changes.keys) {
      changes.push(key)
      if (key === 'status') {
        const to = (event.target as Y.Map<unknown>).get('status')
        status = { from: typeof change.oldValue === 'string' ? change.oldValue : null, to: typeof to === 'string' ? to : null }
      }
    }
    return { changes, status }
  }
  const field = String(path[1])
  if (path.length === 2 && (field === 'comments' || field === 'dependencies')) {
    const noun = field === 'comments' ? 'comment' : 'dependency'
    if (event.changes.added.size > 0) changes.push(`${noun} added`)
    if (event.changes.deleted.size > 0) changes.push(`${noun} removed`)
  } else {
    changes.push(field)
  }
  return { changes }
}

function compare (a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
