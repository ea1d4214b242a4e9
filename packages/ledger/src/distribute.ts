import { cidString, type SignedEntry } from '@mutual/protocol'
import { CONTRIBUTOR_ROLES } from './authorize.js'
import { byId, byTime, collect, type Item, type Scope } from './collect.js'
import { decideDisputes } from './disputes.js'
import type {
  AllocationLine, Components, ContributionLine, ContributionReason, DisputeLine, Distribution, IgnoreReason, IgnoredLine,
  ParticipantLine, ShareLine
} from './distribution.js'
import { LedgerError } from './errors.js'
import { beneficiaryOf, holds, sameParty, type Participants } from './participants.js'
import { assertPeriod, withinPeriod } from './period.js'
import { parsePolicy, type ValuationPolicy } from './policy.js'
import { taskKey, type ContribFeedbackBody, type ContribRecordBody } from './records.js'
import { addComponents, apportion, idiv, scores, zeroComponents } from './shares.js'

export interface DistributeOptions {
  /** identities whose logs are frozen by a fork proof (equivocators): nothing they wrote counts, nothing is paid to them */
  frozen?: ReadonlySet<string>
}

/**
 * The value distribution of one period: a pure function of the policy, the entries, what
 * `participants` says about roles and operators, and the frozen set. Entries may come in any
 * order and include anything (other types, other periods, duplicates): only the ledger entries
 * in scope for the period are read, in canonical order, with integer arithmetic only, so the
 * result and its encoding are the same on every machine. The rules are in the package README.
 */
export function distribute (policy: ValuationPolicy, entries: Iterable<SignedEntry>, participants: Participants, period: string, options: DistributeOptions = {}): Distribution {
  const valuation = parsePolicy(policy)
  assertPeriod(period)
  const frozenSet = options.frozen ?? new Set<string>()
  const scope = collect(entries, period)
  const isFrozen = (id: string): boolean => frozenSet.has(id) || frozenSet.has(beneficiaryOf(participants, id))
  const ignored = new Map<string, IgnoredLine>()
  const ignore = (item: Item<unknown>, reason: IgnoreReason): void => {
    ignored.set(item.id, { id: item.id, type: item.type, author: item.author, reason })
  }
  // Every entry by a frozen author is out, whatever it is.
  const live = <T extends Item<unknown>>(items: T[]): T[] => items.filter((item) => {
    if (!isFrozen(item.author)) return true
    ignore(item, 'frozen-author')
    return false
  })

  const disputes: DisputeLine[] = []
  const voided = decideDisputes({ ...scope, participants, isFrozen, ignore }, disputes)
  const reviews = judgeAttestations(scope, live(scope.attests), participants, ignore)
  const ratings = judgeFeedback(live(scope.feedback), participants, ignore)
  const endorsers = judgeEndorsements(scope, live(scope.endorses), participants, ignore)

  const raw = new Map<string, Components>()
  const rawOf = (id: string): Components => {
    let c = raw.get(id)
    if (c === undefined) raw.set(id, c = zeroComponents())
    return c
  }

  const contributions: ContributionLine[] = []
  for (const record of scope.records.values()) {
    const { author, body } = record
    const review = reviews.get(record.id) ?? { accepts: 0, rejects: 0, qualitySum: 0 }
    const feedback = body.task === undefined
      ? []
      : (ratings.get(taskKey(body.task, body.board)) ?? []).filter((f) => !sameParty(participants, f.author, author))
    const line: ContributionLine = {
      id: record.id,
      author,
      paidTo: beneficiaryOf(participants, author),
      kind: body.kind,
      effort: body.effort,
      counted: false,
      accepts: review.accepts,
      rejects: review.rejects,
      quality: review.accepts === 0 ? 0 : idiv(1000 * review.qualitySum, review.accepts),
      ratings: feedback.length,
      satisfaction: feedback.length === 0 ? 0 : idiv(1000 * feedback.reduce((sum, f) => sum + f.body.satisfaction - 1, 0), feedback.length),
      endorsements: endorsers.get(record.id)?.size ?? 0,
      components: { effort: 0, quality: 0, satisfaction: 0, endorsement: 0 }
    }
    const reason = contributionReason(record, line, valuation, participants, isFrozen, voided)
    if (reason !== undefined) {
      line.reason = reason
    } else {
      line.counted = true
      line.components = {
        effort: body.effort,
        quality: body.effort * line.quality,
        satisfaction: body.effort * line.satisfaction,
        endorsement: line.endorsements
      }
      addComponents(rawOf(author), line.components)
    }
    contributions.push(line)
  }

  const allocations = judgeAllocations(scope, valuation, participants, isFrozen, ignore)
  for (const a of allocations) for (const [to, points] of a.points) rawOf(to).allocation += points

  const totals = zeroComponents()
  for (const c of raw.values()) addComponents(totals, c)
  for (const n of Object.values(totals)) {
    if (!Number.isSafeInteger(n)) throw new LedgerError('component totals exceed the safe integer range')
  }

  // An agent's value is its operator's (policy.agentShare = 'operator'): raw components are
  // summed per beneficiary before scoring, so rounding happens once, on what each is paid.
  const paid = new Map<string, Components>()
  const agents = new Map<string, string[]>()
  const participantLines: ParticipantLine[] = []
  for (const [id, components] of [...raw].sort(([a], [b]) => a < b ? -1 : 1)) {
    const paidTo = beneficiaryOf(participants, id)
    participantLines.push({ id, paidTo, components })
    const into = paid.get(paidTo) ?? zeroComponents()
    addComponents(into, components)
    paid.set(paidTo, into)
    if (paidTo !== id) agents.set(paidTo, [...(agents.get(paidTo) ?? []), id])
  }
  const shares: ShareLine[] = apportion(scores(paid, totals, valuation.weights))
    .map(({ participant, ppm }) => ({ participant, ppm, agents: agents.get(participant) ?? [] }))

  return {
    v: 1,
    period,
    policy: valuation.version,
    frozen: frozenInScope(scope, frozenSet, participants),
    totals,
    shares,
    participants: participantLines,
    contributions,
    allocations,
    disputes: disputes.sort(byId),
    ignored: [...ignored.values()].sort(byId),
    inputs: scope.inputs
  }
}

