/**
 * Determinism across three nodes: the same ledger entries, signed once and delivered to three
 * in-process logs in three different orders (refs and predecessors arriving late are held as
 * pending by the log until they come), give byte-identical distributions with the same hash;
 * a settlement signed on one node verifies on the others, and fails when an input entry is
 * altered, missing or added.
 */
import { describe, expect, it } from 'vitest'
import { Log, genesisPolicy, memoryStore } from '@mutual/log'
import { RecordRegistry, baseRecordTypes, cidOf, encode, signEntry, unsignedFields, type Identity, type SignedEntry } from '@mutual/protocol'
import {
  CONTRIB_ALLOCATE, CONTRIB_ATTEST, CONTRIB_ENDORSE, CONTRIB_FEEDBACK, CONTRIB_RECORD, DISPUTE_OPEN, DISPUTE_RESOLVE, SETTLEMENT,
  distribute, distributionHash, encodeDistribution, ledgerAuthorizer, ledgerRecordTypes, periodOf, settle, verifySettlement
} from '@mutual/ledger'
import { mapParticipants, namedIdentity, policy } from './helpers.js'

const names = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank']
const people = Object.fromEntries(names.map((n) => [n, namedIdentity(`determinism-${n}`)])) as Record<string, Identity>
const participants = mapParticipants({
  [people.alice.id]: ['admin', 'member', 'reviewer'],
  [people.bob.id]: ['member'],
  [people.carol.id]: ['member', 'reviewer'],
  [people.dave.id]: ['member', 'reviewer'],
  [people.erin.id]: ['consumer'],
  [people.frank.id]: ['auditor', 'consumer']
})
const POLICY = policy({ minAttestations: 1 })
const POLICY_ENTRY = cidOf(encode({ proposal: 'determinism policy' }))

function ledgerLog (): Log {
  return new Log({
    store: memoryStore(),
    registry: new RecordRegistry([...baseRecordTypes(), ...ledgerRecordTypes()]),
    authorizers: [genesisPolicy(), ledgerAuthorizer(participants)]
  })
}

/** A deterministic shuffle (mulberry32). */
function shuffle<T> (items: T[], seed: number): T[] {
  let a = seed >>> 0
  const rand = (): number => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]]
  }
  return out
}

async function all (log: Log, space: string): Promise<SignedEntry[]> {
  const out: SignedEntry[] = []
  for await (const e of log.spaceEntries(space)) out.push(e)
  return out
}

/** Writes a month of ledger activity on a source log; returns the space, the period and every entry's bytes (genesis first). */
async function source (): Promise<{ space: string, period: string, genesis: SignedEntry, entries: SignedEntry[], log: Log }> {
  const log = ledgerLog()
  await log.start()
  const { alice, bob, carol, dave, erin, frank } = people
  const genesis = await log.createSpace(alice, {
    kind: 'ledger', name: 'determinism', policy: { write: 'listed', writers: Object.values(people).map((p) => p.id) }, encrypted: false, nonce: new Uint8Array(16)
  })
  const space = genesis.space
  const period = periodOf([Date.now(), 0])
  const records: SignedEntry[] = []
  for (const [i, who] of [bob, carol, dave, alice, bob, carol, dave, bob].entries()) {
    records.push(await log.append(who, space, CONTRIB_RECORD, {
      task: `task-${i % 4}`, kind: i % 3 === 0 ? 'work' : 'review', effort: 300 + i * 125, summary: `piece ${i}`, evidence: [], period
    }))
  }
  const reviewers = [alice, carol, dave]
  for (const [i, r] of records.entries()) {
    for (const [k, reviewer] of reviewers.entries()) {
      if (reviewer.id === r.entry.author || (i + k) % 3 === 2) continue
      await log.append(reviewer, space, CONTRIB_ATTEST, { contribution: r.id, verdict: (i + k) % 5 === 0 ? 'reject' : 'accept', quality: (i + k) % 6, note: '' }, [r.id])
    }
  }
  for (const [i, r] of records.entries()) {
    const endorser = [alice, bob, carol, dave][(i + 1) % 4]
    if (endorser.id !== r.entry.author) await log.append(endorser, space, CONTRIB_ENDORSE, { contribution: r.id }, [r.id])
  }
  for (let t = 0; t < 4; t++) {
    await log.append(erin, space, CONTRIB_FEEDBACK, { task: `task-${t}`, satisfaction: 1 + t })
    await log.append(frank, space, CONTRIB_FEEDBACK, { task: `task-${t}`, satisfaction: 5 - t })
  }
  await log.append(bob, space, CONTRIB_ALLOCATE, { period, points: [[carol.id, 40], [dave.id, 30], [alice.id, 30]] })
  await log.append(carol, space, CONTRIB_ALLOCATE, { period, points: [[bob.id, 60], [dave.id, 40]] })
  const dispute = await log.append(dave, space, DISPUTE_OPEN, { target: records[7].id, reason: 'duplicate of piece 4' }, [records[7].id])
  await log.append(frank, space, DISPUTE_RESOLVE, { dispute: dispute.id, outcome: 'upheld', note: 'same work', void: true }, [dispute.id])
  const entries = (await all(log, space)).filter((e) => e.entry.type !== 'space/genesis')
  return { space, period, genesis, entries, log }
}

