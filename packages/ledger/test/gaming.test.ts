import { describe, expect, it } from 'vitest'
import { cidString, type SignedEntry } from '@mutual/protocol'
import {
  CONTRIB_ALLOCATE, CONTRIB_ATTEST, CONTRIB_ENDORSE, CONTRIB_FEEDBACK, CONTRIB_RECORD, DISPUTE_OPEN, DISPUTE_RESOLVE,
  distribute, type Distribution, type Participants
} from '@mutual/ledger'
import { LedgerBuilder, PERIOD, attestBody, mapParticipants, march, namedIdentity, policy, recordBody, sum } from './helpers.js'

const alice = namedIdentity('alice')
const bob = namedIdentity('bob')
const carol = namedIdentity('carol')
const agent = namedIdentity('agent')
const rita = namedIdentity('rita')
const ray = namedIdentity('ray')
const cody = namedIdentity('cody')
const audrey = namedIdentity('audrey')

type Roles = Parameters<typeof mapParticipants>[0]

function team (extra: Roles = {}): Participants {
  return mapParticipants({
    [alice.id]: ['member', 'admin'],
    [bob.id]: ['member'],
    [carol.id]: ['member', 'union-rep'],
    [agent.id]: ['agent', 'reviewer'],
    [rita.id]: ['reviewer'],
    [ray.id]: ['reviewer'],
    [cody.id]: ['consumer'],
    [audrey.id]: ['auditor'],
    ...extra
  }, { [agent.id]: alice.id })
}

const run = (b: LedgerBuilder, participants = team(), overrides = {}, frozen?: Set<string>): Distribution =>
  distribute(policy(overrides), b.entries, participants, PERIOD, frozen === undefined ? {} : { frozen })
const line = (d: Distribution, e: SignedEntry): Distribution['contributions'][number] | undefined =>
  d.contributions.find((c) => c.id === cidString(e.id))
const ignoredReason = (d: Distribution, e: SignedEntry): string | undefined => d.ignored.find((i) => i.id === cidString(e.id))?.reason
const ppm = (d: Distribution, id: string): number => d.shares.find((s) => s.participant === id)?.ppm ?? 0

/** Alice and Bob each record work that Rita accepts. */
function twoContributions (): { b: LedgerBuilder, a1: SignedEntry, b1: SignedEntry } {
  const b = new LedgerBuilder()
  const a1 = b.add(alice, CONTRIB_RECORD, recordBody({ task: 't1', effort: 300 }), march(2))
  const b1 = b.add(bob, CONTRIB_RECORD, recordBody({ task: 't2', effort: 100 }), march(2))
  b.add(rita, CONTRIB_ATTEST, attestBody(a1, 3), march(3), [a1])
  b.add(rita, CONTRIB_ATTEST, attestBody(b1, 3), march(3), [b1])
  return { b, a1, b1 }
}

