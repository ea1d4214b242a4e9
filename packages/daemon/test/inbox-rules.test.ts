import { describe, expect, it } from 'vitest'
import { CID, cidString, generateIdentity, signEntry, type Identity, type SignedEntry, type Stamp } from '@mutual/protocol'
import type { ClaimRecord } from '@mutual/board'
import { InboxIndex } from '../src/services/inbox/fold.js'
import { mentionedIds } from '../src/services/inbox/mentions.js'
import {
  applicationFact, assignmentFacts, attestationRequestFact, claimFacts, decisionFact, disputeOpenedFact, disputeResolvedFact, itemId, itemText, mentionFact
} from '../src/services/inbox/rules.js'

/** The inbox's derivation rules and its fold, as pure functions of records and entries. */

const ME = '12D3KooWMeMeMeMeMeMeMeMeMeMeMeMeMeMeMeMeMeMeMeMe'
const ANN = '12D3KooWAnnAnnAnnAnnAnnAnnAnnAnnAnnAnnAnnAnnAnn'
const BEN = '12D3KooWBenBenBenBenBenBenBenBenBenBenBenBenBen'
const BOARD = 'bafyreiboard'
const MARKET = 'bafyreimarket'
const LEDGER = 'bafyreiledger'

let n = 0
function record (type: 'task/claim' | 'task/release', author: string, ms: number, seq = 1, task = 't1'): ClaimRecord {
  return { type, task, author, seq, ts: [ms, 0], id: `bafy${type === 'task/claim' ? 'c' : 'r'}${author.slice(8, 11)}${ms}${n++}` }
}

describe('claim rules', () => {
  it('an uncontested claim of mine on a free task needs nothing; no claim of mine, nothing', () => {
    expect(claimFacts(ME, BOARD, 't1', [record('task/claim', ME, 10)])).toEqual([])
    expect(claimFacts(ME, BOARD, 't1', [record('task/claim', ANN, 10), record('task/claim', BEN, 20)])).toEqual([])
  })

  it('lost: another holds the task by an earlier claim, whichever order the records come in', () => {
    const theirs = record('task/claim', ANN, 10)
    const mine = record('task/claim', ME, 20)
    const facts = claimFacts(ME, BOARD, 't1', [mine, theirs])
    expect(facts).toEqual([{ id: itemId('claim.lost', `${mine.id}/${theirs.id}`), kind: 'claim.lost', ts: [20, 0], space: BOARD, board: BOARD, task: 't1', entry: theirs.id, actor: ANN }])
    expect(claimFacts(ME, BOARD, 't1', [theirs, mine])).toEqual(facts)
  })

  it('contested: I hold it and others claim too; the latest other claim names the item', () => {
    const mine = record('task/claim', ME, 10)
    const ann = record('task/claim', ANN, 20)
    const ben = record('task/claim', BEN, 30)
    const [fact] = claimFacts(ME, BOARD, 't1', [ben, mine, ann])
    expect(fact).toMatchObject({ kind: 'claim.contested', actor: BEN, entry: ben.id, ts: [30, 0] })
    expect(fact.id).toBe(itemId('claim.contested', `${mine.id}/${ben.id}`))
  })

  it('won: the one ahead of me (or contesting me) released after my claim; a release by someone who never claimed is no win', () => {
    const theirs = record('task/claim', ANN, 10, 1)
    const mine = record('task/claim', ME, 20)
    const release = record('task/release', ANN, 30, 2)
    expect(claimFacts(ME, BOARD, 't1', [theirs, mine, release])).toMatchObject([{ kind: 'claim.won', actor: ANN, entry: release.id, ts: [30, 0] }])
    expect(claimFacts(ME, BOARD, 't1', [mine, record('task/release', BEN, 40)])).toEqual([])
    // Claimed and released before my claim: nothing was in my way.
    expect(claimFacts(ME, BOARD, 't1', [record('task/claim', BEN, 1, 1), record('task/release', BEN, 2, 2), record('task/claim', ME, 5)])).toEqual([])
  })

  it('released my own claim: nothing', () => {
    expect(claimFacts(ME, BOARD, 't1', [record('task/claim', ANN, 10), record('task/claim', ME, 20, 1), record('task/release', ME, 30, 2)])).toEqual([])
  })
})

