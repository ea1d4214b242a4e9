import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as Y from 'yjs'
import { Board, claimState, workload, type ClaimRecord } from '@mutual/board'

function rec (type: 'task/claim' | 'task/release', task: string, author: string, seq: number, ts: [number, number], id: string): ClaimRecord {
  return { type, task, author, seq, ts, id }
}

describe('claims', () => {
  it('gives the task to the earliest active claim, then the lowest entry id', () => {
    const state = claimState([
      rec('task/claim', 't', 'bob', 1, [200, 0], 'b1'),
      rec('task/claim', 't', 'alice', 1, [100, 0], 'a1'),
      rec('task/claim', 'u', 'carol', 1, [100, 0], 'c9'),
      rec('task/claim', 'u', 'dave', 1, [100, 0], 'c2')
    ])
    expect(state.get('t')).toEqual({
      holder: 'alice',
      claimants: [{ author: 'alice', ts: [100, 0], entry: 'a1' }, { author: 'bob', ts: [200, 0], entry: 'b1' }],
      contested: true
    })
    expect(state.get('u')?.holder).toBe('dave')
  })

  it('lets an author\'s latest claim or release decide, by their seq', () => {
    const state = claimState([
      rec('task/claim', 't', 'alice', 1, [100, 0], 'a1'),
      rec('task/release', 't', 'alice', 2, [150, 0], 'a2'),
      rec('task/claim', 't', 'bob', 1, [200, 0], 'b1'),
      rec('task/claim', 'v', 'alice', 3, [160, 0], 'a3'),
      rec('task/claim', 'v', 'alice', 4, [170, 0], 'a4')
    ])
    expect(state.get('t')).toEqual({ holder: 'bob', claimants: [{ author: 'bob', ts: [200, 0], entry: 'b1' }], contested: false })
    // Claiming again without releasing keeps the first claim's place.
    expect(state.get('v')?.claimants).toEqual([{ author: 'alice', ts: [160, 0], entry: 'a3' }])
    expect(claimState([rec('task/claim', 'w', 'x', 1, [1, 0], 'x1'), rec('task/release', 'w', 'x', 2, [2, 0], 'x2')]).has('w')).toBe(false)
  })

  it('does not depend on the order entries are given in', () => {
    const record = fc.record({
      type: fc.constantFrom('task/claim' as const, 'task/release' as const),
      task: fc.constantFrom('t1', 't2', 't3'),
      author: fc.constantFrom('alice', 'bob', 'carol', 'dave'),
      wall: fc.integer({ min: 0, max: 5 }),
      logical: fc.integer({ min: 0, max: 2 }),
      id: fc.string({ minLength: 1, maxLength: 4 })
    })
    fc.assert(fc.property(fc.array(record, { maxLength: 40 }), fc.array(fc.nat(), { minLength: 40, maxLength: 40 }), (raw, swaps) => {
      const seqs = new Map<string, number>()
      const records = raw.map((r) => {
        const seq = (seqs.get(r.author) ?? 0) + 1
        seqs.set(r.author, seq)
        return rec(r.type, r.task, r.author, seq, [r.wall, r.logical], `${r.author}/${r.id}/${seq}`)
      })
      const shuffled = [...records]
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = swaps[i] % (i + 1)
        ;[shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]]
      }
      const a = claimState(records)
      const b = claimState(shuffled)
      expect([...b]).toEqual([...a])
      for (const claim of a.values()) {
        expect(claim.contested).toBe(claim.claimants.length > 1)
        expect(claim.holder).toBe(claim.claimants[0].author)
      }
    }), { numRuns: 500 })
  })

  it('sums open claimed estimates per holder', () => {
    const b = new Board(new Y.Doc())
    b.initialize('B')
    const x = b.addTask({ title: 'x', estimate: 3 })
    const y = b.addTask({ title: 'y', estimate: 5 })
    const z = b.addTask({ title: 'z', estimate: 8, status: 'review' })
    const claims = claimState([
      rec('task/claim', x, 'alice', 1, [1, 0], 'a1'),
      rec('task/claim', y, 'alice', 2, [2, 0], 'a2'),
      rec('task/claim', z, 'bob', 1, [3, 0], 'b1'),
      rec('task/claim', 'deleted', 'carol', 1, [3, 0], 'c1')
    ])
    expect(workload(b.tasks(), claims, 'done')).toEqual(new Map([['alice', 8], ['bob', 8]]))
    b.moveTask(z, { status: 'done' })
    expect(workload(b.tasks(), claims, 'done')).toEqual(new Map([['alice', 8]]))
  })
})
