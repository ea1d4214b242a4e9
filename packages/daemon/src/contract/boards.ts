import { createRoute, z } from '@hono/zod-openapi'
import { MAX_TASK_ID } from '@mutual/protocol'
import { StampSchema, VectorSchema, body, idParam, json, problems } from './common.js'

/** Boards and their tasks: workflow, tasks, claims, comments, dependencies, history. */

export const BoardParamSchema = z.object({ board: idParam('board', 'board id (its space id)') })

const taskParam = z.string().min(1).max(MAX_TASK_ID).openapi({ param: { name: 'task', in: 'path' }, description: 'task id' })

export const TaskParamSchema = BoardParamSchema.extend({ task: taskParam })

export const DependencyParamSchema = TaskParamSchema.extend({
  on: z.string().min(1).max(MAX_TASK_ID).openapi({ param: { name: 'on', in: 'path' }, description: 'the task it waits for' })
})

export const WorkflowSchema = z.object({
  states: z.array(z.object({ id: z.string(), name: z.string(), wip: z.number().int().optional() })),
  transitions: z.union([z.literal('any'), z.record(z.string(), z.array(z.string()))]).openapi({
    description: 'per state, where a task may go (a state without an entry allows any move), or "any": every move. A workflow stored before this was required reads as "any"'
  }),
  done: z.string(),
  active: z.array(z.string()).optional().openapi({ description: 'states a task waiting on an unfinished dependency may not enter; default every state but the first' })
}).openapi('Workflow')

/** A workflow in a request: checked by the board (InvalidWorkflowError), not by the route. */
export const WorkflowInputSchema = z.record(z.string(), z.unknown()).openapi('WorkflowInput', {
  description: 'a Workflow: states [{ id, name, wip? }], transitions ({ state: [states] } or "any"; required), done, active?'
})

const stateRef = z.string().min(1).max(64)

/** One change to a board's workflow, made on the workflow in force; the result is checked as a whole workflow. */
export const WorkflowChangeSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('set-wip'), state: stateRef, wip: z.number().int().nullable().openapi({ description: 'the limit, or null for none' }) }),
  z.object({ op: z.literal('add-state'), state: stateRef, name: z.string().optional(), after: stateRef.optional().openapi({ description: 'default: before the done state' }) }),
  z.object({ op: z.literal('rename-state'), state: stateRef, name: z.string() }),
  z.object({ op: z.literal('remove-state'), state: stateRef }),
  z.object({ op: z.literal('allow'), from: stateRef, to: stateRef }),
  z.object({ op: z.literal('disallow'), from: stateRef, to: stateRef }),
  z.object({ op: z.literal('allow-any') }),
  z.object({ op: z.literal('set-done'), state: stateRef }),
  z.object({ op: z.literal('set-active'), states: z.array(stateRef).max(64).nullable().openapi({ description: 'null: the default, every state but the first' }) })
]).openapi('WorkflowChange')

export const CommentSchema = z.object({ id: z.string(), author: z.string(), at: z.string(), text: z.string() }).openapi('Comment')

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
  entered: z.object({ at: z.string(), by: z.string() }).openapi({ description: 'when and by whom the task entered its state (its creation until it first moves)' }),
  holder: z.string().nullable().openapi({ description: 'who holds the task: the winning claim' }),
  contested: z.boolean().openapi({ description: 'more than one active claim' }),
  assignee: z.string().nullable().openapi({ description: 'the person a board admin assigned, or else the holder; null for neither' }),
  assignedBy: z.string().nullable().openapi({ description: 'who signed the assignment in force; null when the assignee is the holder by claim alone, or nobody' }),
  confirmed: z.boolean().openapi({ description: 'the assignee holds the task (their claim confirms an assignment)' }),
  ready: z.boolean().openapi({ description: 'not done, and every dependency done' }),
  blocked: z.boolean().openapi({ description: "in one of the workflow's active states while a dependency is unfinished (concurrent edits can cross the rule)" }),
  overLimit: z.boolean().openapi({ description: "past its state's WIP limit: of the state's tasks in the order they entered it, after the first wip" })
}).openapi('Task')

export const BoardTaskSchema = TaskSchema.extend({ board: z.string(), boardName: z.string() }).openapi('BoardTask')

export const ClaimantSchema = z.object({ author: z.string(), ts: StampSchema, at: z.string(), entry: z.string() }).openapi('Claimant')

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
  status: z.object({ from: z.string().nullable(), to: z.string().nullable() }).optional(),
  assignee: z.string().nullable().optional().openapi({ description: 'set by a task/assign entry: the person assigned, or null when cleared' })
}).openapi('HistoryEvent')

