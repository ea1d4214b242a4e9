import { cidString, type CID, type SignedEntry } from '@mutual/protocol'
import { assignRecord, claimRecord, type AssignRecord, type ClaimRecord } from '@mutual/board'
import { TASK_ACCEPT, TASK_ANNOUNCE, TASK_APPLY, TASK_DECLINE, type AnnounceBody, type ApplyBody, type DecisionBody } from '@mutual/org'
import {
  CONTRIB_ATTEST, CONTRIB_RECORD, DISPUTE_OPEN, DISPUTE_RESOLVE, type ContribAttestBody, type ContribRecordBody, type DisputeOpenBody, type DisputeResolveBody
} from '@mutual/ledger'
import {
  applicationFact, assignmentFacts, attestationRequestFact, claimFacts, decisionFact, disputeOpenedFact, disputeResolvedFact,
  type AnnouncementFacts, type ApplicationFacts, type ContributionFacts, type DisputeFacts, type InboxFact
} from './rules.js'

/**
 * The inbox's index: the facts the rules need (claims per task, announcements, applications,
 * contributions, disputes) and the items derived from them, kept current one entry at a time —
 * no I/O, no rereading of logs. Entries may come in any order (a start-up scan reads a space
 * author by author): one that names an entry not seen yet waits for it. Whatever order the same
 * entries come in, the same items result.
 */
export class InboxIndex {
  readonly me: string
  private readonly items = new Map<string, InboxFact>()
  /** item ids by what derives them: `claims/…`, `assign/…` (board/task), `attest/<contribution>`, `mentions/<board>` */
  private readonly groups = new Map<string, Set<string>>()
  private readonly claims = new Map<string, ClaimRecord[]>()
  private readonly assignments = new Map<string, AssignRecord[]>()
  private readonly announcements = new Map<string, AnnouncementFacts>()
  private readonly applications = new Map<string, ApplicationFacts>()
  private readonly contributions = new Map<string, ContributionFacts>()
  private readonly disputes = new Map<string, DisputeFacts>()
  /** contributions I have attested */
  private readonly attested = new Set<string>()
  private readonly seen = new Set<string>()
  /** entries waiting for the entry they name, by its id */
  private readonly waiting = new Map<string, SignedEntry[]>()

  constructor (me: string) {
    this.me = me
  }

