import { changeWorkflow, createBoard, validateWorkflow, taskAssignSchema, InvalidTaskError, UnknownTaskError, type Board, type BoardReplica } from '@mutual/board'
import { UnknownSpaceError, vectorSize, type Log } from '@mutual/log'
import { topicOf, type MutualNode } from '@mutual/node'
import { ROLES, UnauthorizedError, type Identity } from '@mutual/protocol'
import { announceSpace, createGrantedSpace, currentAdmins, grantingOrg, roleRefs, type OrgRegistry } from '@mutual/org'
import type { BoardDetail, BoardSummary, BoardTask, ClaimResult, CreatedBoard, RemovedWriter, Task, TaskDetail, TaskQuery, Workflow, WorkflowChange } from '../contract/index.js'
import type { Boards } from './board-replicas.js'
import type { SpaceKeys } from './space-keys.js'
import { claimJson, historyJson, taskContextOf, taskJson, tasksJson } from './board-json.js'
import { taskFilter } from './task-filter.js'

export interface BoardServiceInit {
  log: Log
  node: MutualNode
  identity: Identity
  replicas: Boards
  orgs: OrgRegistry
  /** seals the keys of the private boards this node creates */
  spaceKeys: SpaceKeys
}

export interface TaskFields {
  title?: string
  description?: string
  estimate?: number
  labels?: string[]
  due?: string | null
}

/**
 * Boards and their tasks as users work them. Every edit is this node's, checked by the board
 * (workflow, WIP, fields) and by who may write, and resolves once its entry is durable: an
 * acknowledged edit survives a crash.
 */
export class BoardService {
  private readonly init: BoardServiceInit

  constructor (init: BoardServiceInit) {
    this.init = init
  }

  /**
   * Creates a board. In an organization (`org`, or by default the only one this node administers)
   * it is granted to the org's members and belongs to it — a revocation cuts a member off there,
   * whoever created it — and is announced in the org space, so members' nodes follow it. Else it is
   * personal: its creator invites and removes writers. A private board is encrypted: its first key
   * is sealed to its readers (the org's members, or the creator alone) before its first update is
   * written under it, and SpaceKeys follows its readers from then on (credentials and revocations;
   * invites and removals).
   */
  async create (request: { name: string, workflow?: Record<string, unknown>, org?: string, personal?: boolean, private?: boolean }): Promise<CreatedBoard> {
    const { log, identity, node, replicas, spaceKeys } = this.init
    const secret = request.private === true
    const workflow = request.workflow === undefined ? undefined : validateWorkflow(request.workflow)
    const org = request.personal === true ? undefined : request.org ?? this.onlyAdministeredOrg()
    if (org !== undefined && log.genesis(org)?.entry.body.kind !== 'org') {
      throw new UnknownSpaceError(`no organization ${org.slice(0, 128)} here: join it first (\`mutual join <ticket>\`)`)
    }
    const space = org === undefined
      ? undefined
      : async () => await createGrantedSpace(log, identity, {
        kind: 'board',
        // A genesis is public: a private board's name is in its sealed first update only.
        name: secret ? 'private' : request.name,
        policy: { grants: [{ org, roles: [...ROLES] }], read: secret ? 'grants' : 'public', owner: org },
        encrypted: secret
      })
    const encrypted = !secret
      ? undefined
      : {
          append: async (space: string, type: string, body: unknown) => {
            await spaceKeys.reconcile(space)
            await spaceKeys.codec(space)!.append(type, body)
          }
        }
    const board = await createBoard(log, identity, { name: request.name, workflow, space, encrypted })
    if (org !== undefined) await announceSpace(log, identity, org, board)
    await node.join(board)
    await replicas.open(board)
    return { board, org: org ?? null, orgName: org === undefined ? null : log.genesis(org)?.entry.body.name ?? '' }
  }

  /** Removes a writer from a personal board (its creator only); their later entries count nowhere. */
  async removeWriter (board: string, writer: string): Promise<RemovedWriter> {
    const replica = await this.init.replicas.open(board)
    if (replica.creator !== this.init.identity.id) throw new UnauthorizedError(`only the board's creator (${replica.creator}) removes writers; this node is not its creator`)
    const owner = this.orgOf(board)
    if (owner !== null) throw new UnauthorizedError(`board ${board} belongs to organization ${owner}: its writers are the org's members, cut off by \`mutual org revoke\``)
    const entry = await replica.remove(writer)
    return { board, writer, entry: entry.id.toString(), seq: (entry.entry.body as { seq: number }).seq }
  }

