import { overLimit, type BoardReplica, type Claimant as BoardClaimant, type HistoryEvent as BoardHistoryEvent, type Task as BoardTask, type TaskAssignment, type TaskClaim } from '@mutual/board'
import type { Claim, Claimant, HistoryEvent, Task } from '../contract/index.js'

/** The board package's values as the API shows them (the contract's Task, Claim, HistoryEvent). */

export function claimantJson (c: BoardClaimant): Claimant {
  return { author: c.author, ts: [c.ts[0], c.ts[1]], at: new Date(c.ts[0]).toISOString(), entry: c.entry }
}

export function claimJson (task: string, claim: TaskClaim | undefined): Claim {
  return {
    task,
    holder: claim?.holder ?? null,
    contested: claim?.contested ?? false,
    claimants: (claim?.claimants ?? []).map(claimantJson)
  }
}

/** What a task's JSON reads from the rest of its board, computed once per board. */
export interface TaskContext {
  claims: Map<string, TaskClaim>
  assignments: Map<string, TaskAssignment>
  ready: Set<string>
  blocked: Set<string>
  overLimit: Set<string>
}

export function taskContext (replica: BoardReplica): TaskContext {
  const board = replica.board
  return {
    claims: replica.claims(),
    assignments: replica.assignments(),
    ready: new Set(board.ready().map((t) => t.id)),
    blocked: new Set(board.blocked().map((t) => t.id)),
    overLimit: overLimit(board.tasks(), board.workflow())
  }
}

/**
 * The context of one task's JSON, read from its dependencies and its state's column only (what
 * `taskContext` says of it, without walking the whole board on every task write).
 */
export function taskContextOf (replica: BoardReplica, task: BoardTask): TaskContext {
  const board = replica.board
  const workflow = board.workflow()
  const limited = workflow.states.some((s) => s.id === task.status && s.wip !== undefined)
  return {
    claims: replica.claims(),
    assignments: replica.assignments(),
    ready: new Set(board.isReady(task) ? [task.id] : []),
    blocked: new Set(board.isBlocked(task) ? [task.id] : []),
    overLimit: limited ? overLimit(board.inState(task.status), workflow) : new Set()
  }
}

/** Every task of a board, in workflow then column order, with who holds it and whether it is ready. */
export function tasksJson (replica: BoardReplica): Task[] {
  const ctx = taskContext(replica)
  return replica.board.tasks().map((t) => taskJson(t, ctx))
}

/** A task as the API shows it. Its assignee is the person assigned, or else its holder by claim. */
export function taskJson (task: BoardTask, ctx: TaskContext): Task {
  const claim = ctx.claims.get(task.id)
  const assignment = ctx.assignments.get(task.id)
  const holder = claim?.holder ?? null
  return {
    ...task,
    labels: [...task.labels],
    dependencies: [...task.dependencies],
    comments: task.comments.map((c) => ({ ...c })),
    entered: { ...task.entered },
    holder,
    contested: claim?.contested ?? false,
    assignee: assignment?.assignee ?? holder,
    assignedBy: assignment?.assignedBy ?? null,
    confirmed: assignment === undefined ? holder !== null : assignment.confirmed,
    ready: ctx.ready.has(task.id),
    blocked: ctx.blocked.has(task.id),
    overLimit: ctx.overLimit.has(task.id)
  }
}

export function historyJson (event: BoardHistoryEvent): HistoryEvent {
  const out: HistoryEvent = {
    entry: event.entry,
    author: event.author,
    ts: [event.ts[0], event.ts[1]],
    at: new Date(event.ts[0]).toISOString(),
    type: event.type,
    changes: event.changes
  }
  if (event.status !== undefined) out.status = event.status
  if (event.assignee !== undefined) out.assignee = event.assignee
  return out
}
