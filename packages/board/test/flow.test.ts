import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as Y from 'yjs'
import {
  Board, BoardReplica, assignmentState, boardAssignRule, changeWorkflow, createBoard, defaultWorkflow, overLimit,
  type AssignRecord, type ClaimRecord, type Workflow
} from '@mutual/board'
import { boardLog, identities } from './helpers.js'

const assign = (task: string, assignee: string | null, author: string, ts: [number, number], id: string): AssignRecord => ({ type: 'task/assign', task, assignee, author, ts, id })
const claim = (task: string, author: string, ts: [number, number], id: string): ClaimRecord => ({ type: 'task/claim', task, author, seq: 1, ts, id })

function board (): Board {
  let n = 0
  let clock = Date.UTC(2025, 0, 1)
  return new Board(new Y.Doc(), { author: 'alice', now: () => clock++, newId: () => `t${++n}` })
}

describe('assignments', () => {
  it('keeps the latest assignment per task by stamp, then entry id; a cleared one leaves the task out', () => {
    const state = assignmentState([
      assign('t', 'bob', 'admin', [100, 0], 'a1'),
      assign('t', 'carol', 'admin', [200, 0], 'a2'),
      assign('u', 'bob', 'admin', [100, 0], 'a9'),
      assign('u', 'dave', 'admin', [100, 0], 'a3'),
      assign('v', 'bob', 'admin', [100, 0], 'a4'),
      assign('v', null, 'admin', [300, 0], 'a5'),
      claim('t', 'carol', [250, 0], 'c1'),
      claim('u', 'erin', [50, 0], 'c2')
    ])
    expect(state.get('t')).toEqual({ assignee: 'carol', assignedBy: 'admin', entry: 'a2', ts: [200, 0], confirmed: true })
    expect(state.get('u')).toMatchObject({ assignee: 'bob', entry: 'a9', confirmed: false })
    expect(state.has('v')).toBe(false)
  })

  it('does not depend on the order entries are given in', () => {
    const record = fc.record({
      task: fc.constantFrom('t', 'u'),
      assignee: fc.constantFrom('bob', 'carol', null),
      ts: fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 2 })),
      id: fc.integer({ min: 0, max: 9 })
    })
    fc.assert(fc.property(fc.array(record, { maxLength: 12 }), fc.array(fc.nat()), (records, order) => {
      const all = records.map((r, i) => assign(r.task, r.assignee, 'admin', r.ts as [number, number], `e${r.id}-${i}`))
      const shuffled = [...all]
      for (const [i, n] of (all.length === 0 ? [] : order).entries()) {
        const j = n % (shuffled.length || 1)
        const k = i % (shuffled.length || 1)
        ;[shuffled[j], shuffled[k]] = [shuffled[k], shuffled[j]]
      }
      expect([...assignmentState(shuffled)]).toEqual([...assignmentState(all)])
    }), { seed: 11, numRuns: 200 })
  })

  it('lets only the creator assign on a board of its own, and an admin where `administers` says so', async () => {
    const [alice, bob] = await identities(2)
    const log = await boardLog()
    const space = await createBoard(log, alice, { name: 'B' })
    const replica = new BoardReplica({ log, space, identity: alice })
    await replica.start()
    const task = replica.board.addTask({ title: 'x' })
    await replica.flush()
    await replica.grant(bob.id)
    await replica.assign(task, bob.id)
    expect(replica.assignments().get(task)).toMatchObject({ assignee: bob.id, assignedBy: alice.id, confirmed: false })
    // Bob writes the board (granted) but does not administer it.
    let grant: any
    for await (const e of log.entries(space, alice.id, 1)) if (e.entry.type === 'board/grant') grant = e
    await expect(log.append(bob, space, 'task/assign', { task, assignee: bob.id }, [grant.id])).rejects.toMatchObject({ name: 'UnauthorizedError' })
    const genesis = log.genesis(space)!
    const entry = { entry: { type: 'task/assign', author: bob.id }, space } as any
    expect(() => { boardAssignRule().authorize(entry, genesis, []) }).toThrow(expect.objectContaining({ name: 'UnauthorizedError' }))
    expect(() => { boardAssignRule({ administers: () => true }).authorize(entry, genesis, []) }).not.toThrow()
    await replica.claim(task)
    expect(replica.assignments().get(task)?.confirmed).toBe(false)
    await replica.stop()
    await log.stop()
  })
})

describe('dependencies block', () => {
  it('refuses an active state while a dependency is unfinished, and allows it once the dependency is done', () => {
    const b = board()
    b.initialize('B', { ...defaultWorkflow(), transitions: 'any' })
    const spec = b.addTask({ title: 'spec' })
    const build = b.addTask({ title: 'build' })
    b.depend(build, spec)
    for (const status of ['doing', 'review', 'done']) {
      expect(() => { b.moveTask(build, { status }) }).toThrow(expect.objectContaining({ name: 'BlockedTaskError' }))
    }
    expect(b.task(build)?.status).toBe('todo')
    b.moveTask(spec, { status: 'done' })
    b.moveTask(build, { status: 'doing' })
    expect(b.task(build)?.status).toBe('doing')
    // Moved back concurrently, say: readers mark it.
    b.moveTask(spec, { status: 'review' })
    expect(b.blocked().map((t) => t.id)).toEqual([build])
  })

  it('blocks only the states the workflow names active', () => {
    const b = board()
    b.initialize('B', { ...defaultWorkflow(), transitions: 'any', active: ['doing'] })
    const spec = b.addTask({ title: 'spec' })
    const build = b.addTask({ title: 'build' })
    b.depend(build, spec)
    b.moveTask(build, { status: 'review' })
    expect(() => { b.moveTask(build, { status: 'doing' }) }).toThrow(expect.objectContaining({ name: 'BlockedTaskError' }))
    expect(b.blocked()).toEqual([])
  })
})

