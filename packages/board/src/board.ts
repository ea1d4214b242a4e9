import * as Y from 'yjs'
import { BlockedTaskError, DependencyCycleError, InvalidTaskError, TransitionError, UnknownTaskError, WipLimitError, InvalidWorkflowError } from './errors.js'
import { rankBetween } from './rank.js'
import { LIMITS, checkFields, compareRank, randomId, readTask, replaceText, type NewTask, type Task, type TaskEdit } from './task.js'
import { activeStates, allowsTransition, defaultWorkflow, readWorkflow, validateWorkflow, writeWorkflow, type Workflow } from './workflow.js'

export interface BoardInit {
  /** identity id recorded as a new task's `createdBy` and a comment's author */
  author?: string
  /** origin of the Yjs transactions this view makes (a replica tells its own edits apart by it) */
  origin?: unknown
  /** wall clock in ms, for `createdAt` and comment times */
  now?: () => number
  /** task and comment ids; defaults to 12 random base32 characters */
  newId?: () => string
}

/** Where to move a task: a new state, and a place in its column before or after another task. */
export interface MoveTo {
  status?: string
  before?: string
  after?: string
}

/** Names of the document's root types. */
export const ROOTS = { tasks: 'tasks', workflow: 'workflow', meta: 'meta' } as const

/**
 * The task model over a Y.Doc (DESIGN §5, task boards): tasks keyed by id in the root map
 * `tasks`, the workflow in `workflow`, the board's name in `meta`. Every change is one Yjs
 * transaction, checked before anything is written, so a refused change leaves the document as
 * it was. Workflow rules (transitions, WIP limits, no dependency cycles) are checked against
 * this replica's view: concurrent changes elsewhere can still cross them, and readers cope.
 */
export class Board {
  readonly doc: Y.Doc
  private readonly tasksMap: Y.Map<unknown>
  private readonly workflowMap: Y.Map<unknown>
  private readonly metaMap: Y.Map<unknown>
  private readonly author: string
  private readonly origin: unknown
  private readonly now: () => number
  private readonly newId: () => string

  constructor (doc: Y.Doc, init: BoardInit = {}) {
    this.doc = doc
    this.tasksMap = doc.getMap(ROOTS.tasks)
    this.workflowMap = doc.getMap(ROOTS.workflow)
    this.metaMap = doc.getMap(ROOTS.meta)
    this.author = init.author ?? ''
    this.origin = init.origin ?? null
    this.now = init.now ?? Date.now
    this.newId = init.newId ?? randomId
  }

  /** Writes the board's name and workflow; done once, by `createBoard`, in the board's first update. */
  initialize (name: string, workflow: Workflow = defaultWorkflow()): void {
    const wf = validateWorkflow(workflow)
    this.change(() => {
      this.metaMap.set('name', name)
      writeWorkflow(this.workflowMap, wf)
    })
  }

  name (): string {
    const name = this.metaMap.get('name')
    return typeof name === 'string' ? name : ''
  }

  rename (name: string): void {
    if (typeof name !== 'string' || name.length > LIMITS.title) throw new InvalidTaskError(`a board name is at most ${LIMITS.title} characters`)
    this.change(() => { this.metaMap.set('name', name) })
  }

  workflow (): Workflow {
    return readWorkflow(this.workflowMap)
  }

  /** Replaces the workflow; refused (InvalidWorkflowError) if it is malformed or drops a state that tasks are in. */
  setWorkflow (input: Workflow): void {
    const wf = validateWorkflow(input)
    const states = new Set(wf.states.map((s) => s.id))
    for (const task of this.tasks()) {
      if (!states.has(task.status)) throw new InvalidWorkflowError(`task ${task.id} is in state "${task.status}", which the workflow drops`)
    }
    this.change(() => { writeWorkflow(this.workflowMap, wf) })
  }

  /** Adds a task at the end of its state's column; returns its id. */
  addTask (input: NewTask): string {
    if (input === null || typeof input !== 'object' || input.title === undefined) throw new InvalidTaskError('a task needs a title')
    checkFields(input)
    const wf = this.workflow()
    const status = input.status ?? wf.states[0].id
    this.checkEnter(wf, status)
    const column = this.column(status)
    const rank = rankBetween(column.at(-1)?.rank ?? null, null, column.map((t) => t.rank))
    let id = this.newId()
    while (this.tasksMap.has(id)) id = this.newId()
    this.change(() => {
      const m = new Y.Map<unknown>()
      this.tasksMap.set(id, m)
      m.set('title', input.title)
      m.set('description', new Y.Text(input.description ?? ''))
      m.set('status', status)
      m.set('rank', rank)
      m.set('estimate', input.estimate ?? 0)
      m.set('labels', [...(input.labels ?? [])])
      m.set('dependencies', new Y.Array<string>())
      m.set('due', input.due ?? null)
      m.set('comments', new Y.Array<unknown>())
      m.set('createdBy', this.author)
      m.set('createdAt', new Date(this.now()).toISOString())
    })
    return id
  }

