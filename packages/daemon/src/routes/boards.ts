import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import { createBoard, validateWorkflow, type BoardReplica } from '@mutual/board'
import { vectorSize } from '@mutual/log'
import { topicOf } from '@mutual/node'
import type { DaemonContext } from '../context.js'
import { MAX_INVITE_SECONDS, MAX_INVITE_USES } from '../invites.js'
import { joinBoard, joinOrg } from '../join.js'
import { decodeTicket } from '../ticket.js'
import {
  BoardDetailSchema, BoardParamSchema, BoardSummarySchema, InviteParamSchema, WorkflowInputSchema, WorkflowSchema,
  claimJson, tasksJson
} from './board-schemas.js'
import { json, problems } from './schemas.js'

const CreateBoardSchema = z.object({
  name: z.string().min(1).max(200),
  workflow: WorkflowInputSchema.optional().openapi({ description: 'default: todo → doing → review → done' })
}).openapi('CreateBoard')

const CreateInviteSchema = z.object({
  expiresInSeconds: z.number().int().min(1).max(MAX_INVITE_SECONDS).optional().openapi({ description: 'default 7 days' }),
  uses: z.number().int().min(1).max(MAX_INVITE_USES).optional().openapi({ description: 'default 1' })
}).openapi('CreateInvite')

const CreatedInviteSchema = z.object({
  ticket: z.string().openapi({ description: 'mutual1:… — one string to give the invitee' }),
  id: z.string(),
  expires: z.string(),
  uses: z.number().int()
}).openapi('CreatedInvite')

const InviteSchema = z.object({
  id: z.string(),
  created: z.string(),
  expires: z.string(),
  uses: z.number().int(),
  used: z.number().int(),
  revoked: z.boolean(),
  status: z.enum(['active', 'expired', 'used', 'revoked'])
}).openapi('Invite')

const JoinSchema = z.object({ ticket: z.string().min(1).max(16 * 1024) }).openapi('Join')

const JOIN_TIMEOUT_MS = 60_000

