import type { BoardDetail, Task } from '@mutual/client'

export interface Filters {
  text: string
  label: string
  mine: boolean
  ready: boolean
}

export const NO_FILTERS: Filters = { text: '', label: '', mine: false, ready: false }

/** Task ids per workflow state, in column order, with the filters applied. */
export function columnsOf (board: BoardDetail, filters: Filters, me: string | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const s of board.workflow.states) out[s.id] = []
  const text = filters.text.trim().toLowerCase()
  for (const t of board.tasks) {
    if (filters.mine && (me === undefined || t.holder !== me)) continue
    if (filters.ready && !t.ready) continue
    if (filters.label !== '' && !t.labels.includes(filters.label)) continue
    if (text !== '' && !t.title.toLowerCase().includes(text) && !t.labels.some((l) => l.toLowerCase().includes(text))) continue
    ;(out[t.status] ??= []).push(t.id)
  }
  return out
}

/** Tasks per state on the whole board (WIP counts every task, not the filtered ones). */
export function countsOf (board: BoardDetail): Record<string, number> {
  const out: Record<string, number> = {}
  for (const t of board.tasks) out[t.status] = (out[t.status] ?? 0) + 1
  return out
}

/** A task waits on a dependency that is not done. */
export function isBlocked (task: Task, byId: Map<string, Task>, done: string): boolean {
  return task.dependencies.some((d) => byId.get(d)?.status !== done)
}

export interface Placement {
  status: string
  before?: string
  after?: string
}

/** Where a task lands, told the API's way: its state and a neighbour in the new column order. */
export function placementIn (status: string, order: string[], id: string): Placement {
  const i = order.indexOf(id)
  if (i > 0) return { status, after: order[i - 1] }
  if (i >= 0 && i + 1 < order.length) return { status, before: order[i + 1] }
  return { status }
}

/** The columns after moving `id` to `status` at `index` (an index in the target column without the task). */
export function moved (columns: Record<string, string[]>, id: string, status: string, index: number): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const [s, ids] of Object.entries(columns)) out[s] = ids.filter((x) => x !== id)
  const target = out[status] ?? []
  target.splice(Math.max(0, Math.min(index, target.length)), 0, id)
  out[status] = target
  return out
}

export function statusOf (columns: Record<string, string[]>, id: string): string | undefined {
  for (const [s, ids] of Object.entries(columns)) if (ids.includes(id)) return s
  return undefined
}