  /** Every item, newest first (stamp, then id). */
  list (): InboxFact[] {
    return [...this.items.values()].sort((a, b) => b.ts[0] - a.ts[0] || b.ts[1] - a.ts[1] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  }

  get (id: string): InboxFact | undefined {
    return this.items.get(id)
  }

  get size (): number {
    return this.items.size
  }

  /** Takes one (readable) entry of any space; returns the items it added. */
  add (entry: SignedEntry): InboxFact[] {
    const id = cidString(entry.id)
    if (this.seen.has(id)) return []
    const added: InboxFact[] = []
    this.take(entry, id, added)
    return added
  }

  /** Replaces the items derived from one group (a board's mentions): returns those that are new. */
  replaceGroup (group: string, facts: readonly InboxFact[]): InboxFact[] {
    const before = this.groups.get(group) ?? new Set<string>()
    const now = new Set(facts.map((f) => f.id))
    for (const old of before) if (!now.has(old)) this.items.delete(old)
    const added: InboxFact[] = []
    for (const fact of facts) {
      if (!this.items.has(fact.id)) added.push(fact)
      this.items.set(fact.id, fact)
    }
    if (now.size === 0) this.groups.delete(group)
    else this.groups.set(group, now)
    return added
  }

  private take (entry: SignedEntry, id: string, added: InboxFact[]): void {
    const { type, body, author, ts } = entry.entry
    const space = entry.space
    const push = (fact: InboxFact | undefined): void => {
      if (fact !== undefined && !this.items.has(fact.id)) {
        this.items.set(fact.id, fact)
        added.push(fact)
      }
    }
    const claim = claimRecord(entry)
    if (claim !== undefined) {
      this.seen.add(id)
      const key = `${space}/${claim.task}`
      const records = this.claims.get(key) ?? []
      records.push(claim)
      this.claims.set(key, records)
      added.push(...this.replaceGroup(`claims/${key}`, claimFacts(this.me, space, claim.task, records)))
      return
    }
    const assign = assignRecord(entry)
    if (assign !== undefined) {
      this.seen.add(id)
      const key = `${space}/${assign.task}`
      const records = this.assignments.get(key) ?? []
      records.push(assign)
      this.assignments.set(key, records)
      added.push(...this.replaceGroup(`assign/${key}`, assignmentFacts(this.me, space, assign.task, records)))
      return
    }
    switch (type) {
      case TASK_ANNOUNCE: {
        const b = body as AnnounceBody
        this.announcements.set(id, { id, author, title: b.title, ...(b.board !== undefined ? { board: b.board } : {}), ...(b.task !== undefined ? { task: b.task } : {}) })
        break
      }
      case TASK_APPLY: {
        const b = body as ApplyBody
        const announcement = this.announcements.get(text(b.announcement))
        if (announcement === undefined) return this.wait(text(b.announcement), entry)
        const application: ApplicationFacts = { id, author, ts, note: b.note, announcement: announcement.id }
        this.applications.set(id, application)
        push(applicationFact(this.me, space, application, announcement))
        break
      }
      case TASK_ACCEPT:
      case TASK_DECLINE: {
        const b = body as DecisionBody
        const application = this.applications.get(text(b.application))
        if (application === undefined) return this.wait(text(b.application), entry)
        const announcement = this.announcements.get(application.announcement) as AnnouncementFacts
        push(decisionFact(this.me, space, { id, author, ts, accept: type === TASK_ACCEPT, reason: b.reason }, application, announcement))
        break
      }
      case CONTRIB_RECORD: {
        const b = body as ContribRecordBody
        const contribution: ContributionFacts = { id, author, summary: b.title ?? b.summary, ...(b.board !== undefined ? { board: text(b.board) } : {}), ...(b.task !== undefined ? { task: b.task } : {}) }
        this.contributions.set(id, contribution)
        const request = attestationRequestFact(this.me, space, { ...contribution, ts, reviewers: b.reviewers ?? [] }, this.attested.has(id))
        if (request !== undefined) added.push(...this.replaceGroup(`attest/${id}`, [request]))
        break
      }
      case CONTRIB_ATTEST: {
        // My attestation answers the request: its item goes.
        const contribution = text((body as ContribAttestBody).contribution)
        if (author === this.me) {
          this.attested.add(contribution)
          this.replaceGroup(`attest/${contribution}`, [])
        }
        break
      }
      case DISPUTE_OPEN: {
        const b = body as DisputeOpenBody
        const contribution = this.contributions.get(text(b.target))
        if (contribution === undefined) return this.wait(text(b.target), entry)
        const dispute: DisputeFacts = { id, author, ts, reason: b.reason, target: contribution.id }
        this.disputes.set(id, dispute)
        push(disputeOpenedFact(this.me, space, dispute, contribution))
        break
      }
      case DISPUTE_RESOLVE: {
        const b = body as DisputeResolveBody
        const dispute = this.disputes.get(text(b.dispute))
        if (dispute === undefined) return this.wait(text(b.dispute), entry)
        const contribution = this.contributions.get(dispute.target) as ContributionFacts
        push(disputeResolvedFact(this.me, space, { id, author, ts, outcome: b.outcome, note: b.note }, dispute, contribution))
        break
      }
      default:
        return
    }
    this.seen.add(id)
    const waiting = this.waiting.get(id)
    if (waiting !== undefined) {
      this.waiting.delete(id)
      for (const e of waiting) this.take(e, cidString(e.id), added)
    }
  }

  private wait (on: string, entry: SignedEntry): void {
    const list = this.waiting.get(on) ?? []
    if (!list.some((e) => e.id.equals(entry.id))) list.push(entry)
    this.waiting.set(on, list)
  }
}

function text (cid: CID | string): string {
  return typeof cid === 'string' ? cid : cidString(cid)
}