describe('assignment rule', () => {
  const assign = (author: string, assignee: string | null, ms: number): { type: 'task/assign', task: string, assignee: string | null, author: string, ts: Stamp, id: string } =>
    ({ type: 'task/assign', task: 't1', assignee, author, ts: [ms, 0], id: `bafya${author.slice(8, 11)}${ms}` })

  it('assigned to me by someone else, while that assignment is in force', () => {
    const mine = assign(ANN, ME, 10)
    expect(assignmentFacts(ME, BOARD, 't1', [mine])).toEqual([{ id: itemId('task.assigned', mine.id), kind: 'task.assigned', ts: [10, 0], space: BOARD, board: BOARD, task: 't1', entry: mine.id, actor: ANN }])
    expect(assignmentFacts(ME, BOARD, 't1', [assign(ANN, BEN, 20), mine])).toEqual([])
    expect(assignmentFacts(ME, BOARD, 't1', [mine, assign(ANN, null, 20)])).toEqual([])
    expect(assignmentFacts(ME, BOARD, 't1', [assign(ME, ME, 10)])).toEqual([])
    expect(assignmentFacts(BEN, BOARD, 't1', [mine])).toEqual([])
  })
})

const ts = (ms: number): Stamp => [ms, 0]

describe('market and dispute rules', () => {
  const announcement = { id: 'bafyann', author: ME, title: 'Fix the roof', board: BOARD, task: 't1' }
  const application = { id: 'bafyapp', author: ANN, ts: ts(5), note: 'I have a ladder', announcement: 'bafyann' }

  it('application received: someone else applied to my announcement; not to theirs, not my own application', () => {
    expect(applicationFact(ME, MARKET, application, announcement)).toEqual({
      id: itemId('application.received', 'bafyapp'), kind: 'application.received', ts: ts(5), space: MARKET, board: BOARD, task: 't1',
      entry: 'bafyapp', actor: ANN, subject: 'Fix the roof', detail: 'I have a ladder'
    })
    expect(applicationFact(ME, MARKET, application, { ...announcement, author: BEN })).toBeUndefined()
    expect(applicationFact(ME, MARKET, { ...application, author: ME }, announcement)).toBeUndefined()
  })

  it('accepted or declined: someone else decided on my application', () => {
    const mine = { ...application, author: ME }
    const theirs = { ...announcement, author: ANN }
    expect(decisionFact(ME, MARKET, { id: 'bafyd', author: ANN, ts: ts(9), accept: true, reason: 'ok' }, mine, theirs)).toMatchObject({ kind: 'application.accepted', detail: 'ok', actor: ANN })
    expect(decisionFact(ME, MARKET, { id: 'bafyd', author: ANN, ts: ts(9), accept: false, reason: 'no' }, mine, theirs)).toMatchObject({ kind: 'application.declined', detail: 'no' })
    expect(decisionFact(ME, MARKET, { id: 'bafyd', author: ANN, ts: ts(9), accept: true, reason: 'ok' }, application, theirs)).toBeUndefined()
  })

  it('attestation requested: someone else\'s contribution names me among its reviewers, until I attest it', () => {
    const work = { id: 'bafyw', author: ANN, summary: 'Proofread', ts: ts(2), reviewers: [BEN, ME], board: BOARD, task: 't1' }
    expect(attestationRequestFact(ME, LEDGER, work, false)).toEqual({
      id: itemId('attestation.requested', 'bafyw'), kind: 'attestation.requested', ts: ts(2), space: LEDGER, board: BOARD, task: 't1', contribution: 'bafyw', entry: 'bafyw', actor: ANN, subject: 'Proofread'
    })
    expect(attestationRequestFact(ME, LEDGER, work, true)).toBeUndefined()
    expect(attestationRequestFact(ME, LEDGER, { ...work, reviewers: [BEN] }, false)).toBeUndefined()
    expect(attestationRequestFact(ME, LEDGER, { ...work, author: ME }, false)).toBeUndefined()
  })

  it('dispute opened on my contribution; resolved for its author and its opener, never for the resolver', () => {
    const work = { id: 'bafyw', author: ME, summary: 'wrote the docs' }
    const dispute = { id: 'bafydis', author: ANN, ts: ts(3), reason: 'numbers', target: 'bafyw' }
    expect(disputeOpenedFact(ME, LEDGER, dispute, work)).toMatchObject({ kind: 'dispute.opened', contribution: 'bafyw', actor: ANN, detail: 'numbers', subject: 'wrote the docs' })
    expect(disputeOpenedFact(ME, LEDGER, dispute, { ...work, author: BEN })).toBeUndefined()
    expect(disputeOpenedFact(ME, LEDGER, { ...dispute, author: ME }, work)).toBeUndefined()
    const resolution = { id: 'bafyres', author: BEN, ts: ts(4), outcome: 'dismissed', note: 'fine' }
    expect(disputeResolvedFact(ME, LEDGER, resolution, dispute, work)).toMatchObject({ kind: 'dispute.resolved', detail: 'dismissed: fine', actor: BEN })
    expect(disputeResolvedFact(ME, LEDGER, resolution, { ...dispute, author: ME }, { ...work, author: ANN })).toMatchObject({ kind: 'dispute.resolved' })
    expect(disputeResolvedFact(ME, LEDGER, resolution, dispute, { ...work, author: ANN })).toBeUndefined()
    expect(disputeResolvedFact(ME, LEDGER, { ...resolution, author: ME }, dispute, work)).toBeUndefined()
  })
})

