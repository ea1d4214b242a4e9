import type { BoardReplica, Claimant as BoardClaimant, HistoryEvent as BoardHistoryEvent, Task as BoardTask, TaskClaim } from '@mutual/board'
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

/** Every task of a board, in workflow then column order, with who holds it and whether it is ready. */
export function tasksJson (replica: BoardReplica): Task[] {
  const claims = replica.claims()
  const ready = new Set(replica.board.ready().map((t) => t.id))
  return replica.board.tasks().map((t) => taskJson(t, claims.get(t.id), ready.has(t.id)))
}

export function taskJson (task: BoardTask, claim: TaskClaim | undefined, ready: boolean): Task {
  return {
    ...task,
    labels: [...task.labels],
    dependencies: [...task.dependencies],
    comments: task.comments.map((c) => ({ ...c })),
    holder: claim?.holder ?? null,
    contested: claim?.contested ?? false,
    ready
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
  return out
}
