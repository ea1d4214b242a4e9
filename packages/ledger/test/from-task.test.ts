import { describe, expect, it } from 'vitest'
import { cidString } from '@mutual/protocol'
import {
  CONTRIB_ATTEST, CONTRIB_RECORD, attestationRequests, contribRecordSchema, taskContribution, type FinishedTask
} from '@mutual/ledger'
import { LedgerBuilder, PERIOD, SPACE, attestBody, mapParticipants, march, namedIdentity, recordBody } from './helpers.js'

const worker = namedIdentity('worker')
const agent = namedIdentity('worker-agent')
const reviewer = namedIdentity('reviewer')
const second = namedIdentity('second-reviewer')
const BOARD = cidString(SPACE)
const participants = mapParticipants({}, { [agent.id]: worker.id })

const done = (overrides: Partial<FinishedTask> = {}): FinishedTask => ({
  board: BOARD, task: 'abcdefgh2345', title: 'Write the importer', status: 'done', done: 'done', estimate: 8, holder: worker.id, ...overrides
})

describe('taskContribution', () => {
  it('records the task: effort from the estimate, the task linked, the reviewers asked but never the recorder\'s party', () => {
    const body = taskContribution({
      task: done(), recorder: worker.id, entries: [], reviewers: [second.id, reviewer.id, agent.id, worker.id, reviewer.id], participants, period: PERIOD
    })
    expect(body).toMatchObject({ task: 'abcdefgh2345', title: 'Write the importer', effort: 8, kind: 'work', summary: 'Write the importer', period: PERIOD })
    expect(cidString(body.board!)).toBe(BOARD)
    expect(body.reviewers).toEqual([reviewer.id, second.id].sort())
    expect(contribRecordSchema.safeParse(body).success).toBe(true)
  })

  it('refuses a task not done, a recorder who does not hold it, a second record and an estimate that is not whole points', () => {
    const input = { recorder: worker.id, entries: [], reviewers: [], participants, period: PERIOD }
    expect(() => taskContribution({ ...input, task: done({ status: 'review' }) })).toThrow(expect.objectContaining({ name: 'TaskNotDoneError' }))
    expect(() => taskContribution({ ...input, task: done({ holder: reviewer.id }) })).toThrow(expect.objectContaining({ name: 'NotTaskHolderError' }))
    expect(() => taskContribution({ ...input, task: done({ holder: null }) })).toThrow(expect.objectContaining({ name: 'NotTaskHolderError' }))
    expect(() => taskContribution({ ...input, task: done({ estimate: 2.5 }) })).toThrow(expect.objectContaining({ name: 'TaskEffortError' }))
    const ledger = new LedgerBuilder()
    ledger.add(worker, CONTRIB_RECORD, taskContribution({ ...input, task: done() }), march(3))
    expect(() => taskContribution({ ...input, entries: ledger.entries, task: done() })).toThrow(expect.objectContaining({ name: 'TaskAlreadyRecordedError' }))
    // Another holder of the same task (after a release) records their own part.
    expect(taskContribution({ ...input, recorder: reviewer.id, entries: ledger.entries, task: done({ holder: reviewer.id }) }).task).toBe('abcdefgh2345')
  })
})

describe('attestationRequests', () => {
  it('says whom each contribution asked and who has attested, in any order of entries', () => {
    // The reviewer's earliest attestation counts, also where its id sorts after the later one's.
    let ledger: LedgerBuilder
    let asked: ReturnType<LedgerBuilder['add']>
    let attempt = 0
    do {
      ledger = new LedgerBuilder()
      asked = ledger.add(worker, CONTRIB_RECORD, recordBody({ task: 'abcdefgh2345', reviewers: [second.id, reviewer.id].sort() }), march(3))
      ledger.add(worker, CONTRIB_RECORD, recordBody({ summary: 'asked nobody' }), march(3, 13))
      ledger.add(reviewer, CONTRIB_ATTEST, attestBody(asked, 5, 'reject'), march(4), [asked])
      ledger.add(reviewer, CONTRIB_ATTEST, { ...attestBody(asked, 3), note: `second look ${attempt++}` }, march(5), [asked])
    } while (cidString(ledger.entries[3].id) > cidString(ledger.entries[2].id))
    const expected = [{
      contribution: cidString(asked.id),
      author: worker.id,
      task: 'abcdefgh2345',
      reviewers: [
        { reviewer: reviewer.id, attested: true, attestation: cidString(ledger.entries[2].id), verdict: 'reject' },
        { reviewer: second.id, attested: false }
      ].sort((a, b) => a.reviewer < b.reviewer ? -1 : 1)
    }]
    expect(attestationRequests(ledger.entries)).toEqual(expected)
    expect(attestationRequests([...ledger.entries].reverse())).toEqual(expected)
  })
})
