import { describe, expect, it } from 'vitest'
import { RecordRegistry, baseRecordTypes, cidOf, encode } from '@mutual/protocol'
import {
  CONTRIB_ALLOCATE, CONTRIB_ATTEST, CONTRIB_FEEDBACK, CONTRIB_RECORD, DISPUTE_RESOLVE, MAX_EFFORT, MAX_EVIDENCE, SETTLEMENT,
  distribute, ledgerRecordTypes, parsePolicy, periodOf, withinPeriod
} from '@mutual/ledger'
import { PERIOD, mapParticipants, namedIdentity, policy, recordBody } from './helpers.js'

const registry = new RecordRegistry([...baseRecordTypes(), ...ledgerRecordTypes()])
const check = (type: string, body: unknown): unknown => registry.check(type, body, 100)
const rejects = (type: string, body: unknown): void => {
  expect(() => check(type, body)).toThrow(expect.objectContaining({ name: 'BodySchemaError' }))
}
const cid = cidOf(encode({ any: 'entry' }))
const someone = namedIdentity('someone').id

describe('record schemas', () => {
  it('bound contributions', () => {
    expect(check(CONTRIB_RECORD, recordBody())).toBeDefined()
    rejects(CONTRIB_RECORD, recordBody({ effort: MAX_EFFORT + 1 }))
    rejects(CONTRIB_RECORD, recordBody({ effort: 1.5 }))
    rejects(CONTRIB_RECORD, recordBody({ effort: -1 }))
    rejects(CONTRIB_RECORD, recordBody({ kind: 'lobbying' }))
    rejects(CONTRIB_RECORD, recordBody({ period: '2025-13' }))
    rejects(CONTRIB_RECORD, recordBody({ evidence: Array(MAX_EVIDENCE + 1).fill('https://x') }))
    rejects(CONTRIB_RECORD, recordBody({ summary: '' }))
    rejects(CONTRIB_RECORD, recordBody({ extra: true }))
  })

  it('bound attestations, feedback, allocations and resolutions', () => {
    rejects(CONTRIB_ATTEST, { contribution: cid, verdict: 'accept', quality: 6, note: '' })
    rejects(CONTRIB_ATTEST, { contribution: 'not a cid', verdict: 'accept', quality: 3, note: '' })
    rejects(CONTRIB_FEEDBACK, { task: 't', satisfaction: 0 })
    rejects(CONTRIB_ALLOCATE, { period: PERIOD, points: [[someone, 10], [someone, 5]] })
    rejects(CONTRIB_ALLOCATE, { period: PERIOD, points: [['nobody', 10]] })
    rejects(CONTRIB_ALLOCATE, { period: PERIOD, points: [[someone, 0]] })
    rejects(DISPUTE_RESOLVE, { dispute: cid, outcome: 'dismissed', note: '', void: true })
    rejects(SETTLEMENT, { period: PERIOD, policy: cid, hash: new Uint8Array(31), inputs: 0, ids: [] })
    rejects(SETTLEMENT, { period: PERIOD, policy: cid, hash: new Uint8Array(32), inputs: 1, ids: [] })
  })

  it('check valuation policies', () => {
    expect(parsePolicy(policy())).toEqual(policy())
    const bad = policy({ weights: { effort: 5000, quality: 5000, satisfaction: 1, endorsement: 0, allocation: 0 } })
    expect(() => parsePolicy(bad)).toThrow(expect.objectContaining({ name: 'InvalidPolicyError' }))
    expect(() => distribute(bad, [], mapParticipants({}), PERIOD)).toThrow(expect.objectContaining({ name: 'InvalidPolicyError' }))
    expect(() => distribute(policy(), [], mapParticipants({}), '2025-3')).toThrow(expect.objectContaining({ name: 'InvalidPeriodError' }))
  })
})

describe('periods', () => {
  it('are UTC months, with one grace month after', () => {
    expect(periodOf([Date.UTC(2025, 11, 31, 23, 59), 0])).toBe('2025-12')
    expect(withinPeriod('2025-12', [Date.UTC(2026, 0, 31), 0])).toBe(true)
    expect(withinPeriod('2025-12', [Date.UTC(2026, 1, 1), 0])).toBe(false)
    expect(withinPeriod('2025-12', [Date.UTC(2025, 10, 30), 0])).toBe(false)
  })
})