describe('ledger determinism across three nodes', () => {
  it('gives byte-identical distributions whatever order the entries arrive in, and a settlement that verifies everywhere', async () => {
    const src = await source()
    const hashes: string[] = []
    const encodings: Uint8Array[] = []
    const nodes: Array<{ log: Log, entries: SignedEntry[] }> = []
    for (const seed of [1, 2, 3]) {
      const log = ledgerLog()
      await log.start()
      // Node 1 gets them in write order, the others shuffled (children before parents, refs late): pending until complete.
      const order = seed === 1 ? src.entries : shuffle(src.entries, seed * 7919)
      if (seed !== 1) expect(order.map((e) => e.id.toString())).not.toEqual(src.entries.map((e) => e.id.toString()))
      await log.ingest(src.genesis.bytes)
      for (const e of order) await log.ingest(e.bytes, { durable: false })
      await log.flush()
      expect(log.pending).toBe(0)
      const entries = await all(log, src.space)
      expect(entries.length).toBe(src.entries.length + 1)
      const d = distribute(POLICY, shuffle(entries, seed), participants, src.period)
      hashes.push(distributionHash(d))
      encodings.push(encodeDistribution(d))
      nodes.push({ log, entries })
    }
    expect(new Set(hashes).size).toBe(1)
    expect(Buffer.from(encodings[1]).equals(Buffer.from(encodings[0]))).toBe(true)
    expect(Buffer.from(encodings[2]).equals(Buffer.from(encodings[0]))).toBe(true)

    const d = distribute(POLICY, nodes[0].entries, participants, src.period)
    expect(d.shares.reduce((n, s) => n + s.ppm, 0)).toBe(1_000_000)
    expect(d.contributions.some((c) => c.reason === 'voided')).toBe(true)

    // Alice settles on node 1; the settlement reaches the others, where it verifies.
    const settlement = await nodes[0].log.append(people.alice, src.space, SETTLEMENT, settle(d, POLICY_ENTRY))
    for (const node of nodes.slice(1)) {
      expect((await node.log.ingest(settlement.bytes)).status).toBe('added')
      const check = verifySettlement(settlement, POLICY, await all(node.log, src.space), participants)
      expect(check).toMatchObject({ ok: true, missing: [], extra: [] })
    }

    const inputs = nodes[2].entries
    const record = inputs.find((e) => e.entry.type === CONTRIB_RECORD) as SignedEntry<any>
    const author = Object.values(people).find((p) => p.id === record.entry.author) as Identity

    // Altered: the same author re-signs the same seq with more effort.
    const altered = signEntry(author, { ...unsignedFields(record.entry), body: { ...record.entry.body, effort: record.entry.body.effort + 1 } })
    const alteredCheck = verifySettlement(settlement, POLICY, inputs.map((e) => e === record ? altered as SignedEntry : e), participants)
    expect(alteredCheck.ok).toBe(false)
    expect(alteredCheck.missing).toContain(record.id.toString())
    expect(alteredCheck.extra).toContain(altered.id.toString())

    // Missing: one input left out (the entries about it leave the scope with it).
    const missingCheck = verifySettlement(settlement, POLICY, inputs.filter((e) => e !== record), participants)
    expect(missingCheck).toMatchObject({ ok: false, extra: [] })
    expect(missingCheck.missing).toContain(record.id.toString())

    // Added: a contribution recorded after the settlement, on node 3.
    const late = await nodes[2].log.append(people.dave, src.space, CONTRIB_RECORD, { kind: 'work', effort: 10, summary: 'late', evidence: [], period: src.period })
    const addedCheck = verifySettlement(settlement, POLICY, await all(nodes[2].log, src.space), participants)
    expect(addedCheck).toMatchObject({ ok: false, missing: [], extra: [late.id.toString()] })
    expect(addedCheck.actual).not.toBe(addedCheck.expected)

    for (const node of nodes) await node.log.stop()
    await src.log.stop()
  })
})

describe('encodeDistribution', () => {
  it('writes the same bytes as the general DAG-CBOR encoder', async () => {
    const src = await source()
    const d = distribute(POLICY, src.entries, participants, src.period)
    expect(Buffer.from(encodeDistribution(d)).equals(Buffer.from(encode(d)))).toBe(true)
    // Odd shapes too: large and negative integers, non-ASCII strings, nested empties; undefined falls back (and throws there).
    const odd = { ...d, period: 'März ✓', totals: { ...d.totals, effort: 2 ** 40 + 3, quality: -1, satisfaction: 65_536, endorsement: 255, allocation: 24 }, frozen: [], shares: [] }
    expect(Buffer.from(encodeDistribution(odd)).equals(Buffer.from(encode(odd)))).toBe(true)
    await src.log.stop()
  })
})
