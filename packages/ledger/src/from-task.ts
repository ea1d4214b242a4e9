import { CID, cidString, compareStamps, type SignedEntry, type Stamp } from '@mutual/protocol'
import { byId } from './collect.js'
import { NotTaskHolderError, TaskAlreadyRecordedError, TaskEffortError, TaskNotDoneError } from './errors.js'
import { sameParty, type Participants } from './participants.js'
import {
  CONTRIB_ATTEST, CONTRIB_RECORD, MAX_EFFORT, MAX_REQUESTED_REVIEWERS, parseLedgerBody, taskKey,
  type ContribAttestBody, type ContribRecordBody
} from './records.js'

/** What the ledger needs to know of a board's task to record the contribution it stands for. */
export interface FinishedTask {
  /** the board space holding the task */
  board: string
  task: string
  title: string
  status: string
  /** the board workflow's done state */
  done: string
  estimate: number
  /** who holds the task by its claims (the winning claim), or null */
  holder: string | null
}

export interface TaskContributionInput {
  task: FinishedTask
  /** who records it */
  recorder: string
  /** the ledger's entries so far (any order, anything else in them is skipped) */
  entries: Iterable<SignedEntry>
  /** the reviewers the board's policy names, before the recorder's own party is taken out */
  reviewers: Iterable<string>
  participants: Participants
  period: string
  summary?: string
  evidence?: string[]
}

/**
 * The `contrib/record` body of a finished task: effort from its estimate, the task linked by board,
 * id and title, and the reviewers asked to attest it (sorted; never the recorder's own party, who
 * may not attest it). Refuses a task not in its done state (TaskNotDoneError), a recorder who is
 * not its holder (NotTaskHolderError), a second record of the task by the same holder
 * (TaskAlreadyRecordedError) and an estimate that is not a whole number of effort points
 * (TaskEffortError). A pure function: the caller gathers the task and the entries.
 */
export function taskContribution (input: TaskContributionInput): ContribRecordBody {
  const { task, recorder } = input
  if (task.status !== task.done) throw new TaskNotDoneError(`task ${task.task} is in "${task.status}", not in its workflow's done state "${task.done}"`)
  if (task.holder !== recorder) {
    throw new NotTaskHolderError(task.holder === null
      ? `nobody holds task ${task.task}: only its holder records its contribution`
      : `task ${task.task} is held by ${task.holder}: only its holder records its contribution`)
  }
  if (!Number.isSafeInteger(task.estimate) || task.estimate < 0 || task.estimate > MAX_EFFORT) {
    throw new TaskEffortError(`task ${task.task}'s estimate ${task.estimate} is not a whole number of effort points from 0 to ${MAX_EFFORT}`)
  }
  const key = taskKey(task.task, CID.parse(task.board))
  for (const e of input.entries) {
    if (e.entry.type !== CONTRIB_RECORD || e.entry.author !== recorder) continue
    const body = parseLedgerBody(e.entry.type, e.entry.body) as ContribRecordBody | undefined
    if (body?.task !== undefined && taskKey(body.task, body.board) === key) {
      throw new TaskAlreadyRecordedError(`${recorder} already recorded task ${task.task} as contribution ${cidString(e.id)}`)
    }
  }
  const reviewers = [...new Set(input.reviewers)]
    .filter((id) => !sameParty(input.participants, id, recorder))
    .sort()
    .slice(0, MAX_REQUESTED_REVIEWERS)
  const title = task.title.slice(0, 1000)
  const body: ContribRecordBody = {
    task: task.task,
    board: CID.parse(task.board),
    kind: 'work',
    effort: task.estimate,
    summary: (input.summary ?? (title === '' ? `task ${task.task}` : title)).slice(0, 1000),
    evidence: input.evidence ?? [],
    period: input.period,
    reviewers
  }
  if (title !== '') body.title = title
  return body
}

/** One reviewer asked to attest a contribution, and whether they have. */
export interface RequestedReview {
  reviewer: string
  attested: boolean
  /** their earliest attestation of it (by stamp, then id), when they have */
  attestation?: string
  verdict?: ContribAttestBody['verdict']
}

export interface AttestationRequest {
  contribution: string
  author: string
  task?: string
  board?: string
  title?: string
  reviewers: RequestedReview[]
}

/**
 * Which identities each contribution asked to attest it (`reviewers` in its record) and whether
 * each has: a pure function of a ledger's entries, whatever their order, for an inbox to show
 * "attestation requested" and "attested". Contributions that asked nobody are left out; the
 * list is by contribution id, each reviewer list by identity id.
 */
export function attestationRequests (entries: Iterable<SignedEntry>): AttestationRequest[] {
  const records: Array<{ id: string, author: string, body: ContribRecordBody }> = []
  const attests: Array<{ id: string, author: string, ts: Stamp, body: ContribAttestBody }> = []
  const seen = new Set<string>()
  for (const e of entries) {
    const id = cidString(e.id)
    if (seen.has(id)) continue
    seen.add(id)
    const body = parseLedgerBody(e.entry.type, e.entry.body)
    if (body === undefined) continue
    if (e.entry.type === CONTRIB_RECORD) records.push({ id, author: e.entry.author, body: body as ContribRecordBody })
    else if (e.entry.type === CONTRIB_ATTEST) attests.push({ id, author: e.entry.author, ts: e.entry.ts, body: body as ContribAttestBody })
  }
  attests.sort((a, b) => compareStamps(a.ts, b.ts) || byId(a, b))
  const out: AttestationRequest[] = []
  for (const r of records.sort(byId)) {
    if (r.body.reviewers === undefined || r.body.reviewers.length === 0) continue
    const reviewers = [...r.body.reviewers].sort().map((reviewer): RequestedReview => {
      const a = attests.find((x) => x.author === reviewer && cidString(x.body.contribution) === r.id)
      return a === undefined ? { reviewer, attested: false } : { reviewer, attested: true, attestation: a.id, verdict: a.body.verdict }
    })
    const request: AttestationRequest = { contribution: r.id, author: r.author, reviewers }
    if (r.body.task !== undefined) request.task = r.body.task
    if (r.body.board !== undefined) request.board = cidString(r.body.board)
    if (r.body.title !== undefined) request.title = r.body.title
    out.push(request)
  }
  return out
}
