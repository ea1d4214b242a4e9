import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Board, defaultWorkflow, type Workflow } from '@mutual/board'

function board (): Board {
  let n = 0
  return new Board(new Y.Doc(), { author: 'alice', now: () => Date.UTC(2025, 0, 1), newId: () => `t${++n}` })
}

const wipWorkflow: Workflow = {
  states: [{ id: 'todo', name: 'To do' }, { id: 'doing', name: 'Doing', wip: 1 }, { id: 'done', name: 'Done' }],
  transitions: 'any',
  done: 'done'
}

describe('board model', () => {
  it('adds tasks at the end of their column with every field', () => {
    const b = board()
    b.initialize('Launch')
    const a = b.addTask({ title: 'Write spec', description: 'the protocol', estimate: 3, labels: ['docs'], due: '2025-02-01' })
    const c = b.addTask({ title: 'Review spec' })
    expect(b.name()).toBe('Launch')
    expect(b.task(a)).toEqual({
      id: a,
      title: 'Write spec',
      description: 'the protocol',
      status: 'todo',
      rank: expect.any(String),
      estimate: 3,
      labels: ['docs'],
      dependencies: [],
      due: '2025-02-01',
      comments: [],
      createdBy: 'alice',
      createdAt: '2025-01-01T00:00:00.000Z',
      entered: { at: '2025-01-01T00:00:00.000Z', by: 'alice' }
    })
    expect(b.tasks().map((t) => t.id)).toEqual([a, c])
    expect(b.task(a)!.rank < b.task(c)!.rank).toBe(true)
  })

  it('edits fields, keeping the description a live Y.Text', () => {
    const b = board()
    const id = b.addTask({ title: 'T', description: 'hello world' })
    const text = b.description(id)
    b.editTask(id, { title: 'T2', description: 'hello brave world', estimate: 5, labels: ['x', 'y'], due: null })
    expect(b.description(id)).toBe(text)
    expect(b.task(id)).toMatchObject({ title: 'T2', description: 'hello brave world', estimate: 5, labels: ['x', 'y'], due: null })
  })

  it('refuses bad fields and changes nothing', () => {
    const b = board()
    const id = b.addTask({ title: 'T' })
    const before = Y.encodeStateVector(b.doc)
    for (const edit of [{ title: '' }, { title: 'x'.repeat(201) }, { estimate: -1 }, { estimate: Number.NaN }, { labels: [''] }, { due: 'tomorrow' }]) {
      expect(() => { b.editTask(id, edit) }).toThrow(expect.objectContaining({ name: 'InvalidTaskError' }))
    }
    expect(() => b.addTask({ title: '  ' })).toThrow(expect.objectContaining({ name: 'InvalidTaskError' }))
    expect(() => { b.editTask('nope', { title: 'x' }) }).toThrow(expect.objectContaining({ name: 'UnknownTaskError' }))
    expect(Y.encodeStateVector(b.doc)).toEqual(before)
  })

  it('moves along the workflow and refuses forbidden transitions', () => {
    const b = board()
    b.initialize('B')
    const id = b.addTask({ title: 'T' })
    expect(() => { b.moveTask(id, { status: 'done' }) }).toThrow(expect.objectContaining({ name: 'TransitionError' }))
    expect(() => { b.moveTask(id, { status: 'nowhere' }) }).toThrow(expect.objectContaining({ name: 'TransitionError' }))
    b.moveTask(id, { status: 'doing' })
    b.moveTask(id, { status: 'review' })
    b.moveTask(id, { status: 'doing' })
    b.moveTask(id, { status: 'review' })
    b.moveTask(id, { status: 'done' })
    expect(b.task(id)?.status).toBe('done')
  })

  it('allows any move from a state without listed transitions', () => {
    const b = board()
    b.initialize('B', wipWorkflow)
    const id = b.addTask({ title: 'T' })
    b.moveTask(id, { status: 'done' })
    b.moveTask(id, { status: 'todo' })
    expect(b.task(id)?.status).toBe('todo')
  })

  it('enforces WIP limits on moves and adds', () => {
    const b = board()
    b.initialize('B', wipWorkflow)
    const x = b.addTask({ title: 'x' })
    const y = b.addTask({ title: 'y' })
    b.moveTask(x, { status: 'doing' })
    expect(() => { b.moveTask(y, { status: 'doing' }) }).toThrow(expect.objectContaining({ name: 'WipLimitError' }))
    expect(() => b.addTask({ title: 'z', status: 'doing' })).toThrow(expect.objectContaining({ name: 'WipLimitError' }))
    b.moveTask(x, { status: 'doing' }) // staying put is not entering
    b.moveTask(x, { status: 'done' })
    b.moveTask(y, { status: 'doing' })
    expect(b.task(y)?.status).toBe('doing')
  })

  it('reorders within a column by rank, never by delete and reinsert', () => {
    const b = board()
    const [t1, t2, t3] = ['a', 'b', 'c'].map((title) => b.addTask({ title }))
    const map = b.doc.getMap('tasks').get(t3)
    b.moveTask(t3, { before: t1 })
    expect(b.tasks().map((t) => t.id)).toEqual([t3, t1, t2])
    b.moveTask(t3, { after: t1 })
    expect(b.tasks().map((t) => t.id)).toEqual([t1, t3, t2])
    b.moveTask(t1, { after: t2 })
    expect(b.tasks().map((t) => t.id)).toEqual([t3, t2, t1])
    b.moveTask(t1, { after: t3, before: t2 })
    expect(b.tasks().map((t) => t.id)).toEqual([t3, t1, t2])
    expect(b.doc.getMap('tasks').get(t3)).toBe(map)
    expect(() => { b.moveTask(t1, { before: t1 }) }).toThrow(expect.objectContaining({ name: 'InvalidTaskError' }))
    expect(() => { b.moveTask(t1, { before: 'ghost' }) }).toThrow(expect.objectContaining({ name: 'UnknownTaskError' }))
  })

  it('orders tasks by state order, then rank', () => {
    const b = board()
    b.initialize('B')
    const a = b.addTask({ title: 'a' })
    const c = b.addTask({ title: 'c', status: 'review' })
    const d = b.addTask({ title: 'd', status: 'doing' })
    const e = b.addTask({ title: 'e' })
    expect(b.tasks().map((t) => t.id)).toEqual([a, e, d, c])
  })

  it('keeps dependencies acyclic and computes ready tasks', () => {
    const b = board()
    b.initialize('B', wipWorkflow)
    const [x, y, z] = ['x', 'y', 'z'].map((title) => b.addTask({ title }))
    b.depend(y, x)
    b.depend(z, y)
    b.depend(z, y) // again: no duplicate
    expect(b.task(z)?.dependencies).toEqual([y])
    expect(() => { b.depend(x, z) }).toThrow(expect.objectContaining({ name: 'DependencyCycleError' }))
    expect(() => { b.depend(x, x) }).toThrow(expect.objectContaining({ name: 'DependencyCycleError' }))
    expect(() => { b.depend(x, 'ghost') }).toThrow(expect.objectContaining({ name: 'UnknownTaskError' }))
    expect(b.ready().map((t) => t.id)).toEqual([x])
    b.moveTask(x, { status: 'done' })
    expect(b.ready().map((t) => t.id)).toEqual([y])
    b.undepend(z, y)
    expect(b.ready().map((t) => t.id).sort()).toEqual([y, z].sort())
  })

  it('deletes a task and drops it from dependencies', () => {
    const b = board()
    const [x, y] = ['x', 'y'].map((title) => b.addTask({ title }))
    b.depend(y, x)
    b.deleteTask(x)
    expect(b.task(x)).toBeUndefined()
    expect(b.task(y)?.dependencies).toEqual([])
    expect(() => { b.deleteTask(x) }).toThrow(expect.objectContaining({ name: 'UnknownTaskError' }))
  })

  it('adds comments by the view\'s author', () => {
    const b = board()
    const id = b.addTask({ title: 'x' })
    const c = b.comment(id, 'looks good')
    expect(b.task(id)?.comments).toEqual([{ id: c, author: 'alice', at: '2025-01-01T00:00:00.000Z', text: 'looks good' }])
    expect(() => b.comment(id, '')).toThrow(expect.objectContaining({ name: 'InvalidTaskError' }))
  })

  it('validates workflows and refuses dropping states in use', () => {
    const b = board()
    b.initialize('B')
    const id = b.addTask({ title: 'x' })
    b.moveTask(id, { status: 'doing' })
    const bad: unknown[] = [
      { states: [], done: 'x' },
      { states: [{ id: 'a', name: 'A' }, { id: 'a', name: 'A2' }], done: 'a' },
      { states: [{ id: 'a', name: 'A' }], done: 'b' },
      { states: [{ id: 'a', name: 'A' }], transitions: { a: ['zz'] }, done: 'a' },
      { states: [{ id: 'a', name: 'A', wip: 0 }], transitions: 'any', done: 'a' },
      { states: [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }], done: 'b' },
      { states: [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }], transitions: {}, done: 'b' },
      { states: [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }], transitions: { a: [] }, done: 'b' },
      { states: [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }], transitions: 'every', done: 'b' },
      { states: [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }], transitions: 'any', active: ['c'], done: 'b' }
    ]
    for (const wf of bad) expect(() => { b.setWorkflow(wf as Workflow) }).toThrow(expect.objectContaining({ name: 'InvalidWorkflowError' }))
    expect(() => { b.setWorkflow({ states: [{ id: 'todo', name: 'To do' }, { id: 'done', name: 'Done' }], transitions: 'any', done: 'done' }) })
      .toThrow(expect.objectContaining({ name: 'InvalidWorkflowError' }))
    b.setWorkflow({ ...defaultWorkflow(), transitions: 'any' })
    expect(b.workflow().transitions).toBe('any')
  })

  it('reads a document written by anyone without failing', () => {
    const doc = new Y.Doc()
    const tasks = doc.getMap<unknown>('tasks')
    tasks.set('junk', 42)
    const m = new Y.Map<unknown>()
    tasks.set('odd', m)
    m.set('title', 7)
    m.set('labels', 'not an array')
    m.set('estimate', -3)
    doc.getMap('workflow').set('states', 'nope')
    const b = new Board(doc)
    expect(b.workflow()).toEqual(defaultWorkflow())
    expect(b.tasks()).toEqual([expect.objectContaining({ id: 'odd', title: '', labels: [], estimate: 0 })])
  })
})