export const BoardSummarySchema = z.object({
  board: z.string(),
  name: z.string(),
  creator: z.string(),
  org: z.string().nullable().openapi({ description: 'the organization the board belongs to (or is granted to); null for a personal board' }),
  tasks: z.number().int(),
  writers: z.array(z.string())
}).openapi('BoardSummary')

export const SyncStateSchema = z.object({
  vector: VectorSchema,
  entries: z.number().int().openapi({ description: 'entries held in the board space' }),
  joined: z.boolean().openapi({ description: 'this node replicates the board (subscribed to its topic)' }),
  peers: z.array(z.string()).openapi({ description: 'connected peers subscribed to the board' }),
  pending: z.number().int().openapi({ description: 'entries this node holds back for a missing predecessor (all spaces)' })
}).openapi('SyncState')

export const BoardDetailSchema = BoardSummarySchema.extend({
  writable: z.boolean().openapi({ description: 'this node may write the board' }),
  workflow: WorkflowSchema,
  tasks: z.array(TaskSchema),
  claims: z.array(ClaimSchema),
  workload: z.array(z.object({ person: z.string(), estimate: z.number() })).openapi({ description: 'open claimed estimate per person' }),
  ready: z.array(z.string()),
  sync: SyncStateSchema
}).openapi('BoardDetail')

export const CreateBoardSchema = z.object({
  name: z.string().min(1).max(200),
  workflow: WorkflowInputSchema.optional().openapi({ description: 'default: todo → doing → review → done' }),
  org: z.string().min(1).max(128).optional().openapi({ description: 'the organization the board belongs to: its members write it, and a revocation cuts a member off; default the only org this node administers' }),
  personal: z.boolean().optional().openapi({ description: 'a personal board even where this node administers an org: its creator invites and removes writers' }),
  private: z.boolean().optional().openapi({ description: 'encrypted: readable only by its readers (an org board: the members, rotated out when revoked; a personal board: the creator and the writers it invites, rotated out when removed); default false' })
}).openapi('CreateBoard')

export const CreatedBoardSchema = z.object({
  board: z.string(),
  org: z.string().nullable().openapi({ description: 'the organization it belongs to; null for a personal board' }),
  orgName: z.string().nullable()
}).openapi('CreatedBoard')

export const WriterParamSchema = BoardParamSchema.extend({ writer: idParam('writer', 'the writer\'s identity id') })

export const RemovedWriterSchema = z.object({
  board: z.string(),
  writer: z.string(),
  entry: z.string().openapi({ description: 'the board/remove entry' }),
  seq: z.number().int().openapi({ description: 'their entries past this seq no longer count, on any node' })
}).openapi('RemovedWriter')

// Field bounds (title length, estimate range, dates) are the board's to check (InvalidTaskError);
// the schemas here check types only, so every bad field is reported the same way.
const fields = {
  description: z.string().optional(),
  estimate: z.number().optional().openapi({ description: 'workload points, 0 to 1,000,000' }),
  labels: z.array(z.string()).max(1024).optional(),
  due: z.string().nullable().optional().openapi({ description: 'ISO date, or null for none' })
}

export const NewTaskSchema = z.object({
  title: z.string(),
  status: z.string().optional().openapi({ description: "default: the workflow's first state" }),
  ...fields
}).openapi('NewTask')

export const TaskEditSchema = z.object({ title: z.string().optional(), ...fields }).openapi('TaskEdit')

const taskRef = z.string().min(1).max(MAX_TASK_ID)

export const MoveSchema = z.object({
  status: z.string().min(1).max(64).optional(),
  before: taskRef.optional().openapi({ description: 'place it just before this task of the column' }),
  after: taskRef.optional().openapi({ description: 'place it just after this task of the column' })
}).openapi('Move')

const flag = z.enum(['true', 'false']).optional()

/** Filters of task lists; they combine (every one given must hold). */
export const TaskQuerySchema = z.object({
  status: z.string().max(64).optional().openapi({ description: 'only tasks in this state' }),
  ready: flag.openapi({ description: 'true: only ready tasks (not done, every dependency done)' }),
  mine: flag.openapi({ description: "true: only tasks this node's identity holds or is assigned" }),
  assignee: z.string().min(1).max(128).optional().openapi({ description: 'only tasks assigned to (or held by) this identity' }),
  label: z.string().max(64).optional().openapi({ description: 'only tasks with this label' }),
  text: z.string().max(200).optional().openapi({ description: 'only tasks whose title or description contains this, ignoring case' }),
  dueBefore: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD').optional().openapi({ description: 'only tasks due before this date' })
})

