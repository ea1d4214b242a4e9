import { describe, expect, it } from 'vitest'
import { RecordRegistry, baseRecordTypes, cidOf, cidString, encode, signEntry, type SignedEntry } from '@mutual/protocol'
import {
  CONTRIB_ENDORSE, CONTRIB_RECORD, SETTLEMENT, distributionHash, ledgerRecordTypes, settle, verifySettlement
} from '@mutual/ledger'
import { LedgerBuilder, PERIOD, namedIdentity, recordBody } from './helpers.js'
import { workedExample } from './example.js'

const POLICY_ENTRY = cidOf(encode({ proposal: 'policy v1' }))

function settled (): { example: ReturnType<typeof workedExample>, settlement: SignedEntry } {
  const example = workedExample()
  const body = settle(example.distribution, POLICY_ENTRY)
  const settlement = new LedgerBuilder().add(namedIdentity('alice'), SETTLEMENT, body, Date.UTC(2025, 3, 2)) as SignedEntry
  return { example, settlement }
}

describe('settlement', () => {
  it('commits to the hash and the sorted input ids, and fits its record type', () => {
    const { example, settlement } = settled()
    const body = settlement.entry.body as ReturnType<typeof settle>
    expect(Buffer.from(body.hash).toString('hex')).toBe(distributionHash(example.distribution))
    expect(body.inputs).toBe(example.distribution.inputs.length)
    expect(body.ids.map((id) => cidString(id))).toEqual(example.distribution.inputs)
    const registry = new RecordRegistry([...baseRecordTypes(), ...ledgerRecordTypes()])
    expect(() => registry.check(SETTLEMENT, body, settlement.bytes.byteLength)).not.toThrow()
  })

  it('verifies against the same entries in another order', () => {
    const { example, settlement } = settled()
    const check = verifySettlement(settlement, example.policy, [...example.entries].reverse(), example.participants)
    expect(check).toMatchObject({ ok: true, missing: [], extra: [] })
    expect(check.actual).toBe(check.expected)
  })

  it('fails when an input entry is altered: its old id is missing and its new id extra', () => {
    const { example, settlement } = settled()
    // Bob re-signs his first contribution with more effort: same author and seq, another entry.
    const bob = namedIdentity('bob')
    const index = example.entries.findIndex((e) => e.entry.author === bob.id && e.entry.type === CONTRIB_RECORD)
    const original = example.entries[index]
    const altered = signEntry(bob, { ...original.entry, body: { ...(original.entry.body as object), effort: 9000 } }) as SignedEntry
    const entries = example.entries.with(index, altered)
    const check = verifySettlement(settlement, example.policy, entries, example.participants)
    expect(check.ok).toBe(false)
    expect(check.actual).not.toBe(check.expected)
    expect(check.missing).toContain(cidString(original.id))
    expect(check.extra).toEqual([cidString(altered.id)])
  })

  it('fails when an input entry is missing', () => {
    const { example, settlement } = settled()
    const dropped = example.entries.find((e) => e.entry.type === CONTRIB_ENDORSE)
    if (dropped === undefined) throw new Error('the example has endorsements')
    const check = verifySettlement(settlement, example.policy, example.entries.filter((e) => e !== dropped), example.participants)
    expect(check).toMatchObject({ ok: false, missing: [cidString(dropped.id)], extra: [] })
  })

  it('fails when an input entry is added, but not for entries of other periods', () => {
    const { example, settlement } = settled()
    const b = new LedgerBuilder()
    const target = example.entries.find((e) => e.entry.type === CONTRIB_RECORD && e.entry.author === namedIdentity('carol').id)
    if (target === undefined) throw new Error('the example has a contribution by Carol')
    const added = b.add(namedIdentity('bob'), CONTRIB_ENDORSE, { contribution: target.id, note: 'late' }, Date.UTC(2025, 3, 3), [target]) as SignedEntry
    const check = verifySettlement(settlement, example.policy, [...example.entries, added], example.participants)
    expect(check).toMatchObject({ ok: false, missing: [], extra: [cidString(added.id)] })

    const april = b.add(namedIdentity('carol'), CONTRIB_RECORD, recordBody({ period: '2025-04' }), Date.UTC(2025, 3, 4)) as SignedEntry
    expect(verifySettlement(settlement, example.policy, [...example.entries, april], example.participants).ok).toBe(true)
  })

  it('fails when the facts behind the inputs differ: a fork found since, another policy', () => {
    const { example, settlement } = settled()
    const frozen = new Set([namedIdentity('carol').id])
    expect(verifySettlement(settlement, example.policy, example.entries, example.participants, { frozen })).toMatchObject({ ok: false, missing: [], extra: [] })
    const other = { ...example.policy, version: 2 }
    expect(verifySettlement(settlement, other, example.entries, example.participants).ok).toBe(false)
  })

  it('refuses an entry that is not a settlement', () => {
    const { example } = settled()
    expect(() => verifySettlement(example.entries[0], example.policy, example.entries, example.participants))
      .toThrow(expect.objectContaining({ name: 'InvalidSettlementError' }))
    expect(PERIOD).toBe(example.distribution.period)
  })
})
