import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { claimState, handoverRecord, type ClaimRecord } from '@mutual/board'

function rec (type: 'task/claim' | 'task/release', task: string, author: string, seq: number, ts: [number, number], id: string): ClaimRecord {
  return { type, task, author, seq, ts, id }
}

describe('claims with hand-overs', () => {
  it('makes the applicant the holder over earlier and later claims, not contested, the others listed behind', () => {
    const state = claimState([
      rec('task/claim', 't', 'alice', 1, [100, 0], 'a1'),
      handoverRecord('t', 'zoe', [150, 0], 'acc1'),
      rec('task/claim', 't', 'bob', 1, [200, 0], 'b1')
    ])
    expect(state.get('t')).toEqual({
      holder: 'zoe',
      claimants: [
        { author: 'zoe', ts: [150, 0], entry: 'acc1' },
        { author: 'alice', ts: [100, 0], entry: 'a1' },
        { author: 'bob', ts: [200, 0], entry: 'b1' }
      ],
      contested: false,
      handover: 'acc1'
    })
  })

  it('holds a task nobody claimed, and the latest hand-over (by stamp, then id) stands', () => {
    expect(claimState([handoverRecord('t', 'zoe', [150, 0], 'acc1')]).get('t')?.holder).toBe('zoe')
    const state = claimState([
      handoverRecord('t', 'zoe', [150, 0], 'acc1'),
      handoverRecord('t', 'yan', [300, 0], 'acc2'),
      handoverRecord('u', 'zoe', [300, 0], 'x2'),
      handoverRecord('u', 'yan', [300, 0], 'x1')
    ])
    expect(state.get('t')).toEqual(expect.objectContaining({ holder: 'yan', handover: 'acc2' }))
    expect(state.get('u')?.holder).toBe('zoe')
  })

  it("ends with the applicant's release stamped after it; a release before it does not", () => {
    const released = claimState([
      rec('task/claim', 't', 'alice', 1, [100, 0], 'a1'),
      handoverRecord('t', 'zoe', [150, 0], 'acc1'),
      rec('task/release', 't', 'zoe', 1, [160, 0], 'z1')
    ])
    expect(released.get('t')).toEqual({ holder: 'alice', claimants: [{ author: 'alice', ts: [100, 0], entry: 'a1' }], contested: false })
    const before = claimState([
      rec('task/claim', 't', 'zoe', 1, [100, 0], 'z1'),
      rec('task/release', 't', 'zoe', 2, [120, 0], 'z2'),
      handoverRecord('t', 'zoe', [150, 0], 'acc1')
    ])
    expect(before.get('t')?.holder).toBe('zoe')
    // Claiming again after releasing is an ordinary claim: it ranks by its stamp.
    const again = claimState([
      rec('task/claim', 't', 'alice', 1, [100, 0], 'a1'),
      handoverRecord('t', 'zoe', [150, 0], 'acc1'),
      rec('task/release', 't', 'zoe', 1, [160, 0], 'z1'),
      rec('task/claim', 't', 'zoe', 2, [170, 0], 'z2')
    ])
    expect(again.get('t')).toEqual(expect.objectContaining({ holder: 'alice', contested: true }))
  })

  it('does not depend on the order records are given in (seeded)', () => {
    const record = fc.record({
      type: fc.constantFrom('task/claim' as const, 'task/release' as const, 'handover' as const),
      task: fc.constantFrom('t1', 't2'),
      author: fc.constantFrom('alice', 'bob', 'zoe'),
      wall: fc.integer({ min: 0, max: 5 }),
      logical: fc.integer({ min: 0, max: 2 }),
      id: fc.string({ minLength: 1, maxLength: 4 })
    })
    fc.assert(fc.property(fc.array(record, { maxLength: 40 }), fc.array(fc.nat(), { minLength: 40, maxLength: 40 }), (raw, swaps) => {
      const seqs = new Map<string, number>()
      const records = raw.map((r, i) => {
        if (r.type === 'handover') return handoverRecord(r.task, r.author, [r.wall, r.logical], `acc/${r.id}/${i}`)
        const seq = (seqs.get(r.author) ?? 0) + 1
        seqs.set(r.author, seq)
        return rec(r.type, r.task, r.author, seq, [r.wall, r.logical], `${r.author}/${r.id}/${seq}`)
      })
      const shuffled = [...records]
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = swaps[i] % (i + 1)
        ;[shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]]
      }
      expect([...claimState(shuffled)]).toEqual([...claimState(records)])
    }), { seed: 11, numRuns: 500 })
  })
})