describe('mentions', () => {
  const people = [
    { id: ME, names: ['Site lead'] },
    { id: ANN, names: ['Ann', 'annie'] },
    { id: BEN, names: ['Ben'] },
    { id: '12D3KooWTwinTwinTwinTwinTwinTwinTwinTwinTwinTwin', names: ['Ben'] }
  ]

  it('by a known name, any case, spaces allowed, the longest name that fits', () => {
    expect(mentionedIds('@site lead: look', people)).toEqual([ME])
    expect(mentionedIds('thanks @Annie and @ann.', people)).toEqual([ANN])
    expect(mentionedIds('@Site leader', people)).toEqual([])
  })

  it('not inside a word, not an ambiguous name, not an unknown one', () => {
    expect(mentionedIds('mail site@site lead', people)).toEqual([])
    expect(mentionedIds('@Ben', people)).toEqual([])
    expect(mentionedIds('@nobody', people)).toEqual([])
    expect(mentionedIds('no at sign', people)).toEqual([])
  })

  it('by an id or a prefix of at least 12 characters that fits one person', () => {
    expect(mentionedIds(`@${ME} and @${ANN.slice(0, 14)}`, people)).toEqual([ME, ANN])
    expect(mentionedIds('@12D3KooWMeM', people)).toEqual([])
    expect(mentionedIds('@12D3KooWBenBen', people)).toEqual([BEN])
  })
})

describe('item text', () => {
  it('one line with the actor and what it is about, cut at 200 characters', () => {
    const fact = mentionFact(BOARD, 't1', { id: 'c1', author: ANN, at: '2026-01-01T00:00:00.000Z', text: 'hey @Site lead\nplease look' })
    expect(fact).toMatchObject({ kind: 'mention', ts: [Date.parse('2026-01-01T00:00:00.000Z'), 0], comment: 'c1' })
    expect(itemText(fact, 'Ann', 'Write the spec')).toBe('Ann mentioned you on "Write the spec": hey @Site lead please look')
    expect(itemText(fact, 'Ann')).toBe('Ann mentioned you on task t1: hey @Site lead please look')
    const long = itemText({ ...fact, detail: 'x'.repeat(500) }, 'Ann', 'T')
    expect(long).toHaveLength(200)
    expect(long.endsWith('…')).toBe(true)
  })

  it('ids are 12 base32 characters, the same for the same source and different across kinds', () => {
    expect(itemId('mention', 'a')).toMatch(/^[a-z2-7]{12}$/)
    expect(itemId('mention', 'a')).toBe(itemId('mention', 'a'))
    expect(itemId('mention', 'a')).not.toBe(itemId('claim.lost', 'a'))
  })
})

