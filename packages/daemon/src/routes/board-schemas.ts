import { z } from '@hono/zod-openapi'
import { MAX_TASK_ID, type BoardReplica, type Claimant, type HistoryEvent, type Task, type TaskClaim } from '@mutual/board'

/** Schemas of the board routes, with the conversions from the board package's values to them. */

export const BoardParamSchema = z.object({
  board: z.string().min(1).max(128).openapi({ param: { name: 'board', in: 'path' }, description: 'board id (its space id)' })
})

const taskParam = z.string().min(1).max(MAX_TASK_ID).openapi({ param: { name: 'task', in: 'path' }, description: 'task id' })

export const TaskParamSchema = BoardParamSchema.extend({ task: taskParam })

export const DependencyParamSchema = TaskParamSchema.extend({
  on: z.string().min(1).max(MAX_TASK_ID).openapi({ param: { name: 'on', in: 'path' }, description: 'the task it waits for' })
})

export const InviteParamSchema = BoardParamSchema.extend({
  id: z.string().min(1).max(64).openapi({ param: { name: 'id', in: 'path' }, description: 'invite id' })
})

export const WorkflowSchema = z.object({
  states: z.array(z.object({ id: z.string(), name: z.string(), wip: z.number().int().optional() })),
  transitions: z.record(z.string(), z.array(z.string())).optional().openapi({ description: 'per state, where a task may go; a state without an entry allows any move' }),
  done: z.string()
}).openapi('Workflow')

/** A workflow in a request: checked by the board (InvalidWorkflowError), not by the route. */
export const WorkflowInputSchema = z.record(z.string(), z.unknown()).openapi('WorkflowInput', {
  description: 'a Workflow: states [{ id, name, wip? }], transitions? { state: [states] }, done'
})

const CommentSchema = z.object({ id: z.string(), author: z.string(), at: z.string(), text: z.string() }).openapi('Comment')

export const TaskSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  status: z.string(),
  rank: z.string(),
  estimate: z.number(),
  labels: z.array(z.string()),
  dependencies: z.array(z.string()),
  due: z.string().nullable(),
  comments: z.array(CommentSchema),
  createdBy: z.string(),
  createdAt: z.string(),
  holder: z.string().nullable().openapi({ description: 'who holds the task: the winning claim' }),
  contested: z.boolean().openapi({ description: 'more than one active claim' }),
  ready: z.boolean().openapi({ description: 'not done, and every dependency done' })
}).openapi('Task')

const StampSchema = z.tuple([z.number().int(), z.number().int()])

const ClaimantSchema = z.object({ author: z.string(), ts: StampSchema, at: z.string(), entry: z.string() }).openapi('Claimant')

export const ClaimSchema = z.object({
  task: z.string(),
  holder: z.string().nullable(),
  contested: z.boolean(),
  claimants: z.array(ClaimantSchema)
}).openapi('Claim')

export const HistoryEventSchema = z.object({
  entry: z.string(),
  author: z.string(),
  ts: StampSchema,
  at: z.string().openapi({ description: 'the wall time of the stamp' }),
  type: z.string(),
  changes: z.array(z.string()),
  status: z.object({ from: z.string().nullable(), to: z.string().nullable() }).optional()
}).openapi('HistoryEvent')

export const BoardSummarySchema = z.object({
  board: z.string(),
  name: z.string(),
  creator: z.string(),
  tasks: z.number().int(),
  writers: z.array(z.string())
}).openapi('BoardSummary')

export const SyncStateSchema = z.object({
  vector: z.record(z.string(), z.object({ seq: z.number().int(), head: z.string(), frozenAt: z.number().int().optional() })),
  entries: z.number().int().openapi({ description: 'entries held in the board space' }),
  joined: z.boolean().openapi({ description: 'this node replicates the board (subscribed to its topic)' }),
  peers: z.array(z.string()).openapi({ description: 'connected peers subscribed to the board' }),
  pending: z.number().int().openapi({ description: 'entries this node holds back for a missing predecessor (all spaces)' })
}).openapi('SyncState')

export const BoardDetailSchema = z.object({
  board: z.string(),
  name: z.string(),
  creator: z.string(),
  writers: z.array(z.string()),
  writable: z.boolean().openapi({ description: 'this node may write the board' }),
  workflow: WorkflowSchema,
  tasks: z.array(TaskSchema),
  claims: z.array(ClaimSchema),
  workload: z.array(z.object({ person: z.string(), estimate: z.number() })).openapi({ description: 'open claimed estimate per person' }),
  ready: z.array(z.string()),
  sync: SyncStateSchema
}).openapi('BoardDetail')

export type TaskJson = z.infer<typeof TaskSchema>
export type ClaimJson = z.infer<typeof ClaimSchema>

export function claimantJson (c: Claimant): z.infer<typeof ClaimantSchema> {
  return { author: c.author, ts: [c.ts[0], c.ts[1]], at: new Date(c.ts[0]).toISOString(), entry: c.entry }
}

export function claimJson (task: string, claim: TaskClaim | undefined): ClaimJson {
  return {
    task,
    holder: claim?.holder ?? null,
    contested: claim?.contested ?? false,
    claimants: (claim?.claimants ?? []).map(claimantJson)
  }
}

/** Every task of a board, in workflow then column order, with who holds it and whether it is ready. */
export function tasksJson (replica: BoardReplica): TaskJson[] {
  const claims = replica.claims()
  const ready = new Set(replica.board.ready().map((t) => t.id))
  return replica.board.tasks().map((t) => taskJson(t, claims.get(t.id), ready.has(t.id)))
}

export function taskJson (task: Task, claim: TaskClaim | undefined, ready: boolean): TaskJson {
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

export function historyJson (event: HistoryEvent): z.infer<typeof HistoryEventSchema> {
  const out: z.infer<typeof HistoryEventSchema> = {
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
