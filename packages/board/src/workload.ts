import type { TaskClaim } from './claims.js'
import type { Task } from './task.js'

/**
 * Open claimed estimate per person (DESIGN §5): the sum of the estimates of the tasks each
 * person holds (wins the claim of) that are not in the done state. Every holder of an open task
 * appears, even with a total of zero; claims on deleted tasks count for nothing.
 */
export function workload (tasks: Iterable<Task>, claims: Map<string, TaskClaim>, done: string): Map<string, number> {
  const out = new Map<string, number>()
  for (const task of tasks) {
    const holder = claims.get(task.id)?.holder
    if (holder === undefined || task.status === done) continue
    out.set(holder, (out.get(holder) ?? 0) + task.estimate)
  }
  return new Map([...out].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
}