describe('the fold', () => {
  async function scene (): Promise<{ me: Identity, entries: SignedEntry[] }> {
    const [me, ann, ben] = await Promise.all([generateIdentity(), generateIdentity(), generateIdentity()])
    const market = CID.parse('bafyreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku')
    const ledger = CID.parse('bafyreigm2npnpq6p4epnoavvq4pc6ozyy4ectrmtasfudbd5dmqpsx7d7q')
    const board = CID.parse('bafyreies3vnc46uinkw57uau3ns5udcn5w2l53chpv52wdmuqjcpoeoqqm')
    const seqs = new Map<string, number>()
    let clock = 1000
    const sign = (who: Identity, space: CID, type: string, body: unknown): SignedEntry => {
      const key = `${who.id}/${cidString(space)}`
      const seq = (seqs.get(key) ?? 0) + 1
      seqs.set(key, seq)
      return signEntry(who, { v: 1, space, author: who.id, seq, prev: null, ts: [clock++, 0], type, body })
    }
    const ann1 = sign(me, market, 'task/announce', { title: 'Fix the roof', summary: '', skills: [], estimate: 1, valueWeight: 1 })
    const app1 = sign(ann, market, 'task/apply', { announcement: ann1.id, note: '' })
    const theirAnn = sign(ben, market, 'task/announce', { title: 'Paint', summary: '', skills: [], estimate: 1, valueWeight: 1 })
    const myApp = sign(me, market, 'task/apply', { announcement: theirAnn.id, note: 'me!' })
    const decline = sign(ben, market, 'task/decline', { application: myApp.id, reason: 'no' })
    const work = sign(me, ledger, 'contrib/record', { kind: 'work', effort: 1, summary: 'docs', evidence: [], period: '2026-01' })
    const dispute = sign(ann, ledger, 'dispute/open', { target: work.id, reason: 'hm' })
    const resolve = sign(ben, ledger, 'dispute/resolve', { dispute: dispute.id, outcome: 'upheld', note: '' })
    const claimA = sign(ann, board, 'task/claim', { task: 't1' })
    const claimMe = sign(me, board, 'task/claim', { task: 't1' })
    return { me, entries: [ann1, app1, theirAnn, myApp, decline, work, dispute, resolve, claimA, claimMe] }
  }

  it('gives the same items whatever order the entries come in; each entry counts once', async () => {
    const { me, entries } = await scene()
    const inOrder = new InboxIndex(me.id)
    const added = entries.flatMap((e) => inOrder.add(e))
    expect(added.map((f) => f.kind).sort()).toEqual(['application.declined', 'application.received', 'claim.lost', 'dispute.opened', 'dispute.resolved'])
    expect(inOrder.list().map((f) => f.kind)).toEqual(['claim.lost', 'dispute.resolved', 'dispute.opened', 'application.declined', 'application.received'])
    let seed = 7
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    for (let round = 0; round < 20; round++) {
      const shuffled = [...entries, ...entries].map((e) => ({ e, k: next() })).sort((a, b) => a.k - b.k).map(({ e }) => e)
      const index = new InboxIndex(me.id)
      for (const e of shuffled) index.add(e)
      expect(index.list()).toEqual(inOrder.list())
    }
  })

  it('drops an attestation request once I attest, whichever comes first', async () => {
    const [me, ann] = await Promise.all([generateIdentity(), generateIdentity()])
    const ledger = CID.parse('bafyreigm2npnpq6p4epnoavvq4pc6ozyy4ectrmtasfudbd5dmqpsx7d7q')
    const work = signEntry(ann, { v: 1, space: ledger, author: ann.id, seq: 1, prev: null, ts: [1, 0], type: 'contrib/record', body: { kind: 'work', effort: 1, summary: 'docs', evidence: [], period: '2026-01', reviewers: [me.id] } })
    const attest = signEntry(me, { v: 1, space: ledger, author: me.id, seq: 1, prev: null, ts: [2, 0], type: 'contrib/attest', body: { contribution: work.id, verdict: 'accept', quality: 4, note: '' } })
    const index = new InboxIndex(me.id)
    expect(index.add(work).map((f) => f.kind)).toEqual(['attestation.requested'])
    index.add(attest)
    expect(index.list()).toEqual([])
    const reversed = new InboxIndex(me.id)
    reversed.add(attest)
    expect(reversed.add(work)).toEqual([])
  })

  it('replaces a group\'s items and says which are new', () => {
    const index = new InboxIndex(ME)
    const a = mentionFact(BOARD, 't1', { id: 'c1', author: ANN, at: '2026-01-01T00:00:00Z', text: '@x' })
    const b = mentionFact(BOARD, 't1', { id: 'c2', author: ANN, at: '2026-01-02T00:00:00Z', text: '@x' })
    expect(index.replaceGroup('mentions/b', [a])).toEqual([a])
    expect(index.replaceGroup('mentions/b', [a, b])).toEqual([b])
    expect(index.replaceGroup('mentions/b', [b])).toEqual([])
    expect(index.list()).toEqual([b])
  })
})
