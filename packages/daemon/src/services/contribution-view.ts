import { cidString, type SignedEntry } from '@mutual/protocol'
import {
  CONTRIB_ATTEST, CONTRIB_ENDORSE, CONTRIB_FEEDBACK, DISPUTE_OPEN, DISPUTE_RESOLVE, attestationRequests, parseLedgerBody, taskKey,
  type ContribAttestBody, type ContribFeedbackBody, type ContribRecordBody, type Distribution, type DisputeOpenBody, type DisputeResolveBody
} from '@mutual/ledger'
import type { Contribution } from '../contract/index.js'
import { entryToJson } from './json.js'

const atOf = (e: SignedEntry): string => new Date(e.entry.ts[0]).toISOString()

/**
 * A contribution as the API shows it: the record, the entries about it, and typed views of them
 * (the reviewers asked and whether they attested, attestations with notes, consumers' ratings of
 * its task, disputes with their resolutions). A dispute's status is the one `distribution` — the
 * ledger's rules over the record's period — decided, so it reads the same as the shares.
 */
export function contributionJson (record: SignedEntry, entries: SignedEntry[], distribution: Distribution): Contribution {
  const id = cidString(record.id)
  const body = parseLedgerBody(record.entry.type, record.entry.body) as ContribRecordBody
  const bodyOf = <B>(e: SignedEntry): B => parseLedgerBody(e.entry.type, e.entry.body) as B
  const ofType = (type: string, about: (e: SignedEntry) => boolean): SignedEntry[] =>
    entries.filter((e) => e.entry.type === type && parseLedgerBody(type, e.entry.body) !== undefined && about(e))
  const attests = ofType(CONTRIB_ATTEST, (e) => cidString(bodyOf<ContribAttestBody>(e).contribution) === id)
  const endorses = ofType(CONTRIB_ENDORSE, (e) => cidString(bodyOf<{ contribution: SignedEntry['id'] }>(e).contribution) === id)
  const opens = ofType(DISPUTE_OPEN, (e) => cidString(bodyOf<DisputeOpenBody>(e).target) === id)
  const key = body.task === undefined ? undefined : taskKey(body.task, body.board)
  const ratings = key === undefined ? [] : ofType(CONTRIB_FEEDBACK, (e) => { const f = bodyOf<ContribFeedbackBody>(e); return taskKey(f.task, f.board) === key })
  const authorOf = new Map(entries.map((e) => [cidString(e.id), e.entry.author]))

  return {
    ...entryToJson(record),
    attestations: attests.map(entryToJson),
    endorsements: endorses.map(entryToJson),
    disputes: opens.map(entryToJson),
    task: body.task === undefined ? null : { board: body.board === undefined ? null : cidString(body.board), task: body.task, title: body.title ?? null },
    requested: attestationRequests([record, ...attests]).find((r) => r.contribution === id)?.reviewers ?? [],
    reviews: attests.map((e) => {
      const a = bodyOf<ContribAttestBody>(e)
      return { id: cidString(e.id), author: e.entry.author, at: atOf(e), verdict: a.verdict, quality: a.quality, note: a.note }
    }),
    feedback: ratings.map((e) => {
      const f = bodyOf<ContribFeedbackBody>(e)
      return { id: cidString(e.id), author: e.entry.author, at: atOf(e), satisfaction: f.satisfaction, note: f.note ?? null }
    }),
    outcomes: opens.map((open) => {
      const openId = cidString(open.id)
      const line = distribution.disputes.find((d) => d.id === openId)
      const resolutions = ofType(DISPUTE_RESOLVE, (e) => cidString(bodyOf<DisputeResolveBody>(e).dispute) === openId).map((e) => {
        const r = bodyOf<DisputeResolveBody>(e)
        return { id: cidString(e.id), author: e.entry.author, at: atOf(e), outcome: r.outcome, void: r.void === true, note: r.note }
      })
      return {
        id: openId,
        opener: open.entry.author,
        at: atOf(open),
        reason: bodyOf<DisputeOpenBody>(open).reason,
        status: line?.status ?? 'open',
        void: line?.void ?? false,
        decidedBy: (line?.decidedBy ?? []).map((entry) => authorOf.get(entry) ?? entry),
        resolutions
      }
    })
  }
}