function contributionReason (
  record: Item<ContribRecordBody>, line: ContributionLine, policy: ValuationPolicy,
  participants: Participants, isFrozen: (id: string) => boolean, voided: Set<string>
): ContributionReason | undefined {
  if (isFrozen(record.author)) return 'frozen-author'
  if (!withinPeriod(record.body.period, record.ts)) return 'outside-period'
  if (!holds(participants, record.author, record.at, ...CONTRIBUTOR_ROLES)) return 'not-member'
  if (voided.has(record.id)) return 'voided'
  if (line.rejects > 0 && line.rejects >= line.accepts) return 'rejected'
  if (line.accepts < policy.minAttestations) return 'too-few-attestations'
  return undefined
}

interface Review { accepts: number, rejects: number, qualitySum: number }

/** One attestation per reviewer and contribution (the earliest), from a reviewer outside the author's party. */
function judgeAttestations (scope: Scope, attests: Scope['attests'], participants: Participants, ignore: (item: Item<unknown>, reason: IgnoreReason) => void): Map<string, Review> {
  const reviews = new Map<string, Review>()
  const seen = new Set<string>()
  for (const a of [...attests].sort(byTime)) {
    const target = cidString(a.body.contribution)
    const record = scope.records.get(target)
    if (record === undefined) continue
    if (sameParty(participants, a.author, record.author)) { ignore(a, 'self-attestation'); continue }
    if (!holds(participants, a.author, a.at, 'reviewer')) { ignore(a, 'not-reviewer'); continue }
    const key = `${target}|${a.author}`
    if (seen.has(key)) { ignore(a, 'duplicate-attestation'); continue }
    seen.add(key)
    const review = reviews.get(target) ?? { accepts: 0, rejects: 0, qualitySum: 0 }
    if (a.body.verdict === 'accept') {
      review.accepts++
      review.qualitySum += a.body.quality
    } else {
      review.rejects++
    }
    reviews.set(target, review)
  }
  return reviews
}

/** One rating per consumer and task (the earliest), from identities holding `consumer`; grouped by task key. */
function judgeFeedback (feedback: Scope['feedback'], participants: Participants, ignore: (item: Item<unknown>, reason: IgnoreReason) => void): Map<string, Array<Item<ContribFeedbackBody>>> {
  const byTask = new Map<string, Array<Item<ContribFeedbackBody>>>()
  const seen = new Set<string>()
  for (const f of [...feedback].sort(byTime)) {
    if (!holds(participants, f.author, f.at, 'consumer')) { ignore(f, 'not-consumer'); continue }
    const task = taskKey(f.body.task, f.body.board)
    const key = `${task}|${f.author}`
    if (seen.has(key)) { ignore(f, 'duplicate-feedback'); continue }
    seen.add(key)
    byTask.set(task, [...(byTask.get(task) ?? []), f])
  }
  return byTask
}