describe('gaming limits', () => {
  it('ignores self-attestation, including by the author\'s agent', () => {
    const b = new LedgerBuilder()
    const a1 = b.add(alice, CONTRIB_RECORD, recordBody(), march(2))
    const self = b.add(alice, CONTRIB_ATTEST, attestBody(a1, 5), march(3), [a1])
    const byAgent = b.add(agent, CONTRIB_ATTEST, attestBody(a1, 5), march(3), [a1])
    const d = run(b, team({ [alice.id]: ['member', 'reviewer'] }))
    expect(ignoredReason(d, self)).toBe('self-attestation')
    expect(ignoredReason(d, byAgent)).toBe('self-attestation')
    expect(line(d, a1)).toMatchObject({ counted: false, reason: 'too-few-attestations', accepts: 0 })
    expect(d.shares).toEqual([])
  })

  it('ignores attestations by identities not holding reviewer at the attestation\'s point', () => {
    const b = new LedgerBuilder()
    const a1 = b.add(alice, CONTRIB_RECORD, recordBody(), march(2))
    const byMember = b.add(bob, CONTRIB_ATTEST, attestBody(a1), march(3), [a1])
    const early = b.add(ray, CONTRIB_ATTEST, attestBody(a1), march(4), [a1])
    const participants = team({ [ray.id]: [{ role: 'reviewer', from: march(10) }] })
    let d = run(b, participants)
    expect(ignoredReason(d, byMember)).toBe('not-reviewer')
    expect(ignoredReason(d, early)).toBe('not-reviewer')
    expect(line(d, a1)?.counted).toBe(false)
    // Once Ray holds the role, an attestation of his counts.
    b.add(ray, CONTRIB_ATTEST, attestBody(a1), march(11), [a1])
    d = run(b, participants)
    expect(line(d, a1)).toMatchObject({ counted: true, accepts: 1 })
    expect(ppm(d, alice.id)).toBe(1_000_000)
  })

  it('counts one attestation per reviewer: the earliest', () => {
    const b = new LedgerBuilder()
    const a1 = b.add(alice, CONTRIB_RECORD, recordBody(), march(2))
    b.add(rita, CONTRIB_ATTEST, attestBody(a1, 2), march(3), [a1])
    const again = b.add(rita, CONTRIB_ATTEST, attestBody(a1, 5), march(4), [a1])
    const d = run(b, team(), { minAttestations: 2 })
    expect(ignoredReason(d, again)).toBe('duplicate-attestation')
    expect(line(d, a1)).toMatchObject({ counted: false, reason: 'too-few-attestations', accepts: 1, quality: 2000 })
  })

  it('does not count a contribution that as many reviewers reject as accept', () => {
    const b = new LedgerBuilder()
    const a1 = b.add(alice, CONTRIB_RECORD, recordBody(), march(2))
    b.add(rita, CONTRIB_ATTEST, attestBody(a1, 4), march(3), [a1])
    b.add(ray, CONTRIB_ATTEST, attestBody(a1, 1, 'reject'), march(3), [a1])
    expect(line(run(b), a1)).toMatchObject({ counted: false, reason: 'rejected', accepts: 1, rejects: 1 })
  })

  it('ignores feedback by identities without the consumer role', () => {
    const { b, a1 } = twoContributions()
    const byMember = b.add(bob, CONTRIB_FEEDBACK, { task: 't1', satisfaction: 1 }, march(5))
    const d = run(b)
    expect(ignoredReason(d, byMember)).toBe('not-consumer')
    expect(line(d, a1)).toMatchObject({ ratings: 0, satisfaction: 0 })
  })

  it('keeps a consumer\'s earliest feedback per task and ignores later duplicates', () => {
    const { b, a1, b1 } = twoContributions()
    const first = b.add(cody, CONTRIB_FEEDBACK, { task: 't1', satisfaction: 2 }, march(5))
    const later = b.add(cody, CONTRIB_FEEDBACK, { task: 't1', satisfaction: 5 }, march(6))
    const otherTask = b.add(cody, CONTRIB_FEEDBACK, { task: 't2', satisfaction: 5 }, march(6))
    const d = run(b)
    expect(ignoredReason(d, later)).toBe('duplicate-feedback')
    expect(ignoredReason(d, first)).toBeUndefined()
    expect(ignoredReason(d, otherTask)).toBeUndefined()
    expect(line(d, a1)).toMatchObject({ ratings: 1, satisfaction: 1000 })
    expect(line(d, b1)).toMatchObject({ ratings: 1, satisfaction: 4000 })
  })

  it('does not count contributions recorded outside their period, nor those of other periods', () => {
    const b = new LedgerBuilder()
    const late = b.add(alice, CONTRIB_RECORD, recordBody(), Date.UTC(2025, 4, 2)) // May, for March
    const early = b.add(bob, CONTRIB_RECORD, recordBody(), Date.UTC(2025, 1, 27)) // February, for March
    const graceful = b.add(carol, CONTRIB_RECORD, recordBody(), Date.UTC(2025, 3, 2)) // April, for March: the grace month
    const april = b.add(carol, CONTRIB_RECORD, recordBody({ period: '2025-04' }), Date.UTC(2025, 3, 3))
    for (const c of [late, early, graceful, april]) b.add(rita, CONTRIB_ATTEST, attestBody(c), Date.UTC(2025, 4, 3), [c])
    const d = run(b)
    expect(line(d, late)).toMatchObject({ counted: false, reason: 'outside-period' })
    expect(line(d, early)).toMatchObject({ counted: false, reason: 'outside-period' })
    expect(line(d, graceful)).toMatchObject({ counted: true })
    expect(line(d, april)).toBeUndefined()
    expect(d.inputs).not.toContain(cidString(april.id))
    expect(d.shares).toEqual([{ participant: carol.id, ppm: 1_000_000, agents: [] }])
  })

  it('ignores an allocation over the budget, points to oneself, and superseded allocations', () => {
    const { b } = twoContributions()
    const over = b.add(alice, CONTRIB_ALLOCATE, { period: PERIOD, points: [[bob.id, 60], [carol.id, 41]] }, march(28))
    const first = b.add(bob, CONTRIB_ALLOCATE, { period: PERIOD, points: [[alice.id, 100]] }, march(27))
    const second = b.add(bob, CONTRIB_ALLOCATE, { period: PERIOD, points: [[carol.id, 70], [bob.id, 30]] }, march(28))
    const d = run(b, team(), { weights: { effort: 0, quality: 0, satisfaction: 0, endorsement: 0, allocation: 10_000 } })
    const alloc = (e: SignedEntry): Distribution['allocations'][number] | undefined => d.allocations.find((a) => a.id === cidString(e.id))
    expect(alloc(over)).toMatchObject({ counted: false, reason: 'over-budget' })
    expect(alloc(first)).toMatchObject({ counted: false, reason: 'superseded' })
    expect(alloc(second)).toMatchObject({ counted: true, points: [[carol.id, 70]], dropped: [[bob.id, 'self']] })
    expect(d.shares).toEqual([{ participant: carol.id, ppm: 1_000_000, agents: [] }])
  })

  it('freezes an equivocating author: nothing they wrote counts, nothing is paid to them, and it is flagged', () => {
    const { b, a1, b1 } = twoContributions()
    const endorse = b.add(alice, CONTRIB_ENDORSE, { contribution: b1.id }, march(5), [b1])
    b.add(carol, CONTRIB_ALLOCATE, { period: PERIOD, points: [[alice.id, 50], [bob.id, 50]] }, march(28))
    const before = run(b)
    expect(ppm(before, alice.id)).toBeGreaterThan(0)
    const d = run(b, team(), {}, new Set([alice.id, namedIdentity('stranger').id]))
    expect(line(d, a1)).toMatchObject({ counted: false, reason: 'frozen-author' })
    expect(ignoredReason(d, endorse)).toBe('frozen-author')
    expect(d.allocations[0].dropped).toEqual([[alice.id, 'frozen-author']])
    expect(d.frozen).toEqual([alice.id])
    expect(d.shares).toEqual([{ participant: bob.id, ppm: 1_000_000, agents: [] }])
  })

  it('freezes an agent whose operator equivocated', () => {
    const b = new LedgerBuilder()
    const d1 = b.add(agent, CONTRIB_RECORD, recordBody(), march(2))
    b.add(rita, CONTRIB_ATTEST, attestBody(d1), march(3), [d1])
    expect(line(run(b, team(), {}, new Set([alice.id])), d1)).toMatchObject({ counted: false, reason: 'frozen-author' })
  })

  it('ignores self-endorsement and duplicate endorsements', () => {
    const { b, a1 } = twoContributions()
    const self = b.add(alice, CONTRIB_ENDORSE, { contribution: a1.id }, march(5), [a1])
    b.add(bob, CONTRIB_ENDORSE, { contribution: a1.id }, march(5), [a1])
    const twice = b.add(bob, CONTRIB_ENDORSE, { contribution: a1.id, note: 'again' }, march(6), [a1])
    const outsider = b.add(cody, CONTRIB_ENDORSE, { contribution: a1.id }, march(6), [a1])
    const d = run(b)
    expect(ignoredReason(d, self)).toBe('self-endorsement')
    expect(ignoredReason(d, twice)).toBe('duplicate-endorsement')
    expect(ignoredReason(d, outsider)).toBe('not-member')
    expect(line(d, a1)?.endorsements).toBe(1)
  })
})

