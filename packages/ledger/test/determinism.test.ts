import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { ROLES, bytesEqual, cidOf, encode, type Role, type SignedEntry } from '@mutual/protocol'
import {
  CONTRIB_ALLOCATE, CONTRIB_ATTEST, CONTRIB_ENDORSE, CONTRIB_FEEDBACK, CONTRIB_RECORD, DISPUTE_OPEN, DISPUTE_RESOLVE,
  distribute, distributionHash, encodeDistribution, settle, verifySettlement
} from '@mutual/ledger'
import { LedgerBuilder, PERIOD, mapParticipants, namedIdentity, policy, sum } from './helpers.js'

const people = Array.from({ length: 6 }, (_, i) => namedIdentity(`random-${i}`))
const boards = [undefined, cidOf(encode({ board: 'random' }))]

const op = fc.oneof(
  { weight: 3, arbitrary: fc.record({ t: fc.constant('record' as const), who: fc.nat(5), task: fc.nat(3), board: fc.nat(1), effort: fc.nat(2000), day: fc.integer({ min: 0, max: 58 }), period: fc.constantFrom(PERIOD, PERIOD, '2025-04') }) },
  { weight: 6, arbitrary: fc.record({ t: fc.constant('attest' as const), who: fc.nat(5), target: fc.nat(20), accept: fc.nat(4).map((n) => n > 0), quality: fc.nat(5), day: fc.integer({ min: 1, max: 40 }) }) },
  fc.record({ t: fc.constant('feedback' as const), who: fc.nat(5), task: fc.nat(2), board: fc.nat(1), satisfaction: fc.integer({ min: 1, max: 5 }), day: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ t: fc.constant('endorse' as const), who: fc.nat(5), target: fc.nat(20), day: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ t: fc.constant('allocate' as const), who: fc.nat(5), to: fc.uniqueArray(fc.tuple(fc.nat(5), fc.integer({ min: 1, max: 80 })), { selector: ([to]) => to, maxLength: 4 }), day: fc.integer({ min: 20, max: 45 }) }),
  fc.record({ t: fc.constant('dispute' as const), who: fc.nat(5), target: fc.nat(20), day: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ t: fc.constant('resolve' as const), who: fc.nat(5), dispute: fc.nat(5), upheld: fc.boolean(), void: fc.boolean(), day: fc.integer({ min: 1, max: 40 }) })
)

const ledger = fc.record({
  // Most people are members and many review, so that contributions often count.
  roles: fc.array(fc.tuple(fc.subarray([...ROLES] as Role[]), fc.boolean(), fc.boolean())
    .map(([roles, member, reviewer]) => [...new Set([...roles, ...(member ? ['member' as const] : []), ...(reviewer ? ['reviewer' as const] : [])])]), { minLength: 6, maxLength: 6 }),
  agent: fc.option(fc.tuple(fc.nat(5), fc.nat(5)), { nil: undefined }),
  frozen: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.nat(5) }),
  ops: fc.array(op, { minLength: 10, maxLength: 60 }),
  seed: fc.integer()
})

type Ledger = typeof ledger extends fc.Arbitrary<infer T> ? T : never

