import type { Task } from './task.js'
import type { Workflow } from './workflow.js'

/**
 * The tasks past their state's work-in-progress limit. Moves over a limit are refused, but moves
 * made apart (on disconnected nodes) can together exceed it once merged; this settles them by one
 * rule that every node computes alike from the merged document: a state's tasks in the order they
 * entered it (`entered.at`, then task id), the first `wip` within the limit, the rest over it.
 */
export function overLimit (tasks: Iterable<Pick<Task, 'id' | 'status' | 'entered'>>, workflow: Pick<Workflow, 'states'>): Set<string> {
  const limits = new Map(workflow.states.filter((s) => s.wip !== undefined).map((s) => [s.id, s.wip as number]))
  const byState = new Map<string, Array<Pick<Task, 'id' | 'entered'>>>()
  for (const t of tasks) {
    if (!limits.has(t.status)) continue
    const list = byState.get(t.status)
    if (list === undefined) byState.set(t.status, [t])
    else list.push(t)
  }
  const out = new Set<string>()
  for (const [state, list] of byState) {
    list.sort((a, b) => compare(a.entered.at, b.entered.at) || compare(a.id, b.id))
    for (const t of list.slice(limits.get(state))) out.add(t.id)
  }
  return out
}

function compare (a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