/** `GET /api/v1/tasks`: the same filters, `mine` by default, and done tasks only when asked for by `status`. */
export const MyTasksQuerySchema = TaskQuerySchema.extend({
  mine: flag.openapi({ description: "default true: only tasks this node's identity holds or is assigned; false: every open task" })
})

export const AssignSchema = z.object({
  assignee: z.string().min(1).max(128).nullable().openapi({ description: 'identity id, or null to clear the assignment' })
}).openapi('Assignment')

export const TaskDetailSchema = z.object({
  task: TaskSchema,
  claimants: z.array(ClaimantSchema),
  history: z.array(HistoryEventSchema)
}).openapi('TaskDetail')

export const ClaimResultSchema = ClaimSchema.extend({
  entry: z.string(),
  held: z.boolean().openapi({ description: 'this node holds the task after the entry (false: an earlier claim holds it)' })
}).openapi('ClaimResult')

export const boardRoutes = {
  createBoard: createRoute({
    method: 'post',
    path: '/api/v1/boards',
    summary: 'Create a board; this node is its creator and replicates it',
    request: { body: body(CreateBoardSchema) },
    responses: { 201: json(CreatedBoardSchema, 'created'), ...problems(400, 401, 403, 404) }
  }),
  removeWriter: createRoute({
    method: 'delete',
    path: '/api/v1/boards/{board}/writers/{writer}',
    summary: "Remove a writer from a personal board (its creator only): a signed board/remove; the writer's later entries count nowhere",
    request: { params: WriterParamSchema },
    responses: { 200: json(RemovedWriterSchema, 'removed'), ...problems(400, 401, 403, 404) }
  }),
  listBoards: createRoute({
    method: 'get',
    path: '/api/v1/boards',
    summary: 'Boards held here',
    responses: { 200: json(z.object({ boards: z.array(BoardSummarySchema) }), 'boards'), ...problems(401, 403) }
  }),
  board: createRoute({
    method: 'get',
    path: '/api/v1/boards/{board}',
    summary: 'A board: workflow, tasks, claims, workload, ready tasks and sync state',
    request: { params: BoardParamSchema },
    responses: { 200: json(BoardDetailSchema, 'the board'), ...problems(401, 403, 404) }
  }),
  setWorkflow: createRoute({
    method: 'put',
    path: '/api/v1/boards/{board}/workflow',
    summary: "Replace the board's workflow (refused if it drops a state tasks are in)",
    request: { params: BoardParamSchema, body: body(WorkflowInputSchema) },
    responses: { 200: json(z.object({ workflow: WorkflowSchema }), 'the workflow in force'), ...problems(400, 401, 403, 404) }
  }),
  changeWorkflow: createRoute({
    method: 'post',
    path: '/api/v1/boards/{board}/workflow/changes',
    summary: "Change one thing in the board's workflow (a WIP limit, a state, an allowed move, the done or active states); refused if the result is not a workflow, or removes a state tasks are in",
    request: { params: BoardParamSchema, body: body(WorkflowChangeSchema) },
    responses: { 200: json(z.object({ workflow: WorkflowSchema }), 'the workflow in force'), ...problems(400, 401, 403, 404) }
  }),
  myTasks: createRoute({
    method: 'get',
    path: '/api/v1/tasks',
    summary: "Open tasks across every board this node holds: by default this node's own (held or assigned)",
    request: { query: MyTasksQuerySchema },
    responses: { 200: json(z.object({ tasks: z.array(BoardTaskSchema) }), 'tasks, by board name then workflow order'), ...problems(400, 401, 403) }
  }),
  addTask: createRoute({
    method: 'post',
    path: '/api/v1/boards/{board}/tasks',
    summary: 'Add a task at the end of its column',
    request: { params: BoardParamSchema, body: body(NewTaskSchema) },
    responses: { 201: json(TaskSchema, 'the task'), ...problems(400, 401, 403, 404, 409) }
  }),
  listTasks: createRoute({
    method: 'get',
    path: '/api/v1/boards/{board}/tasks',
    summary: 'Tasks by workflow state, then column order, with who holds each',
    request: { params: BoardParamSchema, query: TaskQuerySchema },
    responses: { 200: json(z.object({ tasks: z.array(TaskSchema) }), 'tasks'), ...problems(400, 401, 403, 404) }
  }),
  task: createRoute({
    method: 'get',
    path: '/api/v1/boards/{board}/tasks/{task}',
    summary: 'A task, its claims and its history: which signed entry changed what, by whom, when',
    request: { params: TaskParamSchema },
    responses: { 200: json(TaskDetailSchema, 'the task'), ...problems(401, 403, 404) }
  }),
  editTask: createRoute({
    method: 'patch',
    path: '/api/v1/boards/{board}/tasks/{task}',
    summary: "Edit a task's title, description, estimate, labels or due date",
    request: { params: TaskParamSchema, body: body(TaskEditSchema) },
    responses: { 200: json(TaskSchema, 'the task'), ...problems(400, 401, 403, 404) }
  }),
  moveTask: createRoute({
    method: 'post',
    path: '/api/v1/boards/{board}/tasks/{task}/move',
    summary: 'Move a task to another state (as the workflow allows) and/or another place in its column',
    request: { params: TaskParamSchema, body: body(MoveSchema) },
    responses: { 200: json(TaskSchema, 'the task'), ...problems(400, 401, 403, 404, 409) }
  }),
  deleteTask: createRoute({
    method: 'delete',
    path: '/api/v1/boards/{board}/tasks/{task}',
    summary: "Delete a task (and drop it from other tasks' dependencies)",
    request: { params: TaskParamSchema },
    responses: { 200: json(z.object({ deleted: z.string() }), 'deleted'), ...problems(401, 403, 404) }
  }),
  claimTask: createRoute({
    method: 'post',
    path: '/api/v1/boards/{board}/tasks/{task}/claim',
    summary: 'Claim a task: a task/claim entry; the earliest active claim wins, and a contested claim shows as such',
    request: { params: TaskParamSchema },
    responses: { 200: json(ClaimResultSchema, 'the claim state after the entry'), ...problems(401, 403, 404) }
  }),
  assignTask: createRoute({
    method: 'put',
    path: '/api/v1/boards/{board}/tasks/{task}/assignee',
    summary: "Assign a task to a person, or clear its assignee (null): a task/assign entry, by the board's creator or an admin of its organization",
    request: { params: TaskParamSchema, body: body(AssignSchema) },
    responses: { 200: json(TaskSchema, 'the task'), ...problems(400, 401, 403, 404) }
  }),
  releaseTask: createRoute({
    method: 'post',
    path: '/api/v1/boards/{board}/tasks/{task}/release',
    summary: 'Release a claim of this node on a task: a task/release entry',
    request: { params: TaskParamSchema },
    responses: { 200: json(ClaimResultSchema, 'the claim state after the entry'), ...problems(401, 403, 404) }
  }),
  comment: createRoute({
    method: 'post',
    path: '/api/v1/boards/{board}/tasks/{task}/comments',
    summary: 'Comment on a task',
    request: { params: TaskParamSchema, body: body(z.object({ text: z.string() }).openapi('NewComment')) },
    responses: { 201: json(z.object({ id: z.string(), task: TaskSchema }), 'the comment id and the task'), ...problems(400, 401, 403, 404) }
  }),
  depend: createRoute({
    method: 'post',
    path: '/api/v1/boards/{board}/tasks/{task}/dependencies',
    summary: 'Make a task wait for another (refused if that would make a cycle)',
    request: { params: TaskParamSchema, body: body(z.object({ on: taskRef }).openapi('NewDependency')) },
    responses: { 200: json(TaskSchema, 'the task'), ...problems(400, 401, 403, 404, 409) }
  }),
  undepend: createRoute({
    method: 'delete',
    path: '/api/v1/boards/{board}/tasks/{task}/dependencies/{on}',
    summary: 'Stop a task waiting for another',
    request: { params: DependencyParamSchema },
    responses: { 200: json(TaskSchema, 'the task'), ...problems(401, 403, 404) }
  })
}

export type Task = z.infer<typeof TaskSchema>
export type BoardTask = z.infer<typeof BoardTaskSchema>
export type WorkflowChange = z.infer<typeof WorkflowChangeSchema>
export type TaskQuery = z.infer<typeof TaskQuerySchema>
export type Claim = z.infer<typeof ClaimSchema>
export type Claimant = z.infer<typeof ClaimantSchema>
export type HistoryEvent = z.infer<typeof HistoryEventSchema>
export type Workflow = z.infer<typeof WorkflowSchema>
export type BoardSummary = z.infer<typeof BoardSummarySchema>
export type CreatedBoard = z.infer<typeof CreatedBoardSchema>
export type RemovedWriter = z.infer<typeof RemovedWriterSchema>
export type BoardDetail = z.infer<typeof BoardDetailSchema>
export type TaskDetail = z.infer<typeof TaskDetailSchema>
export type ClaimResult = z.infer<typeof ClaimResultSchema>
