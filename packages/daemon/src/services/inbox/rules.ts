import { cidOf, cidString, compareStamps, type Stamp } from '@mutual/protocol'
import { TASK_CLAIM, TASK_RELEASE, assignmentState, claimState, type AssignRecord, type ClaimRecord } from '@mutual/board'
import type { InboxKind } from '../../contract/index.js'

/**
 * The inbox's derivation rules: pure functions from what signed entries (and a board's comments)
 * say to the items that need one person (`me`). The fold that keeps them current is `fold.ts`;
 * the service that feeds it the log is `../inbox.ts`.
 */

/** An inbox item as derived, before names and read state are added for an answer. */
export interface InboxFact {
  id: string
  kind: InboxKind
  ts: Stamp
  /** the space of the entry the item comes from */
  space: string
  board?: string
  task?: string
  contribution?: string
  entry?: string
  comment?: string
  /** who did it */
  actor: string
  /** what it is about, when the entries say (an announcement's title, a contribution's summary) */
  subject?: string
  /** a reason, note, outcome or comment text */
  detail?: string
}

/** A stable item id: 12 base32 characters of the sha-256 of the kind and what it derives from. */
export function itemId (kind: InboxKind, key: string): string {
  return cidString(cidOf(new TextEncoder().encode(`mutual/inbox/1\n${kind}\n${key}`))).slice(-12)
}

/**
 * Claim items of one task for `me`, from the task's claim and release records (the board's
 * `claimState` decides who holds it). Only a claim of mine that is still active gives an item:
 *
 * - `claim.lost`: someone else holds the task (an earlier claim); one item per (my claim, their claim);
 * - `claim.contested`: I hold it and others claim it too; the latest other claim names the item;
 * - `claim.won`: I hold it alone, and someone released the task after I claimed it (I was behind
 *   them, or they contested my claim): the latest such release names the item.
 *
 * An uncontested claim of mine on a free task gives nothing: nothing needs me there.
 */
export function claimFacts (me: string, board: string, task: string, records: readonly ClaimRecord[]): InboxFact[] {
  const state = claimState(records).get(task)
  const mine = state?.claimants.find((c) => c.author === me)
  if (state === undefined || mine === undefined) return []
  const base = { space: board, board, task }
  if (state.holder !== me) {
    const holder = state.claimants[0]
    return [{
      ...base,
      id: itemId('claim.lost', `${mine.entry}/${holder.entry}`),
      kind: 'claim.lost',
      ts: later(mine.ts, holder.ts),
      entry: holder.entry,
      actor: holder.author
    }]
  }
  if (state.contested) {
    const others = state.claimants.filter((c) => c.author !== me)
    const latest = others.reduce((a, b) => compareStamps(a.ts, b.ts) >= 0 ? a : b)
    return [{ ...base, id: itemId('claim.contested', `${mine.entry}/${latest.entry}`), kind: 'claim.contested', ts: latest.ts, entry: latest.entry, actor: latest.author }]
  }
  // A release that ends a claim (its author claimed before it), signed after my claim.
  const releases = records.filter((r) => r.task === task && r.author !== me && r.type === TASK_RELEASE && compareStamps(r.ts, mine.ts) > 0 &&
    records.some((c) => c.task === task && c.author === r.author && c.type === TASK_CLAIM && c.seq < r.seq))
  if (releases.length === 0) return []
  const release = releases.reduce((a, b) => (compareStamps(a.ts, b.ts) || (a.id < b.id ? -1 : 1)) >= 0 ? a : b)
  return [{ ...base, id: itemId('claim.won', `${mine.entry}/${release.id}`), kind: 'claim.won', ts: release.ts, entry: release.id, actor: release.author }]
}

/**
 * `task.assigned`: the assignment in force on a task (the board's `assignmentState`) names me,
 * and someone else signed it. It stays while it is in force (my claim confirms it); a later
 * assignment to someone else, or a cleared one, takes it away.
 */
export function assignmentFacts (me: string, board: string, task: string, records: readonly AssignRecord[]): InboxFact[] {
  const assignment = assignmentState(records, new Map()).get(task)
  if (assignment === undefined || assignment.assignee !== me || assignment.assignedBy === me) return []
  return [{ space: board, board, task, id: itemId('task.assigned', assignment.entry), kind: 'task.assigned', ts: assignment.ts, entry: assignment.entry, actor: assignment.assignedBy }]
}

/** What the market rules need of an announcement and an application. */
export interface AnnouncementFacts { id: string, author: string, title: string, board?: string, task?: string }
export interface ApplicationFacts { id: string, author: string, ts: Stamp, note: string, announcement: string }

/** `application.received`: someone else applied to an announcement of mine. */
export function applicationFact (me: string, market: string, application: ApplicationFacts, announcement: AnnouncementFacts): InboxFact | undefined {
  if (announcement.author !== me || application.author === me) return undefined
  return {
    ...where(market, announcement),
    ...fromEntry('application.received', application),
    subject: announcement.title,
    ...(application.note !== '' ? { detail: application.note } : {})
  }
}

/** `application.accepted` / `application.declined`: someone else decided on an application of mine. */
export function decisionFact (
  me: string, market: string, decision: { id: string, author: string, ts: Stamp, accept: boolean, reason: string },
  application: ApplicationFacts, announcement: AnnouncementFacts
): InboxFact | undefined {
  if (application.author !== me || decision.author === me) return undefined
  const kind = decision.accept ? 'application.accepted' : 'application.declined'
  return {
    ...where(market, announcement),
    ...fromEntry(kind, decision),
    subject: announcement.title,
    detail: decision.reason
  }
}

