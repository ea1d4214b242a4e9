import { describe, expect, it } from 'vitest'
import type { BoardDetail, Task } from '@mutual/client'
import { columnsOf, countsOf, isBlocked, moved, placementIn } from '../src/board/columns.js'

const task = (id: string, status: string, extra: Partial<Task> = {}): Task => ({
  id, title: `Task ${id}`, description: '', status, rank: id, estimate: 1, labels: [], dependencies: [], due: null, comments: [],
  createdBy: 'me', createdAt: '2026-01-01T00:00:00.000Z', entered: { at: '2026-01-01T00:00:00.000Z', by: 'me' }, holder: null, contested: false, ready: true,
  assignee: null, assignedBy: null, confirmed: false, blocked: false, overLimit: false, ...extra
})

const board = (tasks: Task[]): BoardDetail => ({
  board: 'b', name: 'B', creator: 'me', writers: [], writable: true,
  workflow: { states: [{ id: 'todo', name: 'To do' }, { id: 'doing', name: 'Doing', wip: 2 }, { id: 'done', name: 'Done' }], done: 'done' },
  tasks, claims: [], workload: [], ready: [], sync: { vector: {}, entries: 0, joined: true, peers: [], pending: 0 }
} as unknown as BoardDetail)

describe('board columns', () => {
  it('groups by state in order and filters by text, label, mine and ready; WIP counts ignore filters', () => {
    const b = board([task('a', 'todo', { labels: ['web'] }), task('b', 'doing', { holder: 'me' }), task('c', 'todo', { ready: false, title: 'Fix login' })])
    expect(columnsOf(b, { text: '', label: '', mine: false, ready: false }, 'me')).toEqual({ todo: ['a', 'c'], doing: ['b'], done: [] })
    expect(columnsOf(b, { text: 'login', label: '', mine: false, ready: false }, 'me').todo).toEqual(['c'])
    expect(columnsOf(b, { text: '', label: 'web', mine: false, ready: false }, 'me').todo).toEqual(['a'])
    expect(columnsOf(b, { text: '', label: '', mine: true, ready: false }, 'me')).toEqual({ todo: [], doing: ['b'], done: [] })
    expect(columnsOf(b, { text: '', label: '', mine: false, ready: true }, 'me').todo).toEqual(['a'])
    expect(countsOf(b)).toEqual({ todo: 2, doing: 1 })
  })

  it('tells a move the API way: a neighbour in the new order', () => {
    const cols = { todo: ['a', 'b', 'c'], doing: ['d'] }
    const down = moved(cols, 'a', 'todo', 2)
    expect(down.todo).toEqual(['b', 'c', 'a'])
    expect(placementIn('todo', down.todo, 'a')).toEqual({ status: 'todo', after: 'c' })
    const across = moved(cols, 'b', 'doing', 0)
    expect(across).toEqual({ todo: ['a', 'c'], doing: ['b', 'd'] })
    expect(placementIn('doing', across.doing, 'b')).toEqual({ status: 'doing', before: 'd' })
    expect(placementIn('done', ['x'], 'x')).toEqual({ status: 'done' })
  })

  it('marks a task blocked while a dependency is not done', () => {
    const dep = task('d', 'doing')
    const t = task('t', 'todo', { dependencies: ['d'] })
    expect(isBlocked(t, new Map([['d', dep]]), 'done')).toBe(true)
    expect(isBlocked(t, new Map([['d', { ...dep, status: 'done' }]]), 'done')).toBe(false)
  })
})
