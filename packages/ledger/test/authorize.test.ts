import { describe, expect, it } from 'vitest'
import { RecordRegistry, baseRecordTypes, cidString, type SignedEntry } from '@mutual/protocol'
import { Log, genesisPolicy, memoryStore } from '@mutual/log'
import {
  CONTRIB_ALLOCATE, CONTRIB_ATTEST, CONTRIB_ENDORSE, CONTRIB_FEEDBACK, CONTRIB_RECORD, DISPUTE_OPEN, DISPUTE_RESOLVE, SETTLEMENT,
  ledgerAuthorizer, ledgerRecordTypes, type Participants
} from '@mutual/ledger'
import { PERIOD, attestBody, mapParticipants, march, namedIdentity, policy, recordBody } from './helpers.js'

const alice = namedIdentity('alice')
const bob = namedIdentity('bob')
const rita = namedIdentity('rita')
const cody = namedIdentity('cody')
const audrey = namedIdentity('audrey')

const team = mapParticipants({
  [alice.id]: ['member', 'admin'],
  [bob.id]: ['member', 'reviewer'],
  [rita.id]: ['reviewer'],
  [cody.id]: ['consumer'],
  [audrey.id]: ['auditor']
})

/** A log with a ledger space anyone may write, the ledger's rules, and a per-author history view for duplicate feedback. */
async function ledgerLog (participants: Participants = team, at = march(10)): Promise<{ log: Log, space: string, clock: { now: number } }> {
  const clock = { now: at }
  const history = new Map<string, SignedEntry[]>()
  const log = new Log({
    store: memoryStore(),
    registry: new RecordRegistry([...baseRecordTypes(), ...ledgerRecordTypes()]),
    authorizers: [genesisPolicy(), ledgerAuthorizer(participants, { policy: () => policy(), history: (space, author) => history.get(`${space}/${author}`) ?? [] })],
    now: () => clock.now
  })
  log.subscribe((event) => {
    if (event.type !== 'entry') return
    const key = `${event.entry.space}/${event.entry.entry.author}`
    history.set(key, [...(history.get(key) ?? []), event.entry])
  })
  await log.start()
  const genesis = await log.createSpace(alice, {
    kind: 'ledger', name: 'ledger', policy: { write: 'anyone', writers: [] }, encrypted: false, nonce: new Uint8Array(8)
  })
  return { log, space: genesis.space, clock }
}

const fails = async (promise: Promise<unknown>, name: string): Promise<void> => {
  await expect(promise).rejects.toMatchObject({ name })
}