/** What the dispute rules need of a contribution and a dispute. */
export interface ContributionFacts { id: string, author: string, summary: string, board?: string, task?: string }
export interface DisputeFacts { id: string, author: string, ts: Stamp, reason: string, target: string }

/**
 * `attestation.requested`: a contribution by someone else names me among the reviewers asked to
 * attest it (a contribution recorded from a task asks the org's reviewers) and I have not attested
 * it yet: once I have, nothing needs me there and the item goes.
 */
export function attestationRequestFact (me: string, ledger: string, contribution: ContributionFacts & { ts: Stamp, reviewers: readonly string[] }, attested: boolean): InboxFact | undefined {
  if (contribution.author === me || attested || !contribution.reviewers.includes(me)) return undefined
  return {
    ...onTask(ledger, contribution),
    ...fromEntry('attestation.requested', contribution),
    subject: contribution.summary
  }
}

/** `dispute.opened`: someone else disputed a contribution of mine. */
export function disputeOpenedFact (me: string, ledger: string, dispute: DisputeFacts, contribution: ContributionFacts): InboxFact | undefined {
  if (contribution.author !== me || dispute.author === me) return undefined
  return {
    ...onTask(ledger, contribution),
    ...fromEntry('dispute.opened', dispute),
    subject: contribution.summary,
    detail: dispute.reason
  }
}

/**
 * `dispute.resolved`: someone else signed a resolution of a dispute on a contribution of mine, or
 * of a dispute I opened. One item per resolution entry (where the ledger needs an admin and a
 * union representative together, each one's resolution is an item).
 */
export function disputeResolvedFact (
  me: string, ledger: string, resolution: { id: string, author: string, ts: Stamp, outcome: string, note: string },
  dispute: DisputeFacts, contribution: ContributionFacts
): InboxFact | undefined {
  if ((contribution.author !== me && dispute.author !== me) || resolution.author === me) return undefined
  return {
    ...onTask(ledger, contribution),
    ...fromEntry('dispute.resolved', resolution),
    subject: contribution.summary,
    detail: resolution.note === '' ? resolution.outcome : `${resolution.outcome}: ${resolution.note}`
  }
}

/** `mention`: a comment by someone else that @mentions me (see `mentions.ts` for what counts). */
export function mentionFact (
  board: string, task: string, comment: { id: string, author: string, at: string, text: string }
): InboxFact {
  const ms = Date.parse(comment.at)
  return {
    space: board,
    board,
    task,
    id: itemId('mention', `${board}/${task}/${comment.id}`),
    kind: 'mention',
    ts: [Number.isFinite(ms) ? ms : 0, 0],
    comment: comment.id,
    actor: comment.author,
    detail: comment.text
  }
}

const MAX_TEXT = 200

/** The one line an item shows: `actor` is the name (or short id) to show, `title` the task's title if known. */
export function itemText (fact: InboxFact, actor: string, title?: string): string {
  const task = title === undefined || title === '' ? `task ${fact.task ?? ''}` : `"${title}"`
  const about = fact.subject === undefined ? task : `"${fact.subject}"`
  const detail = fact.detail === undefined ? '' : `: ${fact.detail}`
  const text = ((): string => {
    switch (fact.kind) {
      case 'task.assigned': return `${actor} assigned ${task} to you`
      case 'claim.lost': return `${actor} holds ${task} by an earlier claim; yours waits behind it`
      case 'claim.contested': return `${actor} also claimed ${task}; you hold it (earliest claim)`
      case 'claim.won': return `${actor} released ${task}; you hold it now`
      case 'application.received': return `${actor} applied to ${about}${detail}`
      case 'application.accepted': return `${actor} accepted your application to ${about}${detail}`
      case 'application.declined': return `${actor} declined your application to ${about}${detail}`
      case 'attestation.requested': return `${actor} asked you to attest their contribution ${about}`
      case 'dispute.opened': return `${actor} disputed your contribution ${about}${detail}`
      case 'dispute.resolved': return `${actor} resolved the dispute on ${about}${detail}`
      case 'mention': return `${actor} mentioned you on ${task}${detail}`
    }
  })()
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length <= MAX_TEXT ? line : `${line.slice(0, MAX_TEXT - 1)}…`
}

/** The fields of an item that comes from one signed entry: its id derived from the entry's, the entry's time and author. */
function fromEntry<K extends InboxKind> (kind: K, e: { id: string, author: string, ts: Stamp }): { id: string, kind: K, ts: Stamp, entry: string, actor: string } {
  return { id: itemId(kind, e.id), kind, ts: e.ts, entry: e.id, actor: e.author }
}

function where (market: string, announcement: AnnouncementFacts): Pick<InboxFact, 'space' | 'board' | 'task'> {
  return { space: market, ...(announcement.board !== undefined ? { board: announcement.board } : {}), ...(announcement.task !== undefined ? { task: announcement.task } : {}) }
}

function onTask (ledger: string, contribution: ContributionFacts): Pick<InboxFact, 'space' | 'board' | 'task' | 'contribution'> {
  return { ...where(ledger, { ...contribution, title: '' }), contribution: contribution.id }
}

function later (a: Stamp, b: Stamp): Stamp {
  return compareStamps(a, b) >= 0 ? a : b
}