describe('disputes', () => {
  function disputed (): { b: LedgerBuilder, a1: SignedEntry, x: SignedEntry } {
    const { b, a1 } = twoContributions()
    const x = b.add(carol, DISPUTE_OPEN, { target: a1.id, reason: 'copied' }, march(10), [a1])
    return { b, a1, x }
  }
  const resolve = (b: LedgerBuilder, who: typeof alice, x: SignedEntry, day: number, outcome = 'upheld', isVoid = true): SignedEntry =>
    b.add(who, DISPUTE_RESOLVE, { dispute: x.id, outcome, note: '', ...(isVoid ? { void: true } : {}) }, march(day), [x])

  it('an auditor alone voids the contribution', () => {
    const { b, a1, x } = disputed()
    resolve(b, audrey, x, 11)
    const d = run(b)
    expect(line(d, a1)).toMatchObject({ counted: false, reason: 'voided' })
    expect(d.shares).toEqual([{ participant: bob.id, ppm: 1_000_000, agents: [] }])
  })

  it('an admin alone does not; an admin and a union representative together do', () => {
    const { b, a1, x } = disputed()
    const byAdmin = resolve(b, bob, x, 11) // Bob is not admin here: ignored
    resolve(b, namedIdentity('root'), x, 12)
    const participants = team({ [namedIdentity('root').id]: ['admin'] })
    expect(ignoredReason(run(b, participants), byAdmin)).toBe('not-resolver')
    expect(line(run(b, participants), a1)?.counted).toBe(true)
    resolve(b, carol, x, 13)
    const d = run(b, participants)
    expect(line(d, a1)).toMatchObject({ counted: false, reason: 'voided' })
    expect(d.disputes[0]).toMatchObject({ status: 'upheld', void: true })
  })

  it('one identity holding both admin and union-rep is not a pair', () => {
    const { b, a1, x } = disputed()
    resolve(b, carol, x, 11)
    const participants = team({ [carol.id]: ['member', 'admin', 'union-rep'] })
    expect(line(run(b, participants), a1)?.counted).toBe(true)
    resolve(b, alice, x, 12) // Alice is the author: her own resolution never counts
    const d = run(b, participants)
    expect(line(d, a1)?.counted).toBe(true)
    expect(d.ignored.map((i) => i.reason)).toContain('self-resolution')
  })

  it('the first decision stands: a dismissal is not overturned by a later resolution of the same dispute', () => {
    const { b, a1, x } = disputed()
    resolve(b, audrey, x, 11, 'dismissed', false)
    const later = resolve(b, audrey, x, 12)
    const d = run(b)
    expect(line(d, a1)?.counted).toBe(true)
    expect(ignoredReason(d, later)).toBe('after-decision')
    expect(d.disputes[0]).toMatchObject({ status: 'dismissed', void: false })
  })

  it('upheld without void keeps the contribution', () => {
    const { b, a1, x } = disputed()
    resolve(b, audrey, x, 11, 'upheld', false)
    expect(line(run(b), a1)?.counted).toBe(true)
  })
})

describe('shares', () => {
  it('are empty when nothing counts, and sum to 1,000,000 otherwise', () => {
    expect(run(new LedgerBuilder()).shares).toEqual([])
    const { b } = twoContributions()
    const d = run(b)
    expect(sum(d.shares)).toBe(1_000_000)
    // 300 and 100 effort at equal quality: 3:1 on the effort and quality components, which are all that is in use.
    expect(d.shares).toEqual([{ participant: alice.id, ppm: 750_000, agents: [] }, { participant: bob.id, ppm: 250_000, agents: [] }]
      .sort((x, y) => x.participant < y.participant ? -1 : 1))
  })

  it('break remainder ties by the lower identity id', () => {
    const b = new LedgerBuilder()
    for (const who of [alice, bob, carol]) {
      const c = b.add(who, CONTRIB_RECORD, recordBody({ effort: 100 }), march(2))
      b.add(rita, CONTRIB_ATTEST, attestBody(c), march(3), [c])
    }
    const d = run(b)
    const ids = [alice.id, bob.id, carol.id].sort()
    expect(d.shares.map((s) => [s.participant, s.ppm])).toEqual([[ids[0], 333_334], [ids[1], 333_333], [ids[2], 333_333]])
  })
})