export function boardRoutes (app: OpenAPIHono, ctx: DaemonContext): void {
  const { boards, invites, log, node, identity } = ctx

  const summary = (r: BoardReplica): z.infer<typeof BoardSummarySchema> => ({
    board: r.space, name: r.board.name(), creator: r.creator, tasks: r.board.tasks().length, writers: r.writers()
  })

  app.openapi(createRoute({
    method: 'post',
    path: '/api/v1/boards',
    summary: 'Create a board; this node is its creator and replicates it',
    request: { body: { required: true, content: { 'application/json': { schema: CreateBoardSchema } } } },
    responses: { 201: json(z.object({ board: z.string() }), 'created'), ...problems(400, 401, 403) }
  }), async (c) => {
    const { name, workflow } = c.req.valid('json')
    const board = await createBoard(log, identity, { name, workflow: workflow === undefined ? undefined : validateWorkflow(workflow) })
    await node.join(board)
    await boards.open(board)
    return c.json({ board }, 201)
  })

  app.openapi(createRoute({
    method: 'get',
    path: '/api/v1/boards',
    summary: 'Boards held here',
    responses: { 200: json(z.object({ boards: z.array(BoardSummarySchema) }), 'boards'), ...problems(401, 403) }
  }), (c) => {
    const list = boards.list().map(summary).sort((a, b) => a.name.localeCompare(b.name) || (a.board < b.board ? -1 : 1))
    return c.json({ boards: list }, 200)
  })

  app.openapi(createRoute({
    method: 'get',
    path: '/api/v1/boards/{board}',
    summary: 'A board: workflow, tasks, claims, workload, ready tasks and sync state',
    request: { params: BoardParamSchema },
    responses: { 200: json(BoardDetailSchema, 'the board'), ...problems(401, 403, 404) }
  }), async (c) => {
    const replica = await boards.open(c.req.valid('param').board)
    const claims = replica.claims()
    const tasks = tasksJson(replica)
    const vector = log.vector(replica.space)
    let writable = true
    try {
      await boards.assertWritable(replica)
    } catch (err) {
      if ((err as Error).name !== 'ReadOnlyBoardError') throw err
      writable = false
    }
    return c.json({
      ...summary(replica),
      writable,
      workflow: replica.board.workflow(),
      tasks,
      claims: [...claims].map(([task, claim]) => claimJson(task, claim)),
      workload: [...replica.workload()].map(([person, estimate]) => ({ person, estimate })),
      ready: tasks.filter((t) => t.ready).map((t) => t.id),
      sync: {
        vector,
        entries: vectorSize(vector),
        joined: node.joined().includes(replica.space),
        peers: boardPeers(ctx, replica.space),
        pending: log.pending
      }
    }, 200)
  })

  app.openapi(createRoute({
    method: 'put',
    path: '/api/v1/boards/{board}/workflow',
    summary: "Replace the board's workflow (refused if it drops a state tasks are in)",
    request: { params: BoardParamSchema, body: { required: true, content: { 'application/json': { schema: WorkflowInputSchema } } } },
    responses: { 200: json(z.object({ workflow: WorkflowSchema }), 'the workflow in force'), ...problems(400, 401, 403, 404) }
  }), async (c) => {
    const replica = await boards.open(c.req.valid('param').board)
    const workflow = validateWorkflow(c.req.valid('json'))
    await boards.assertWritable(replica)
    replica.edit((board) => { board.setWorkflow(workflow) })
    await replica.flush()
    return c.json({ workflow: replica.board.workflow() }, 200)
  })

  app.openapi(createRoute({
    method: 'post',
    path: '/api/v1/boards/{board}/invites',
    summary: 'Invite a writer: a one-string ticket with an expiry and a number of uses (the creator only)',
    request: { params: BoardParamSchema, body: { required: false, content: { 'application/json': { schema: CreateInviteSchema } } } },
    responses: { 201: json(CreatedInviteSchema, 'the ticket'), ...problems(400, 401, 403, 404) }
  }), async (c) => {
    const { board } = c.req.valid('param')
    return c.json(await invites.create(board, c.req.valid('json')), 201)
  })

  app.openapi(createRoute({
    method: 'get',
    path: '/api/v1/boards/{board}/invites',
    summary: "The board's invites made here (never their secrets)",
    request: { params: BoardParamSchema },
    responses: { 200: json(z.object({ invites: z.array(InviteSchema) }), 'invites'), ...problems(401, 403, 404) }
  }), async (c) => c.json({ invites: await invites.list(c.req.valid('param').board) }, 200))

  app.openapi(createRoute({
    method: 'delete',
    path: '/api/v1/boards/{board}/invites/{id}',
    summary: 'Revoke an invite: its ticket no longer works',
    request: { params: InviteParamSchema },
    responses: { 200: json(InviteSchema, 'the revoked invite'), ...problems(401, 403, 404) }
  }), async (c) => {
    const { board, id } = c.req.valid('param')
    return c.json(await invites.revoke(board, id), 200)
  })

  app.openapi(createRoute({
    method: 'post',
    path: '/api/v1/join',
    summary: 'Join a board or an organization with an invite ticket: dial the inviter, redeem the invite, sync the space',
    request: { body: { required: true, content: { 'application/json': { schema: JoinSchema } } } },
    responses: {
      200: json(z.union([
        z.object({ board: z.string(), name: z.string(), grant: z.string() }),
        z.object({ org: z.string(), name: z.string(), credential: z.string() })
      ]), 'joined: a board (its grant) or an organization (its credential)'),
      ...problems(400, 401, 403, 404, 410, 502, 504)
    }
  }), async (c) => {
    const { ticket } = c.req.valid('json')
    const signal = AbortSignal.any([c.req.raw.signal, AbortSignal.timeout(JOIN_TIMEOUT_MS)])
    if (decodeTicket(ticket).kind === 'org') return c.json(await joinOrg({ identity, node, boards, log }, ticket, { signal }), 200)
    return c.json(await joinBoard({ identity, node, boards }, ticket, { signal }), 200)
  })
}

/** Connected peers subscribed to the board's gossip topic: those replicating it live with this node. */
function boardPeers (ctx: DaemonContext, space: string): string[] {
  const pubsub = (ctx.node.libp2p.services as { pubsub?: { getSubscribers?: (topic: string) => Array<{ toString: () => string }> } }).pubsub
  const subscribers = new Set((pubsub?.getSubscribers?.(topicOf(space)) ?? []).map((p) => p.toString()))
  return ctx.node.peers().map((p) => p.id).filter((id) => subscribers.has(id)).sort()
}