  list (): BoardSummary[] {
    return this.init.replicas.list().map((r) => this.summary(r)).sort((a, b) => a.name.localeCompare(b.name) || (a.board < b.board ? -1 : 1))
  }

  async detail (board: string): Promise<BoardDetail> {
    const { log, node, replicas } = this.init
    const replica = await replicas.open(board)
    const tasks = tasksJson(replica)
    const vector = log.vector(replica.space)
    return {
      ...this.summary(replica),
      writable: await this.writable(replica),
      workflow: replica.board.workflow(),
      tasks,
      claims: [...replica.claims()].map(([task, claim]) => claimJson(task, claim)),
      workload: [...replica.workload()].map(([person, estimate]) => ({ person, estimate })),
      ready: tasks.filter((t) => t.ready).map((t) => t.id),
      sync: {
        vector,
        entries: vectorSize(vector),
        joined: node.joined().includes(replica.space),
        peers: this.boardPeers(replica.space),
        pending: log.pending
      }
    }
  }

  async setWorkflow (board: string, input: Record<string, unknown>): Promise<{ workflow: Workflow }> {
    const replica = await this.init.replicas.open(board)
    const workflow = validateWorkflow(input)
    await this.write(replica, (b) => { b.setWorkflow(workflow) })
    return { workflow: replica.board.workflow() }
  }

  /** One change to the workflow in force (`changeWorkflow`), written as `setWorkflow` writes a whole one. */
  async changeWorkflow (board: string, change: WorkflowChange): Promise<{ workflow: Workflow }> {
    const replica = await this.init.replicas.open(board)
    await this.write(replica, (b) => { b.setWorkflow(changeWorkflow(b.workflow(), change)) })
    return { workflow: replica.board.workflow() }
  }

  async addTask (board: string, fields: TaskFields & { title: string, status?: string }): Promise<Task> {
    const replica = await this.init.replicas.open(board)
    const id = await this.write(replica, (b) => b.addTask(fields))
    return this.taskOf(replica, id)
  }

  /** A board's tasks that pass every filter given. */
  async tasks (board: string, query: TaskQuery = {}): Promise<Task[]> {
    const replica = await this.init.replicas.open(board)
    const keep = taskFilter(query, this.init.identity.id, replica.board.workflow().done, { open: false })
    return tasksJson(replica).filter(keep)
  }

  /**
   * Open tasks (not done, unless `status` asks for a state) of every board held here that pass
   * the filters; by default this node's own: held or assigned (`mine`).
   */
  myTasks (query: TaskQuery = {}): BoardTask[] {
    const filter = { ...query, mine: query.mine ?? 'true' }
    const out: BoardTask[] = []
    for (const summary of this.list()) {
      const replica = this.init.replicas.list().find((r) => r.space === summary.board)
      if (replica === undefined) continue
      const keep = taskFilter(filter, this.init.identity.id, replica.board.workflow().done, { open: query.status === undefined })
      for (const t of tasksJson(replica)) if (keep(t)) out.push({ ...t, board: summary.board, boardName: summary.name })
    }
    return out
  }

  /**
   * Assigns a task (or clears its assignee): a `task/assign` entry. Only the board's creator, or
   * an admin of the organization the board is granted to, whose entry then names their admin proof.
   */
  async assign (board: string, task: string, assignee: string | null): Promise<Task> {
    const { log, identity, orgs } = this.init
    const replica = await this.init.replicas.open(board)
    if (!taskAssignSchema.shape.assignee.safeParse(assignee).success) throw new InvalidTaskError(`assignee ${String(assignee).slice(0, 128)} is not an identity id`)
    if (replica.board.task(task) === undefined) throw new UnknownTaskError(`no task ${task} on board ${replica.space}`)
    let refs
    if (identity.id !== replica.creator) {
      const org = this.orgOf(board)
      const state = org === null ? undefined : orgs.state(org)
      if (state === undefined || !currentAdmins(state).includes(identity.id)) {
        throw new UnauthorizedError(`only the board's creator (${replica.creator})${org === null ? '' : ` or an admin of its organization ${org}`} assigns tasks; this node is neither`)
      }
      refs = await roleRefs(log, board, { grant: undefined, state, member: identity.id, roles: ['admin'] })
    }
    await replica.assign(task, assignee, refs)
    return this.taskOf(replica, task)
  }

  async task (board: string, task: string): Promise<TaskDetail> {
    const replica = await this.init.replicas.open(board)
    const json = this.taskOf(replica, task)
    const history = await replica.history(task)
    return { task: json, claimants: claimJson(task, replica.claims().get(task)).claimants, history: history.map(historyJson) }
  }

