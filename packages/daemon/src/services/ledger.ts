import { CID, cidString, type Identity, type SignedEntry } from '@mutual/protocol'
import type { Log } from '@mutual/log'
import type { MutualNode } from '@mutual/node'
import { ROLES, announceSpace, createGrantedSpace, currentAdmins, grantRefs, grantingOrg, orgParticipants, roleRefs, rolesOf, type OrgRegistry } from '@mutual/org'
import { UnknownTaskError, type BoardReplica } from '@mutual/board'
import {
  CONTRIB_ALLOCATE, CONTRIB_ATTEST, CONTRIB_ENDORSE, CONTRIB_FEEDBACK, CONTRIB_RECORD, DISPUTE_OPEN, DISPUTE_RESOLVE, ENTRY_ROLES, NO_PARTICIPANTS,
  NotALedgerError, SETTLEMENT, DuplicateFeedbackError, distribute, distributionHash, isPeriod, periodOf, policyInForce, policyNamed, settle, taskKey,
  taskContribution, verifySettlement, type ContribFeedbackBody, type ContribRecordBody, type LedgerType, type Participants, type PolicyInForce
} from '@mutual/ledger'
import type { Contribution, Entry, LedgerSummary, RecordedTask, SettlementCheck, Shares } from '../contract/index.js'
import { InvalidRequestError, NotFoundError } from '../errors.js'
import type { Boards } from './board-replicas.js'
import { contributionJson } from './contribution-view.js'
import { entryToJson, toJson } from './json.js'
import { pick } from './resolve.js'

export interface LedgerServiceInit {
  log: Log
  node: MutualNode
  identity: Identity
  orgs: OrgRegistry
  /** the boards held here, for contributions recorded from their tasks */
  replicas: Boards
}

export interface RecordTaskRequest {
  task: string
  board?: string
  summary?: string
  evidence?: string[]
  period?: string
}

export interface RecordRequest {
  task?: string
  board?: string
  kind: ContribRecordBody['kind']
  effort: number
  summary: string
  evidence?: string[]
  period?: string
}

const currentPeriod = (): string => periodOf([Date.now(), 0])

/**
 * The contribution ledger of an organization: one space of kind `ledger` per org, granted to it.
 * Every write is an entry by this node's identity with the refs its rules ask for — the space
 * policy and a live credential for a role the entry needs (computed once per write), and the
 * entry it is about; an entry the rules refuse is answered with its named error, nothing stored.
 */
export class LedgerService {
  private readonly init: LedgerServiceInit

  constructor (init: LedgerServiceInit) {
    this.init = init
  }

  async create (org: string, name?: string): Promise<{ ledger: string, org: string }> {
    const { log, identity, node } = this.init
    if (log.genesis(org)?.entry.body.kind !== 'org') throw new NotFoundError(`no org space ${org} here`)
    const genesis = await createGrantedSpace(log, identity, { kind: 'ledger', name: name ?? 'ledger', policy: { grants: [{ org, roles: [...ROLES] }], read: 'grants', owner: org } })
    await announceSpace(log, identity, org, genesis.space)
    await node.join(genesis.space)
    return { ledger: genesis.space, org }
  }

  list (): LedgerSummary[] {
    const { log, orgs } = this.init
    return log.spaces().filter((s) => log.genesis(s)?.entry.body.kind === 'ledger').sort()
      .map((s) => ({ ledger: s, name: log.genesis(s)?.entry.body.name ?? '', org: grantingOrg(orgs, s) ?? null }))
  }

  async record (ledger: string, b: RecordRequest): Promise<Entry> {
    const body: ContribRecordBody = { kind: b.kind, effort: b.effort, summary: b.summary, evidence: b.evidence ?? [], period: b.period ?? currentPeriod() }
    if (b.task !== undefined) body.task = b.task
    if (b.board !== undefined) body.board = CID.parse(b.board)
    return await this.write(ledger, CONTRIB_RECORD, body)
  }

