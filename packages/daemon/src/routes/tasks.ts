import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import { MAX_TASK_ID, UnknownTaskError, type Board, type BoardReplica } from '@mutual/board'
import type { DaemonContext } from '../context.js'
import {
  BoardParamSchema, ClaimSchema, DependencyParamSchema, HistoryEventSchema, TaskParamSchema, TaskSchema,
  claimJson, historyJson, taskJson, tasksJson, type TaskJson
} from './board-schemas.js'
import { json, problems } from './schemas.js'

// Field bounds (title length, estimate range, dates) are the board's to check (InvalidTaskError);
// the schemas here check types only, so every bad field is reported the same way.
const fields = {
  description: z.string().optional(),
  estimate: z.number().optional().openapi({ description: 'workload points, 0 to 1,000,000' }),
  labels: z.array(z.string()).max(1024).optional(),
  due: z.string().nullable().optional().openapi({ description: 'ISO date, or null for none' })
}

const NewTaskSchema = z.object({
  title: z.string(),
  status: z.string().optional().openapi({ description: "default: the workflow's first state" }),
  ...fields
}).openapi('NewTask')

const TaskEditSchema = z.object({ title: z.string().optional(), ...fields }).openapi('TaskEdit')

const taskRef = z.string().min(1).max(MAX_TASK_ID)

const MoveSchema = z.object({
  status: z.string().min(1).max(64).optional(),
  before: taskRef.optional().openapi({ description: 'place it just before this task of the column' }),
  after: taskRef.optional().openapi({ description: 'place it just after this task of the column' })
}).openapi('Move')

const StatusQuerySchema = z.object({ status: z.string().max(64).optional() })

const TaskDetailSchema = z.object({
  task: TaskSchema,
  claimants: ClaimSchema.shape.claimants,
  history: z.array(HistoryEventSchema)
}).openapi('TaskDetail')