/** One endorsement per member and contribution (the earliest), from outside the author's party. */
function judgeEndorsements (scope: Scope, endorses: Scope['endorses'], participants: Participants, ignore: (item: Item<unknown>, reason: IgnoreReason) => void): Map<string, Set<string>> {
  const endorsers = new Map<string, Set<string>>()
  for (const e of [...endorses].sort(byTime)) {
    const target = cidString(e.body.contribution)
    const record = scope.records.get(target)
    if (record === undefined) continue
    if (sameParty(participants, e.author, record.author)) { ignore(e, 'self-endorsement'); continue }
    if (!holds(participants, e.author, e.at, 'member')) { ignore(e, 'not-member'); continue }
    const set = endorsers.get(target) ?? new Set<string>()
    if (set.has(e.author)) { ignore(e, 'duplicate-endorsement'); continue }
    set.add(e.author)
    endorsers.set(target, set)
  }
  return endorsers
}

/**
 * Each member's latest allocation for the period (highest seq, then latest stamp, then highest
 * id) stands and the earlier ones are superseded; if the latest breaks a rule the member
 * allocates nothing this period. Points to the allocator's own party, to frozen identities or to
 * identities that are neither members nor agents at the allocation's point are dropped.
 */
function judgeAllocations (
  scope: Scope, policy: ValuationPolicy, participants: Participants, isFrozen: (id: string) => boolean,
  ignore: (item: Item<unknown>, reason: IgnoreReason) => void
): AllocationLine[] {
  const latest = new Map<string, Scope['allocations'][number]>()
  const lines: AllocationLine[] = []
  for (const a of scope.allocations) {
    if (isFrozen(a.author)) {
      ignore(a, 'frozen-author')
      lines.push({ id: a.id, author: a.author, counted: false, reason: 'frozen-author', points: [], dropped: [] })
      continue
    }
    const current = latest.get(a.author)
    if (current === undefined) { latest.set(a.author, a); continue }
    const aIsNewer = a.seq !== current.seq ? a.seq > current.seq : byTime(a, current) > 0
    const [older, newer] = aIsNewer ? [current, a] : [a, current]
    latest.set(a.author, newer)
    ignore(older, 'superseded')
    lines.push({ id: older.id, author: older.author, counted: false, reason: 'superseded', points: [], dropped: [] })
  }
  for (const a of latest.values()) {
    const sum = a.body.points.reduce((total, [, points]) => total + points, 0)
    const reason: IgnoreReason | undefined = !withinPeriod(a.body.period, a.ts)
      ? 'outside-period'
      : !holds(participants, a.author, a.at, 'member') ? 'not-member' : sum > policy.allocationBudget ? 'over-budget' : undefined
    if (reason !== undefined) {
      ignore(a, reason)
      lines.push({ id: a.id, author: a.author, counted: false, reason, points: [], dropped: [] })
      continue
    }
    const line: AllocationLine = { id: a.id, author: a.author, counted: true, points: [], dropped: [] }
    for (const [to, points] of [...a.body.points].sort(([x], [y]) => x < y ? -1 : 1)) {
      if (sameParty(participants, to, a.author)) line.dropped.push([to, 'self'])
      else if (isFrozen(to)) line.dropped.push([to, 'frozen-author'])
      else if (!holds(participants, to, a.at, 'member', 'agent')) line.dropped.push([to, 'not-member'])
      else line.points.push([to, points])
    }
    lines.push(line)
  }
  return lines.sort(byId)
}

/** The frozen identities that matter here: authors of inputs, allocation recipients, and their operators. */
function frozenInScope (scope: Scope, frozen: ReadonlySet<string>, participants: Participants): string[] {
  if (frozen.size === 0) return []
  const involved = new Set<string>()
  const items: Array<Item<unknown>> = [
    ...scope.records.values(), ...scope.attests, ...scope.endorses, ...scope.feedback, ...scope.allocations, ...scope.opens, ...scope.resolves
  ]
  for (const item of items) involved.add(item.author)
  for (const a of scope.allocations) for (const [to] of a.body.points) involved.add(to)
  for (const id of [...involved]) involved.add(beneficiaryOf(participants, id))
  return [...frozen].filter((id) => involved.has(id)).sort()
}