  editTask (id: string, edit: TaskEdit): void {
    const m = this.taskMap(id)
    checkFields(edit)
    this.change(() => {
      if (edit.title !== undefined) m.set('title', edit.title)
      if (edit.description !== undefined) {
        const text = m.get('description')
        if (text instanceof Y.Text) replaceText(text, edit.description)
        else m.set('description', new Y.Text(edit.description))
      }
      if (edit.estimate !== undefined) m.set('estimate', edit.estimate)
      if (edit.labels !== undefined) m.set('labels', [...edit.labels])
      if (edit.due !== undefined) m.set('due', edit.due)
    })
  }

  /** The description as a live Y.Text, for editors that bind to it. */
  description (id: string): Y.Text {
    const m = this.taskMap(id)
    let text = m.get('description')
    if (!(text instanceof Y.Text)) {
      text = new Y.Text(typeof text === 'string' ? text : '')
      this.change(() => { m.set('description', text) })
    }
    return text as Y.Text
  }

  /**
   * Moves a task to another state and/or another place in its column by giving it a new rank;
   * never by deleting and reinserting it. Without before/after, a task entering a state goes to
   * the end of its column.
   */
  moveTask (id: string, to: MoveTo): void {
    const m = this.taskMap(id)
    const current = this.mustTask(id)
    const wf = this.workflow()
    const status = to.status ?? current.status
    if (status !== current.status) {
      if (!allowsTransition(wf, current.status, status)) throw new TransitionError(`the workflow does not allow ${current.status} → ${status}`)
      this.checkEnter(wf, status, id)
      const waiting = this.waitingOn(current, wf)
      if (waiting.length > 0 && activeStates(wf).has(status)) {
        throw new BlockedTaskError(`task ${id} waits on unfinished ${waiting.length === 1 ? 'task' : 'tasks'} ${waiting.join(', ')}: it cannot enter "${status}" before ${waiting.length === 1 ? 'it is' : 'they are'} ${wf.done}`)
      }
    }
    const column = this.column(status).filter((t) => t.id !== id)
    const ranks = column.map((t) => t.rank)
    const at = (other: string): number => {
      this.mustTask(other)
      if (other === id) throw new InvalidTaskError('a task cannot be placed relative to itself')
      const i = column.findIndex((t) => t.id === other)
      if (i < 0) throw new InvalidTaskError(`task ${other} is not in state "${status}"`)
      return i
    }
    let rank: string | undefined
    if (to.before !== undefined || to.after !== undefined) {
      let left: string | null
      let right: string | null
      if (to.after !== undefined && to.before !== undefined) {
        left = column[at(to.after)].rank
        right = column[at(to.before)].rank
      } else if (to.after !== undefined) {
        const i = at(to.after)
        left = column[i].rank
        right = column[i + 1]?.rank ?? null
      } else {
        const i = at(to.before as string)
        left = column[i - 1]?.rank ?? null
        right = column[i].rank
      }
      rank = rankBetween(left, right, ranks)
    } else if (status !== current.status) {
      rank = rankBetween(ranks.at(-1) ?? null, null, ranks)
    }
    if (status === current.status && rank === undefined) return
    this.change(() => {
      if (status !== current.status) {
        m.set('status', status)
        // Read by `overLimit`: who entered a state first keeps their place under its WIP limit.
        m.set('entered', { at: new Date(this.now()).toISOString(), by: this.author })
      }
      if (rank !== undefined) m.set('rank', rank)
    })
  }

  /** Deletes a task and drops it from other tasks' dependencies. */
  deleteTask (id: string): void {
    this.taskMap(id)
    this.change(() => {
      this.tasksMap.delete(id)
      for (const value of this.tasksMap.values()) {
        const deps = value instanceof Y.Map ? value.get('dependencies') : undefined
        if (deps instanceof Y.Array) removeAll(deps, id)
      }
    })
  }

  /** Adds a comment by this view's author; returns its id. */
  comment (id: string, text: string): string {
    const m = this.taskMap(id)
    if (typeof text !== 'string' || text.trim() === '' || text.length > LIMITS.comment) {
      throw new InvalidTaskError(`a comment is non-empty text of at most ${LIMITS.comment} characters`)
    }
    const commentId = this.newId()
    this.change(() => {
      let comments = m.get('comments')
      if (!(comments instanceof Y.Array)) m.set('comments', comments = new Y.Array<unknown>())
      ;(comments as Y.Array<unknown>).push([{ id: commentId, author: this.author, at: new Date(this.now()).toISOString(), text }])
    })
    return commentId
  }

  /** Makes `id` wait for `on`; refused if `on` already waits for `id`, directly or not. */
  depend (id: string, on: string): void {
    const m = this.taskMap(id)
    this.taskMap(on)
    if (id === on) throw new DependencyCycleError(`task ${id} cannot depend on itself`)
    const tasks = new Map(this.allTasks().map((t) => [t.id, t]))
    if (tasks.get(id)?.dependencies.includes(on) === true) return
    const seen = new Set<string>()
    const stack = [on]
    while (stack.length > 0) {
      const next = stack.pop() as string
      if (next === id) throw new DependencyCycleError(`task ${on} already depends on ${id}`)
      if (seen.has(next)) continue
      seen.add(next)
      stack.push(...(tasks.get(next)?.dependencies ?? []))
    }
    this.change(() => {
      let deps = m.get('dependencies')
      if (!(deps instanceof Y.Array)) m.set('dependencies', deps = new Y.Array<string>())
      ;(deps as Y.Array<string>).push([on])
    })
  }