export function taskRoutes (app: OpenAPIHono, ctx: DaemonContext): void {
  const { boards } = ctx

  /** Runs an edit of this node's and resolves once its entry is durable: an acknowledged edit survives a crash. */
  const write = async <T>(replica: BoardReplica, fn: (board: Board) => T): Promise<T> => {
    await boards.assertWritable(replica)
    let result: T | undefined
    replica.edit((board) => { result = fn(board) })
    await replica.flush()
    return result as T
  }

  const taskOf = (replica: BoardReplica, id: string): TaskJson => {
    const task = replica.board.task(id)
    if (task === undefined) throw new UnknownTaskError(`no task ${id} on board ${replica.space}`)
    const ready = replica.board.ready().some((t) => t.id === id)
    return taskJson(task, replica.claims().get(id), ready)
  }

  const params = async (c: { req: { valid: (target: 'param') => { board: string, task: string } } }): Promise<{ replica: BoardReplica, task: string }> => {
    const { board, task } = c.req.valid('param')
    return { replica: await boards.open(board), task }
  }

  app.openapi(createRoute({
    method: 'post',
    path: '/api/v1/boards/{board}/tasks',
    summary: 'Add a task at the end of its column',
    request: { params: BoardParamSchema, body: { required: true, content: { 'application/json': { schema: NewTaskSchema } } } },
    responses: { 201: json(TaskSchema, 'the task'), ...problems(400, 401, 403, 404, 409) }
  }), async (c) => {
    const replica = await boards.open(c.req.valid('param').board)
    const id = await write(replica, (board) => board.addTask(c.req.valid('json')))
    return c.json(taskOf(replica, id), 201)
  })

  app.openapi(createRoute({
    method: 'get',
    path: '/api/v1/boards/{board}/tasks',
    summary: 'Tasks by workflow state, then column order, with who holds each',
    request: { params: BoardParamSchema, query: StatusQuerySchema },
    responses: { 200: json(z.object({ tasks: z.array(TaskSchema) }), 'tasks'), ...problems(400, 401, 403, 404) }
  }), async (c) => {
    const replica = await boards.open(c.req.valid('param').board)
    const { status } = c.req.valid('query')
    const tasks = tasksJson(replica).filter((t) => status === undefined || status === '' || t.status === status)
    return c.json({ tasks }, 200)
  })

  app.openapi(createRoute({
    method: 'get',
    path: '/api/v1/boards/{board}/tasks/{task}',
    summary: 'A task, its claims and its history: which signed entry changed what, by whom, when',
    request: { params: TaskParamSchema },
    responses: { 200: json(TaskDetailSchema, 'the task'), ...problems(401, 403, 404) }
  }), async (c) => {
    const { replica, task } = await params(c)
    const json = taskOf(replica, task)
    const history = await replica.history(task)
    return c.json({ task: json, claimants: claimJson(task, replica.claims().get(task)).claimants, history: history.map(historyJson) }, 200)
  })

  app.openapi(createRoute({
    method: 'patch',
    path: '/api/v1/boards/{board}/tasks/{task}',
    summary: "Edit a task's title, description, estimate, labels or due date",
    request: { params: TaskParamSchema, body: { required: true, content: { 'application/json': { schema: TaskEditSchema } } } },
    responses: { 200: json(TaskSchema, 'the task'), ...problems(400, 401, 403, 404) }
  }), async (c) => {
    const { replica, task } = await params(c)
    await write(replica, (board) => { board.editTask(task, c.req.valid('json')) })
    return c.json(taskOf(replica, task), 200)
  })

  app.openapi(createRoute({
    method: 'post',
    path: '/api/v1/boards/{board}/tasks/{task}/move',
    summary: 'Move a task to another state (as the workflow allows) and/or another place in its column',
    request: { params: TaskParamSchema, body: { required: true, content: { 'application/json': { schema: MoveSchema } } } },
    responses: { 200: json(TaskSchema, 'the task'), ...problems(400, 401, 403, 404, 409) }
  }), async (c) => {
    const { replica, task } = await params(c)
    await write(replica, (board) => { board.moveTask(task, c.req.valid('json')) })
    return c.json(taskOf(replica, task), 200)
  })

  app.openapi(createRoute({
    method: 'delete',
    path: '/api/v1/boards/{board}/tasks/{task}',
    summary: "Delete a task (and drop it from other tasks' dependencies)",
    request: { params: TaskParamSchema },
    responses: { 200: json(z.object({ deleted: z.string() }), 'deleted'), ...problems(401, 403, 404) }
  }), async (c) => {
    const { replica, task } = await params(c)
    await write(replica, (board) => { board.deleteTask(task) })
    return c.json({ deleted: task }, 200)
  })

  for (const action of ['claim', 'release'] as const) {
    app.openapi(createRoute({
      method: 'post',
      path: `/api/v1/boards/{board}/tasks/{task}/${action}`,
      summary: action === 'claim'
        ? 'Claim a task: a task/claim entry; the earliest active claim wins, and a contested claim shows as such'
        : 'Release a claim of this node on a task: a task/release entry',
      request: { params: TaskParamSchema },
      responses: { 200: json(ClaimSchema.extend({ entry: z.string() }), 'the claim state after the entry'), ...problems(401, 403, 404) }
    }), async (c) => {
      const { replica, task } = await params(c)
      await boards.assertWritable(replica)
      const held = replica.claims().get(task)?.claimants.some((cl) => cl.author === ctx.identity.id) === true
      // A release may name a task deleted since it was claimed; anything else must be on the board.
      if (replica.board.task(task) === undefined && !(action === 'release' && held)) throw new UnknownTaskError(`no task ${task} on board ${replica.space}`)
      const entry = action === 'claim' ? await replica.claim(task) : await replica.release(task)
      return c.json({ ...claimJson(task, replica.claims().get(task)), entry: entry.id.toString() }, 200)
    })
  }

  app.openapi(createRoute({
    method: 'post',
    path: '/api/v1/boards/{board}/tasks/{task}/comments',
    summary: 'Comment on a task',
    request: {
      params: TaskParamSchema,
      body: { required: true, content: { 'application/json': { schema: z.object({ text: z.string() }).openapi('NewComment') } } }
    },
    responses: { 201: json(z.object({ id: z.string(), task: TaskSchema }), 'the comment id and the task'), ...problems(400, 401, 403, 404) }
  }), async (c) => {
    const { replica, task } = await params(c)
    const id = await write(replica, (board) => board.comment(task, c.req.valid('json').text))
    return c.json({ id, task: taskOf(replica, task) }, 201)
  })

  app.openapi(createRoute({
    method: 'post',
    path: '/api/v1/boards/{board}/tasks/{task}/dependencies',
    summary: 'Make a task wait for another (refused if that would make a cycle)',
    request: {
      params: TaskParamSchema,
      body: { required: true, content: { 'application/json': { schema: z.object({ on: taskRef }).openapi('NewDependency') } } }
    },
    responses: { 200: json(TaskSchema, 'the task'), ...problems(400, 401, 403, 404, 409) }
  }), async (c) => {
    const { replica, task } = await params(c)
    await write(replica, (board) => { board.depend(task, c.req.valid('json').on) })
    return c.json(taskOf(replica, task), 200)
  })

  app.openapi(createRoute({
    method: 'delete',
    path: '/api/v1/boards/{board}/tasks/{task}/dependencies/{on}',
    summary: 'Stop a task waiting for another',
    request: { params: DependencyParamSchema },
    responses: { 200: json(TaskSchema, 'the task'), ...problems(401, 403, 404) }
  }), async (c) => {
    const { board, task, on } = c.req.valid('param')
    const replica = await boards.open(board)
    await write(replica, (b) => { b.undepend(task, on) })
    return c.json(taskOf(replica, task), 200)
  })
}