describe('WIP settlement', () => {
  it('puts the tasks that entered a state last past its limit, ties by id', () => {
    const wf: Pick<Workflow, 'states'> = { states: [{ id: 'todo', name: 'To do' }, { id: 'doing', name: 'Doing', wip: 2 }] }
    const at = (iso: string): { at: string, by: string } => ({ at: iso, by: 'x' })
    const tasks = [
      { id: 'c', status: 'doing', entered: at('2025-01-01T00:00:03Z') },
      { id: 'b', status: 'doing', entered: at('2025-01-01T00:00:01Z') },
      { id: 'a', status: 'doing', entered: at('2025-01-01T00:00:03Z') },
      { id: 'd', status: 'todo', entered: at('2025-01-01T00:00:09Z') }
    ]
    expect([...overLimit(tasks, wf)]).toEqual(['c'])
    expect([...overLimit(tasks.slice(1), wf)]).toEqual([])
  })
})

describe('workflow changes', () => {
  const wf = (): Workflow => defaultWorkflow()

  it('sets and clears a WIP limit, adds, renames and removes states', () => {
    expect(changeWorkflow(wf(), { op: 'set-wip', state: 'doing', wip: 3 }).states[1]).toEqual({ id: 'doing', name: 'Doing', wip: 3 })
    expect(changeWorkflow(changeWorkflow(wf(), { op: 'set-wip', state: 'doing', wip: 3 }), { op: 'set-wip', state: 'doing', wip: null }).states[1]).toEqual({ id: 'doing', name: 'Doing' })
    const added = changeWorkflow(wf(), { op: 'add-state', state: 'qa', name: 'QA' })
    expect(added.states.map((s) => s.id)).toEqual(['todo', 'doing', 'review', 'qa', 'done'])
    expect((added.transitions as Record<string, string[]>).qa).toEqual([])
    expect(changeWorkflow(wf(), { op: 'add-state', state: 'qa', after: 'todo' }).states.map((s) => s.id)).toEqual(['todo', 'qa', 'doing', 'review', 'done'])
    expect(changeWorkflow(wf(), { op: 'rename-state', state: 'todo', name: 'Backlog' }).states[0].name).toBe('Backlog')
    const removed = changeWorkflow(wf(), { op: 'remove-state', state: 'review' })
    expect(removed.states.map((s) => s.id)).toEqual(['todo', 'doing', 'done'])
    expect(removed.transitions).toEqual({ todo: ['doing'], doing: ['todo'], done: [] })
  })

  it('allows and disallows moves, sets the done and active states', () => {
    expect((changeWorkflow(wf(), { op: 'allow', from: 'todo', to: 'done' }).transitions as Record<string, string[]>).todo).toEqual(['doing', 'done'])
    expect((changeWorkflow(wf(), { op: 'disallow', from: 'doing', to: 'todo' }).transitions as Record<string, string[]>).doing).toEqual(['review'])
    const anyWf = changeWorkflow(wf(), { op: 'allow-any' })
    expect(anyWf.transitions).toBe('any')
    expect((changeWorkflow(anyWf, { op: 'disallow', from: 'todo', to: 'done' }).transitions as Record<string, string[]>).todo).toEqual(['doing', 'review'])
    expect(changeWorkflow(wf(), { op: 'set-done', state: 'review' }).done).toBe('review')
    expect(changeWorkflow(wf(), { op: 'set-active', states: ['doing'] }).active).toEqual(['doing'])
    expect(changeWorkflow({ ...wf(), active: ['doing'] }, { op: 'set-active', states: null }).active).toBeUndefined()
  })

  it('refuses what would not be a workflow', () => {
    const bad = [
      { op: 'set-wip', state: 'nope', wip: 2 },
      { op: 'set-wip', state: 'doing', wip: 0 },
      { op: 'add-state', state: 'doing' },
      { op: 'add-state', state: 'qa', after: 'nope' },
      { op: 'rename-state', state: 'todo', name: '' },
      { op: 'remove-state', state: 'done' },
      { op: 'allow', from: 'todo', to: 'nope' },
      { op: 'disallow', from: 'todo', to: 'todo' },
      { op: 'set-done', state: 'nope' },
      { op: 'set-active', states: ['nope'] },
      { op: 'explode' }
    ]
    for (const change of bad) expect(() => changeWorkflow(wf(), change as any), JSON.stringify(change)).toThrow(expect.objectContaining({ name: 'InvalidWorkflowError' }))
    // Disallowing every move leaves a workflow without moves.
    let two: Workflow = { states: [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }], transitions: { a: ['b'], b: [] }, done: 'b' }
    expect(() => { two = changeWorkflow(two, { op: 'disallow', from: 'a', to: 'b' }) }).toThrow(expect.objectContaining({ name: 'InvalidWorkflowError' }))
  })

  it('reads a stored workflow without transitions as allowing every move', () => {
    const doc = new Y.Doc()
    doc.getMap('workflow').set('states', [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }])
    doc.getMap('workflow').set('done', 'b')
    expect(new Board(doc).workflow()).toEqual({ states: [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }], transitions: 'any', done: 'b' })
  })
})