function build (l: Ledger): SignedEntry[] {
  const b = new LedgerBuilder()
  const records: SignedEntry[] = []
  const disputes: SignedEntry[] = []
  const day = (d: number): number => Date.UTC(2025, 2, 1) + d * 86_400_000
  for (const o of l.ops) {
    const who = people[o.who]
    switch (o.t) {
      case 'record':
        records.push(b.add(who, CONTRIB_RECORD, {
          kind: 'work', effort: o.effort, summary: 's', evidence: [], period: o.period, task: `t${o.task}`,
          ...(boards[o.board] === undefined ? {} : { board: boards[o.board] })
        }, day(o.day)))
        break
      case 'attest': case 'endorse': case 'dispute': {
        const target = records[o.target % Math.max(records.length, 1)]
        if (target === undefined) break
        if (o.t === 'attest') b.add(who, CONTRIB_ATTEST, { contribution: target.id, verdict: o.accept ? 'accept' : 'reject', quality: o.quality, note: '' }, day(o.day), [target])
        else if (o.t === 'endorse') b.add(who, CONTRIB_ENDORSE, { contribution: target.id }, day(o.day), [target])
        else disputes.push(b.add(who, DISPUTE_OPEN, { target: target.id, reason: 'r' }, day(o.day), [target]))
        break
      }
      case 'feedback':
        b.add(who, CONTRIB_FEEDBACK, { task: `t${o.task}`, satisfaction: o.satisfaction, ...(boards[o.board] === undefined ? {} : { board: boards[o.board] }) }, day(o.day))
        break
      case 'allocate':
        b.add(who, CONTRIB_ALLOCATE, { period: PERIOD, points: o.to.map(([to, n]) => [people[to].id, n]) }, day(o.day))
        break
      case 'resolve': {
        const dispute = disputes[o.dispute % Math.max(disputes.length, 1)]
        if (dispute === undefined) break
        b.add(who, DISPUTE_RESOLVE, { dispute: dispute.id, outcome: o.upheld ? 'upheld' : 'dismissed', note: '', ...(o.upheld && o.void ? { void: true } : {}) }, day(o.day), [dispute])
      }
    }
  }
  return b.entries
}

function participantsOf (l: Ledger): ReturnType<typeof mapParticipants> {
  const grants = Object.fromEntries(people.map((p, i) => [p.id, l.roles[i]]))
  const operators = l.agent !== undefined && l.agent[0] !== l.agent[1] ? { [people[l.agent[0]].id]: people[l.agent[1]].id } : {}
  return mapParticipants(grants, operators)
}

/** A permutation from a seed (mulberry32), so fast-check can shrink and replay it. */
function shuffle<T> (items: T[], seed: number): T[] {
  let s = seed >>> 0
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1))
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}

describe('determinism', () => {
  it('gives byte-identical distributions and hashes for the same entries in any order, with duplicates', () => {
    let contested = 0
    let ignoring = 0
    fc.assert(fc.property(ledger, (l) => {
      const entries = build(l)
      const participants = participantsOf(l)
      const options = l.frozen === undefined ? {} : { frozen: new Set([people[l.frozen].id]) }
      const a = distribute(policy(), entries, participants, PERIOD, options)
      const shuffled = shuffle([...entries, ...entries.slice(0, 3)], l.seed)
      const b = distribute(policy(), shuffled, participants, PERIOD, options)
      expect(bytesEqual(encodeDistribution(a), encodeDistribution(b))).toBe(true)
      // The distribution's own encoder writes exactly what the general DAG-CBOR encoder writes.
      expect(bytesEqual(encodeDistribution(a), encode(a))).toBe(true)
      expect(distributionHash(a)).toBe(distributionHash(b))
      // Shares are whole parts per million that sum to exactly one million, or there are none.
      expect(a.shares.every((s) => Number.isSafeInteger(s.ppm) && s.ppm >= 0)).toBe(true)
      if (a.shares.length > 0) expect(sum(a.shares)).toBe(1_000_000)
      else expect(Object.values(a.totals).every((total) => total === 0)).toBe(true)
      // Frozen identities are paid nothing.
      for (const id of options.frozen ?? []) expect(a.shares.find((s) => s.participant === id)).toBeUndefined()
      if (a.shares.length >= 2) contested++
      if (a.ignored.length > 0) ignoring++
    }), { numRuns: 150 })
    // The generator makes ledgers where the rules bite: several paid participants, entries left out.
    expect(contested).toBeGreaterThan(15)
    expect(ignoring).toBeGreaterThan(30)
  })

  it('verifies its own settlement from the entries in any order', () => {
    fc.assert(fc.property(ledger, (l) => {
      const entries = build(l)
      const participants = participantsOf(l)
      const d = distribute(policy(), entries, participants, PERIOD)
      const settler = namedIdentity('settler')
      const body = settle(d, cidOf(encode({ policy: 1 })))
      const b = new LedgerBuilder()
      const entry = b.add(settler, 'settlement', body, Date.UTC(2025, 3, 2)) as SignedEntry
      const check = verifySettlement(entry, policy(), shuffle(entries, l.seed), participants)
      expect(check).toMatchObject({ ok: true, missing: [], extra: [] })
      expect(check.actual).toBe(check.expected)
    }), { numRuns: 50 })
  })
})
