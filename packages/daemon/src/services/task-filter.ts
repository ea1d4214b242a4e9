import type { Task, TaskQuery } from '../contract/index.js'

/**
 * The test a task list's filters make, all of them together. "Mine" is a task this node's
 * identity holds (wins the claim of) or is assigned. `open` also drops tasks in the done state.
 */
export function taskFilter (query: TaskQuery, me: string, done: string, options: { open: boolean }): (task: Task) => boolean {
  const text = query.text?.toLowerCase()
  return (t) => {
    if (options.open && t.status === done) return false
    if (query.status !== undefined && query.status !== '' && t.status !== query.status) return false
    if (query.ready === 'true' && !t.ready) return false
    if (query.mine === 'true' && t.holder !== me && t.assignee !== me) return false
    if (query.assignee !== undefined && t.holder !== query.assignee && t.assignee !== query.assignee) return false
    if (query.label !== undefined && !t.labels.includes(query.label)) return false
    if (text !== undefined && !t.title.toLowerCase().includes(text) && !t.description.toLowerCase().includes(text)) return false
    if (query.dueBefore !== undefined && (t.due === null || t.due.slice(0, 10) >= query.dueBefore)) return false
    return true
  }
}