  /**
   * Records the contribution of a done task this node holds (the ledger's `taskContribution`
   * says what is recorded and what is refused). The board's policy names the reviewers: the
   * ledger's organization's identities holding `reviewer` now (those who may attest it).
   */
  async recordTask (ledger: string, b: RecordTaskRequest): Promise<RecordedTask> {
    this.assertLedger(ledger)
    const { replica, task } = await this.findTask(b.task, b.board)
    const found = replica.board.task(task)
    if (found === undefined) throw new UnknownTaskError(`no task ${task} on board ${replica.space}`)
    const body = taskContribution({
      task: {
        board: replica.space,
        task,
        title: found.title,
        status: found.status,
        done: replica.board.workflow().done,
        estimate: found.estimate,
        holder: replica.claims().get(task)?.holder ?? null
      },
      recorder: this.init.identity.id,
      entries: await this.entriesOf(ledger),
      reviewers: this.reviewersOf(ledger),
      participants: this.participants(ledger),
      period: b.period ?? currentPeriod(),
      summary: b.summary,
      evidence: b.evidence
    })
    const entry = await this.write(ledger, CONTRIB_RECORD, body)
    return { entry, task: { board: replica.space, task, title: body.title ?? null }, effort: body.effort, reviewers: body.reviewers ?? [] }
  }

  async attest (ledger: string, b: { contribution: string, verdict: 'accept' | 'reject', quality: number, note?: string }): Promise<Entry> {
    const target = await this.entryIn(ledger, b.contribution, CONTRIB_RECORD)
    return await this.write(ledger, CONTRIB_ATTEST, { contribution: target.id, verdict: b.verdict, quality: b.quality, note: b.note ?? '' }, [target.id])
  }

  async feedback (ledger: string, b: { task: string, board?: string, satisfaction: number, note?: string }): Promise<Entry> {
    const board = b.board === undefined ? undefined : CID.parse(b.board)
    const key = taskKey(b.task, board)
    for (const e of await this.entriesOf(ledger)) {
      if (e.entry.type !== CONTRIB_FEEDBACK || e.entry.author !== this.init.identity.id) continue
      const f = e.entry.body as ContribFeedbackBody
      if (taskKey(f.task, f.board) === key) throw new DuplicateFeedbackError(`${this.init.identity.id} already gave feedback on task ${b.task}`)
    }
    const body: ContribFeedbackBody = { task: b.task, satisfaction: b.satisfaction }
    if (board !== undefined) body.board = board
    if (b.note !== undefined) body.note = b.note
    return await this.write(ledger, CONTRIB_FEEDBACK, body)
  }

  async endorse (ledger: string, b: { contribution: string, note?: string }): Promise<Entry> {
    const target = await this.entryIn(ledger, b.contribution, CONTRIB_RECORD)
    const body: { contribution: CID, note?: string } = { contribution: target.id }
    if (b.note !== undefined) body.note = b.note
    return await this.write(ledger, CONTRIB_ENDORSE, body, [target.id])
  }

  async allocate (ledger: string, b: { period?: string, points: Array<[string, number]> }): Promise<Entry> {
    return await this.write(ledger, CONTRIB_ALLOCATE, { period: b.period ?? currentPeriod(), points: b.points })
  }

  async openDispute (ledger: string, b: { target: string, reason: string }): Promise<Entry> {
    const target = await this.entryIn(ledger, b.target, CONTRIB_RECORD)
    return await this.write(ledger, DISPUTE_OPEN, { target: target.id, reason: b.reason }, [target.id])
  }

  async resolveDispute (ledger: string, id: string, b: { outcome: 'upheld' | 'dismissed', note?: string, void?: boolean }): Promise<Entry> {
    const dispute = await this.entryIn(ledger, id, DISPUTE_OPEN)
    const body: { dispute: CID, outcome: 'upheld' | 'dismissed', note: string, void?: boolean } = { dispute: dispute.id, outcome: b.outcome, note: b.note ?? '' }
    if (b.void !== undefined) body.void = b.void
    return await this.write(ledger, DISPUTE_RESOLVE, body, [dispute.id])
  }