describe('ledgerAuthorizer', () => {
  it('accepts a well-formed month of entries', async () => {
    const { log, space, clock } = await ledgerLog()
    const c = await log.append(alice, space, CONTRIB_RECORD, recordBody({ task: 't1' }))
    const a = await log.append(rita, space, CONTRIB_ATTEST, attestBody(c), [c.id])
    await log.append(bob, space, CONTRIB_ENDORSE, { contribution: c.id }, [c.id])
    await log.append(cody, space, CONTRIB_FEEDBACK, { task: 't1', satisfaction: 4 })
    const x = await log.append(bob, space, DISPUTE_OPEN, { target: c.id, reason: 'why' }, [c.id])
    await log.append(audrey, space, DISPUTE_RESOLVE, { dispute: x.id, outcome: 'dismissed', note: '' }, [x.id])
    clock.now = Date.UTC(2025, 3, 1, 9) // the grace month
    await log.append(bob, space, CONTRIB_ALLOCATE, { period: PERIOD, points: [[alice.id, 100]] })
    expect(cidString(a.id)).toBeTypeOf('string')
    await log.stop()
  })

  it('rejects self-attestation and attestations by non-reviewers', async () => {
    const { log, space } = await ledgerLog()
    const c = await log.append(bob, space, CONTRIB_RECORD, recordBody())
    await fails(log.append(bob, space, CONTRIB_ATTEST, attestBody(c), [c.id]), 'SelfAttestationError')
    await fails(log.append(alice, space, CONTRIB_ATTEST, attestBody(c), [c.id]), 'NotReviewerError')
    await log.stop()
  })

  it('demands the attested, endorsed or disputed entry in refs', async () => {
    const { log, space } = await ledgerLog()
    const c = await log.append(alice, space, CONTRIB_RECORD, recordBody())
    await fails(log.append(rita, space, CONTRIB_ATTEST, attestBody(c)), 'MissingTargetRefError')
    await fails(log.append(bob, space, CONTRIB_ENDORSE, { contribution: c.id }), 'MissingTargetRefError')
    await fails(log.append(alice, space, CONTRIB_ENDORSE, { contribution: c.id }, [c.id]), 'SelfEndorsementError')
    await fails(log.append(bob, space, DISPUTE_OPEN, { target: c.id, reason: 'r' }), 'MissingTargetRefError')
    await log.stop()
  })

  it('rejects feedback by non-consumers and a consumer\'s second feedback on a task', async () => {
    const { log, space } = await ledgerLog()
    await fails(log.append(bob, space, CONTRIB_FEEDBACK, { task: 't1', satisfaction: 5 }), 'NotConsumerError')
    await log.append(cody, space, CONTRIB_FEEDBACK, { task: 't1', satisfaction: 2 })
    await fails(log.append(cody, space, CONTRIB_FEEDBACK, { task: 't1', satisfaction: 5 }), 'DuplicateFeedbackError')
    await log.append(cody, space, CONTRIB_FEEDBACK, { task: 't2', satisfaction: 5 })
    await log.stop()
  })

  it('rejects records and allocations outside their period, and allocations over budget', async () => {
    const { log, space, clock } = await ledgerLog()
    await fails(log.append(alice, space, CONTRIB_RECORD, recordBody({ period: '2025-04' })), 'OutsidePeriodError')
    await fails(log.append(alice, space, CONTRIB_ALLOCATE, { period: PERIOD, points: [[bob.id, 101]] }), 'AllocationBudgetError')
    clock.now = Date.UTC(2025, 4, 2)
    await fails(log.append(alice, space, CONTRIB_RECORD, recordBody()), 'OutsidePeriodError')
    await fails(log.append(alice, space, CONTRIB_ALLOCATE, { period: PERIOD, points: [[bob.id, 10]] }), 'OutsidePeriodError')
    await log.stop()
  })

  it('demands roles for records, resolutions and settlements', async () => {
    const { log, space } = await ledgerLog()
    await fails(log.append(cody, space, CONTRIB_RECORD, recordBody()), 'NotMemberError')
    const c = await log.append(alice, space, CONTRIB_RECORD, recordBody())
    const x = await log.append(bob, space, DISPUTE_OPEN, { target: c.id, reason: 'r' }, [c.id])
    await fails(log.append(bob, space, DISPUTE_RESOLVE, { dispute: x.id, outcome: 'upheld', note: '', void: true }, [x.id]), 'RoleRequiredError')
    const body = { period: PERIOD, policy: c.id, hash: new Uint8Array(32), inputs: 0, ids: [] }
    await fails(log.append(bob, space, SETTLEMENT, body), 'RoleRequiredError')
    await log.append(alice, space, SETTLEMENT, body)
    await log.stop()
  })

  it('rejects the same entries arriving from the network', async () => {
    const writer = new Log({ store: memoryStore(), registry: new RecordRegistry([...baseRecordTypes(), ...ledgerRecordTypes()]), now: () => march(10) })
    await writer.start()
    const genesis = await writer.createSpace(alice, {
      kind: 'ledger', name: 'ledger', policy: { write: 'anyone', writers: [] }, encrypted: false, nonce: new Uint8Array(8)
    })
    const c = await writer.append(bob, genesis.space, CONTRIB_RECORD, recordBody())
    const self = await writer.append(bob, genesis.space, CONTRIB_ATTEST, attestBody(c), [c.id])
    const { log } = await ledgerLog()
    for (const e of [genesis, c]) await log.ingest(e.bytes)
    await fails(log.ingest(self.bytes), 'SelfAttestationError')
    await writer.stop()
    await log.stop()
  })

  it('with `grants`, demands the credential itself in refs', async () => {
    // A toy credential: a note by Alice (the admin) naming a holder and a role.
    const credentialOf = (ref: SignedEntry): { holder?: string, role?: string } => {
      const [holder, role] = String((ref.entry.body as { text?: unknown }).text ?? '').split(' ')
      return ref.entry.type === 'space/note' && ref.entry.author === alice.id ? { holder, role } : {}
    }
    const participants: Participants = {
      roles: team.roles,
      operatorOf: team.operatorOf,
      grants: (ref, id, role) => credentialOf(ref).holder === id && credentialOf(ref).role === role
    }
    const { log, space } = await ledgerLog(participants)
    const credential = await log.append(alice, space, 'space/note', { text: `${rita.id} reviewer` })
    const membership = await log.append(alice, space, 'space/note', { text: `${alice.id} member` })
    await fails(log.append(alice, space, CONTRIB_RECORD, recordBody()), 'NotMemberError')
    const c = await log.append(alice, space, CONTRIB_RECORD, recordBody(), [membership.id])
    await fails(log.append(rita, space, CONTRIB_ATTEST, attestBody(c), [c.id]), 'NotReviewerError')
    await log.append(rita, space, CONTRIB_ATTEST, attestBody(c), [c.id, credential.id])
    await log.stop()
  })
})