  async editTask (board: string, task: string, fields: TaskFields): Promise<Task> {
    return await this.change(board, task, (b) => { b.editTask(task, fields) })
  }

  async moveTask (board: string, task: string, move: { status?: string, before?: string, after?: string }): Promise<Task> {
    return await this.change(board, task, (b) => { b.moveTask(task, move) })
  }

  async deleteTask (board: string, task: string): Promise<{ deleted: string }> {
    const replica = await this.init.replicas.open(board)
    await this.write(replica, (b) => { b.deleteTask(task) })
    return { deleted: task }
  }

  async comment (board: string, task: string, text: string): Promise<{ id: string, task: Task }> {
    const replica = await this.init.replicas.open(board)
    const id = await this.write(replica, (b) => b.comment(task, text))
    return { id, task: this.taskOf(replica, task) }
  }

  async depend (board: string, task: string, on: string): Promise<Task> {
    return await this.change(board, task, (b) => { b.depend(task, on) })
  }

  async undepend (board: string, task: string, on: string): Promise<Task> {
    return await this.change(board, task, (b) => { b.undepend(task, on) })
  }

  /** A task/claim or task/release entry of this node's; the claim state after it. */
  async claim (board: string, task: string, action: 'claim' | 'release'): Promise<ClaimResult> {
    const replica = await this.init.replicas.open(board)
    await this.init.replicas.assertWritable(replica)
    const held = replica.claims().get(task)?.claimants.some((cl) => cl.author === this.init.identity.id) === true
    // A release may name a task deleted since it was claimed; anything else must be on the board.
    if (replica.board.task(task) === undefined && !(action === 'release' && held)) throw new UnknownTaskError(`no task ${task} on board ${replica.space}`)
    const entry = action === 'claim' ? await replica.claim(task) : await replica.release(task)
    const claim = replica.claims().get(task)
    return { ...claimJson(task, claim), entry: entry.id.toString(), held: claim?.holder === this.init.identity.id }
  }

  private async change (board: string, task: string, fn: (b: Board) => void): Promise<Task> {
    const replica = await this.init.replicas.open(board)
    await this.write(replica, fn)
    return this.taskOf(replica, task)
  }

  /** Runs an edit of this node's and resolves once its entry is durable. */
  private async write<T> (replica: BoardReplica, fn: (board: Board) => T): Promise<T> {
    await this.init.replicas.assertWritable(replica)
    let result: T | undefined
    replica.edit((board) => { result = fn(board) })
    await replica.flush()
    return result as T
  }

  private taskOf (replica: BoardReplica, id: string): Task {
    const task = replica.board.task(id)
    if (task === undefined) throw new UnknownTaskError(`no task ${id} on board ${replica.space}`)
    return taskJson(task, taskContextOf(replica, task))
  }

  private async writable (replica: BoardReplica): Promise<boolean> {
    try {
      await this.init.replicas.assertWritable(replica)
      return true
    } catch (err) {
      if ((err as Error).name !== 'ReadOnlyBoardError') throw err
      return false
    }
  }

  private summary (r: BoardReplica): BoardSummary {
    // A board made as a granted space may carry its name only in its genesis.
    const name = r.board.name() !== '' ? r.board.name() : this.init.log.genesis(r.space)?.entry.body.name ?? ''
    return { board: r.space, name, creator: r.creator, org: this.orgOf(r.space), tasks: r.board.tasks().length, writers: r.writers() }
  }

  /** The org a board belongs to or is granted to, if any. */
  private orgOf (board: string): string | null {
    const policy = this.init.orgs.policy(board)
    return policy?.owner ?? grantingOrg(this.init.orgs, board) ?? null
  }

  private onlyAdministeredOrg (): string | undefined {
    const { log, identity, orgs } = this.init
    const mine = log.spaces().filter((s) => {
      const state = log.genesis(s)?.entry.body.kind === 'org' ? orgs.state(s) : undefined
      return state !== undefined && currentAdmins(state).includes(identity.id)
    })
    return mine.length === 1 ? mine[0] : undefined
  }

  /** Connected peers subscribed to the board's gossip topic: those replicating it live with this node. */
  private boardPeers (space: string): string[] {
    const { node } = this.init
    const pubsub = (node.libp2p.services as { pubsub?: { getSubscribers?: (topic: string) => Array<{ toString: () => string }> } }).pubsub
    const subscribers = new Set((pubsub?.getSubscribers?.(topicOf(space)) ?? []).map((p) => p.toString()))
    return node.peers().map((p) => p.id).filter((id) => subscribers.has(id)).sort()
  }
}