  async contributions (ledger: string, period?: string): Promise<Contribution[]> {
    this.assertLedger(ledger)
    const entries = await this.entriesOf(ledger)
    const periods = new Map<string, ReturnType<typeof distribute>>()
    return entries
      .filter((e) => e.entry.type === CONTRIB_RECORD && (period === undefined || (e.entry.body as ContribRecordBody).period === period))
      .map((e) => {
        // One distribution per period, for every contribution of it.
        const p = (e.entry.body as ContribRecordBody).period
        let d = periods.get(p)
        if (d === undefined) periods.set(p, d = this.distribution(ledger, entries, p))
        return contributionJson(e, entries, d)
      })
  }

  async contribution (ledger: string, id: string): Promise<Contribution> {
    const entry = await this.entryIn(ledger, id, CONTRIB_RECORD)
    const entries = await this.entriesOf(ledger)
    return contributionJson(entry, entries, this.distribution(ledger, entries, (entry.entry.body as ContribRecordBody).period))
  }

  async shares (ledger: string, query: { period?: string, explain?: boolean }): Promise<Shares> {
    this.assertLedger(ledger)
    const period = query.period ?? currentPeriod()
    const p = this.policyFor(ledger)
    const d = distribute(p.policy, await this.entriesOf(ledger), this.participants(ledger), period, { frozen: this.frozenOf(ledger) })
    const out: Shares = {
      ledger,
      period,
      policy: { ...p.policy, enacted: p.version, ratifiedBy: p.ratifiedBy, default: p.isDefault },
      hash: distributionHash(d),
      inputs: d.inputs.length,
      shares: toJson(d.shares) as Shares['shares']
    }
    if (query.explain === true) out.distribution = toJson(d) as Shares['distribution']
    return out
  }

  async settle (ledger: string, period: string): Promise<{ entry: Entry, hash: string }> {
    this.assertLedger(ledger)
    if (!isPeriod(period)) throw new InvalidRequestError('period must be YYYY-MM')
    const p = this.policyFor(ledger)
    const d = distribute(p.policy, await this.entriesOf(ledger), this.participants(ledger), period, { frozen: this.frozenOf(ledger) })
    const entry = await this.write(ledger, SETTLEMENT, settle(d, CID.parse(p.ratifiedBy)))
    return { entry, hash: distributionHash(d) }
  }

  async verify (ledger: string, id: string): Promise<SettlementCheck> {
    const entry = await this.entryIn(ledger, id, SETTLEMENT)
    const org = grantingOrg(this.init.orgs, ledger)
    const enacted = (org === undefined ? undefined : this.init.orgs.state(org))?.policies ?? []
    const policy = policyNamed(cidString((entry.entry.body as { policy: CID }).policy), enacted)
    const check = verifySettlement(entry, policy, await this.entriesOf(ledger), this.participants(ledger), { frozen: this.frozenOf(ledger) })
    return { ok: check.ok, expected: check.expected, actual: check.actual, missing: check.missing, extra: check.extra, period: check.distribution.period }
  }

  /** Appends an entry of this node's with the refs its type's rules need: computed once, here. */
  private async write (ledger: string, type: LedgerType, body: unknown, targets: CID[] = []): Promise<Entry> {
    const { log, identity, orgs } = this.init
    this.assertLedger(ledger)
    const org = grantingOrg(orgs, ledger)
    if (org === undefined) throw new NotALedgerError(`ledger ${ledger} is not granted to an organization this node holds`)
    const state = orgs.state(org)
    if (state === undefined) throw new NotALedgerError(`this node does not hold org ${org}`)
    let grant: CID[] | undefined
    try {
      grant = await grantRefs(log, ledger, identity.id)
    } catch (err) {
      // No granted credential: an admin (the founder) may still write what their admin role allows.
      if ((err as Error).name !== 'OrgError') throw err
    }
    const refs = await roleRefs(log, ledger, { grant, state, member: identity.id, roles: ENTRY_ROLES[type] })
    return entryToJson(await log.append(identity, ledger, type, body, [...refs, ...targets]))
  }