  undepend (id: string, on: string): void {
    const deps = this.taskMap(id).get('dependencies')
    if (!(deps instanceof Y.Array) || !deps.toArray().includes(on)) return
    this.change(() => { removeAll(deps, on) })
  }

  task (id: string): Task | undefined {
    return readTask(id, this.tasksMap.get(id))
  }

  /** Every task, by the workflow's state order (unknown states last), then rank within a state. */
  tasks (): Task[] {
    const order = new Map(this.workflow().states.map((s, i) => [s.id, i]))
    const pos = (t: Task): number => order.get(t.status) ?? order.size
    return this.allTasks().sort((a, b) => pos(a) - pos(b) || (a.status < b.status ? -1 : a.status > b.status ? 1 : 0) || compareRank(a, b))
  }

  /** Tasks not done whose dependencies are all done (dependencies on deleted tasks count as done). */
  ready (): Task[] {
    const done = this.workflow().done
    const tasks = this.tasks()
    const status = new Map(tasks.map((t) => [t.id, t.status]))
    return tasks.filter((t) => t.status !== done && t.dependencies.every((d) => (status.get(d) ?? done) === done))
  }

  /**
   * Tasks in one of the workflow's active states while a dependency is unfinished. Moves there
   * are refused (BlockedTaskError), but concurrent edits elsewhere (a dependency added, or moved
   * back, as the task moved on) can still cross the rule: readers mark these tasks.
   */
  blocked (): Task[] {
    const wf = this.workflow()
    const active = activeStates(wf)
    return this.tasks().filter((t) => active.has(t.status) && this.waitingOn(t, wf).length > 0)
  }

  /** Whether `task` is among `ready()`, reading only its dependencies. */
  isReady (task: Task): boolean {
    const done = this.workflow().done
    return task.status !== done && task.dependencies.every((d) => (this.task(d)?.status ?? done) === done)
  }

  /** Whether `task` is among `blocked()`, reading only its dependencies. */
  isBlocked (task: Task): boolean {
    const wf = this.workflow()
    return activeStates(wf).has(task.status) && this.waitingOn(task, wf).length > 0
  }

  /** The tasks in state `status`, in no particular order; reads only the others' status. */
  inState (status: string): Task[] {
    const out: Task[] = []
    for (const [id, value] of this.tasksMap.entries()) {
      if (!(value instanceof Y.Map) || value.get('status') !== status) continue
      const task = readTask(id, value)
      if (task !== undefined) out.push(task)
    }
    return out
  }

  /** The dependencies of `task` on the board and not done. */
  private waitingOn (task: Task, wf: Workflow): string[] {
    return task.dependencies.filter((d) => {
      const dep = this.tasksMap.get(d)
      return dep instanceof Y.Map && dep.get('status') !== wf.done
    })
  }

  private allTasks (): Task[] {
    const out: Task[] = []
    for (const [id, value] of this.tasksMap.entries()) {
      const task = readTask(id, value)
      if (task !== undefined) out.push(task)
    }
    return out
  }

  /** The id and rank of each task in a state, in column order; reads only those two fields. */
  private column (status: string): Array<Pick<Task, 'id' | 'rank'>> {
    const out: Array<Pick<Task, 'id' | 'rank'>> = []
    for (const [id, value] of this.tasksMap.entries()) {
      if (!(value instanceof Y.Map) || value.get('status') !== status) continue
      const rank = value.get('rank')
      out.push({ id, rank: typeof rank === 'string' ? rank : '' })
    }
    return out.sort(compareRank)
  }

  private checkEnter (wf: Workflow, status: string, moving?: string): void {
    const state = wf.states.find((s) => s.id === status)
    if (state === undefined) throw new TransitionError(`no state "${status}" in the workflow`)
    if (state.wip !== undefined) {
      const count = this.column(status).filter((t) => t.id !== moving).length
      if (count >= state.wip) throw new WipLimitError(`state "${status}" is at its limit of ${state.wip} tasks`)
    }
  }

  private taskMap (id: string): Y.Map<unknown> {
    const m = this.tasksMap.get(id)
    if (!(m instanceof Y.Map)) throw new UnknownTaskError(`no task ${String(id).slice(0, 64)}`)
    return m as Y.Map<unknown>
  }

  private mustTask (id: string): Task {
    const task = this.task(id)
    if (task === undefined) throw new UnknownTaskError(`no task ${String(id).slice(0, 64)}`)
    return task
  }

  private change (fn: () => void): void {
    this.doc.transact(fn, this.origin)
  }
}

function removeAll (array: Y.Array<unknown>, value: unknown): void {
  const items = array.toArray()
  for (let i = items.length - 1; i >= 0; i--) if (items[i] === value) array.delete(i, 1)
}