  private assertLedger (ledger: string): void {
    const genesis = this.init.log.genesis(ledger)
    if (genesis === undefined) throw new NotALedgerError(`no ledger ${ledger} here (follow it with \`mutual space join <id>\`, or redeem an invite with \`mutual join <ticket>\`)`)
    if (genesis.entry.body.kind !== 'ledger') throw new NotALedgerError(`space ${ledger} is a ${genesis.entry.body.kind}, not a ledger`)
  }

  private async entryIn (ledger: string, id: string, type?: string): Promise<SignedEntry> {
    this.assertLedger(ledger)
    let cid: string
    try {
      cid = cidString(CID.parse(id))
    } catch (err) {
      throw new InvalidRequestError(`"${id.slice(0, 80)}" is not an entry id`, { cause: err })
    }
    const entry = await this.init.log.getById(cid)
    if (entry === undefined || entry.space !== ledger || (type !== undefined && entry.entry.type !== type)) {
      throw new NotFoundError(`no ${type ?? 'entry'} ${cid} in ledger ${ledger}`)
    }
    return entry
  }

  private async entriesOf (ledger: string): Promise<SignedEntry[]> {
    const out: SignedEntry[] = []
    for await (const e of this.init.log.spaceEntries(ledger)) out.push(e)
    return out
  }

  /** The task a request names and the replica of its board: on `board`, or on the one board held here that has it. */
  private async findTask (task: string, board: string | undefined): Promise<{ replica: BoardReplica, task: string }> {
    const { replicas } = this.init
    if (board !== undefined) return { replica: await replicas.open(board), task }
    const where = new Map<string, BoardReplica>()
    const candidates = replicas.list().flatMap((r) => r.board.tasks().map((t) => {
      where.set(t.id, r)
      return { id: t.id, name: t.title }
    }))
    let id: string
    try {
      id = pick('task', task, candidates)
    } catch (err) {
      if ((err as Error).name === 'UnknownNameError') throw new UnknownTaskError(`no task ${task.slice(0, 64)} on any board held here`)
      throw err
    }
    return { replica: where.get(id) as BoardReplica, task: id }
  }

  /** The identities of the ledger's organization holding `reviewer` now. */
  private reviewersOf (ledger: string): string[] {
    const org = grantingOrg(this.init.orgs, ledger)
    const state = org === undefined ? undefined : this.init.orgs.state(org)
    if (state === undefined) return []
    return [...new Set([...currentAdmins(state), ...state.members.keys()])].filter((id) => rolesOf(state, id).includes('reviewer'))
  }

  /** The distribution of one period, for what its rules decided (disputes) about its contributions. */
  private distribution (ledger: string, entries: SignedEntry[], period: string): ReturnType<typeof distribute> {
    return distribute(this.policyFor(ledger).policy, entries, this.participants(ledger), period, { frozen: this.frozenOf(ledger) })
  }

  private frozenOf (ledger: string): Set<string> {
    return new Set(this.init.log.forks(ledger).map((f) => f.author))
  }

  private policyFor (ledger: string): PolicyInForce {
    const org = grantingOrg(this.init.orgs, ledger)
    if (org === undefined) return policyInForce(ledger, [])
    return policyInForce(org, this.init.orgs.state(org)?.policies ?? [])
  }

  /** The ledger's organization's participants, for distribution (operators included). */
  private participants (ledger: string): Participants {
    return ledgerParticipants(this.init.orgs, ledger) ?? NO_PARTICIPANTS
  }
}

/** The participants of a ledger space: its granting organization's, if this node holds it. */
export function ledgerParticipants (orgs: OrgRegistry, space: string): Participants | undefined {
  const org = grantingOrg(orgs, space)
  const state = org === undefined ? undefined : orgs.state(org)
  return state === undefined ? undefined : orgParticipants(state)
}
