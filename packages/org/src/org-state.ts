import { GENESIS_TYPE, type GenesisBody, type SignedEntry, type Stamp } from '@mutual/protocol'
import { canonical, cidText, headIn, idOf, wallOf } from './entries.js'
import { meetsThreshold } from './evidence.js'
import {
  DEFAULT_THRESHOLD, ORG_APPROVE, ORG_CREDENTIAL, ORG_DELEGATE, ORG_PROPOSE, ORG_REVOKE,
  type ApproveBody, type Change, type CredentialBody, type DelegateBody, type ProposeBody, type RevokeBody, type Threshold
} from './org-records.js'
import type { Heads } from './schema.js'
import type { Role } from './roles.js'
import { UnknownOrgError } from './errors.js'

export interface CredentialInfo {
  id: string
  member: string
  roles: Role[]
  expires?: number
  kind: CredentialBody['kind']
  issuer: string
  ts: Stamp
  revoked?: { heads: Heads, by: string }
}

/** A member as their newest credential describes them. */
export interface MemberInfo {
  roles: Role[]
  credential: string
  expires?: number
  kind: CredentialBody['kind']
  revoked?: { heads: Heads }
}

export interface AdminInfo {
  /** the org's genesis for the founder, else the approval that enacted their addition */
  since: string
  /** set once an enacted change removed them: their entries past these heads do not count */
  removed?: { heads: Heads, by: string }
}

export interface Delegation {
  id: string
  operator: string
  scopes: string[]
  expires: number
  revoked?: { heads: Heads, by: string }
}

export interface ApprovalInfo {
  id: string
  author: string
  as: ApproveBody['as']
  enacts: boolean
}

export interface ProposalInfo {
  id: string
  author: string
  ts: Stamp
  change: Change
  threshold: Threshold
  approvals: ApprovalInfo[]
}

/** A change in force: the proposal, the approval that enacted it, and every approval in that approval's closure. */
export interface EnactedChange {
  proposal: string
  change: Change
  enactedBy: string
  approvals: string[]
}

export interface PolicyVersion extends EnactedChange {
  version: number
  policy: Record<string, unknown>
}

/** Where an author's entries stop counting: a revocation or an admin removal, with the heads it names. */
export interface Cutoff {
  target: string
  heads: Heads
  by: string
  kind: 'revoke' | 'remove'
}

export interface OrgState {
  org: string
  founder: string
  admins: Map<string, AdminInfo>
  members: Map<string, MemberInfo>
  credentials: Map<string, CredentialInfo>
  /** agent → delegation (the newest) */
  delegations: Map<string, Delegation>
  /** value policies in force, oldest first */
  policies: PolicyVersion[]
  threshold: Threshold
  /** the approval that enacted the threshold in force, if it is not the default */
  thresholdBy?: string
  /** proposals not yet enacted, with their approvals */
  proposals: Map<string, ProposalInfo>
  /** every enacted change, in the order enacted */
  changes: EnactedChange[]
  /** author → cutoffs */
  cutoffs: Map<string, Cutoff[]>
  /** ids of the entries that count, the genesis included */
  counted: Set<string>
}

/**
 * The state of an organization: a pure function of its space's entries. Entries are sorted
 * canonically (stamp, then id) and reduced; refs always precede an entry in that order (the org
 * authorizer requires refs stamped earlier), so authority is re-derived from the state so far.
 *
 * Cutoffs (revocations and admin removals) apply by seq, not by time: an author's entry past the
 * head a cutoff names for the org space does not count, wherever it falls in the order. So the
 * reduction runs twice: once to find the cutoffs (a cutoff counts only if its own author was not
 * cut off by an earlier one, so the earlier of two conflicting cutoffs wins), then again with all
 * of them known from the start. Entries are trusted to have passed the authorizer; what the
 * reducer re-checks is what refs cannot show: cutoffs and entries that no longer count.
 */
export function orgState (entries: Iterable<SignedEntry>): OrgState {
  const all = [...entries]
  const genesis = all.find((e) => e.entry.type === GENESIS_TYPE && (e.entry.body as GenesisBody).kind === 'org') as SignedEntry<GenesisBody> | undefined
  if (genesis === undefined) throw new UnknownOrgError('no org genesis among the entries')
  const sorted = canonical(all.filter((e) => e.space === genesis.space))
  const first = reduce(genesis, sorted)
  return reduce(genesis, sorted, first)
}

function emptyState (genesis: SignedEntry<GenesisBody>): OrgState {
  return {
    org: genesis.space,
    founder: genesis.entry.author,
    admins: new Map([[genesis.entry.author, { since: genesis.space }]]),
    members: new Map(),
    credentials: new Map(),
    delegations: new Map(),
    policies: [],
    threshold: { ...DEFAULT_THRESHOLD },
    proposals: new Map(),
    changes: [],
    cutoffs: new Map(),
    counted: new Set([genesis.space])
  }
}

const CUTTING = new Set([ORG_REVOKE, ORG_APPROVE])

function reduce (genesis: SignedEntry<GenesisBody>, sorted: SignedEntry[], first?: OrgState): OrgState {
  const state = emptyState(genesis)
  const org = state.org
  const proposalsById = new Map<string, ProposalInfo>()
  const enacted = new Set<string>()
  const tallies = new Map<string, { admins: Set<string>, unionReps: Set<string>, closure: Set<string> }>()
  const delegationsById = new Map<string, { agent: string, delegation: Delegation }>()
  // Cutoffs that decide whether an entry counts: all of them on the second pass, those so far on the first.
  const cutoffs = first?.cutoffs ?? state.cutoffs

  for (const e of sorted) {
    const id = idOf(e)
    if (e.entry.type === GENESIS_TYPE) continue
    const { author, seq } = e.entry
    if (first !== undefined && CUTTING.has(e.entry.type) && producedCutoff(first, id)) {
      // A cutoff that counted on the first pass stands: a later cutoff cannot undo an earlier one.
    } else if (isCut(cutoffs, author, org, seq)) {
      continue
    }
    const isAdmin = state.admins.has(author)
    let counts = false
    switch (e.entry.type) {
      case ORG_CREDENTIAL: {
        if (!isAdmin) break
        const b = e.entry.body as CredentialBody
        const info: CredentialInfo = { id, member: b.member, roles: [...b.roles], kind: b.kind, issuer: author, ts: e.entry.ts }
        if (b.expires !== undefined) info.expires = b.expires
        state.credentials.set(id, info)
        counts = true
        break
      }
      case ORG_REVOKE: {
        if (!isAdmin) break
        const b = e.entry.body as RevokeBody
        const target = cidText(b.credential)
        const credential = state.credentials.get(target)
        const delegation = delegationsById.get(target)
        if (credential !== undefined && credential.member === b.member) credential.revoked ??= { heads: b.heads, by: id }
        else if (delegation !== undefined && delegation.agent === b.member) delegation.delegation.revoked ??= { heads: b.heads, by: id }
        else break
        addCutoff(state.cutoffs, { target: b.member, heads: b.heads, by: id, kind: 'revoke' })
        counts = true
        break
      }
      case ORG_DELEGATE: {
        if (!isAdmin) break
        const b = e.entry.body as DelegateBody
        const operator = (e.entry.refs ?? []).map(cidText).some((r) => state.credentials.get(r)?.member === b.operator)
        if (!operator) break
        const delegation: Delegation = { id, operator: b.operator, scopes: [...b.scopes], expires: b.expires }
        state.delegations.set(b.agent, delegation)
        delegationsById.set(id, { agent: b.agent, delegation })
        counts = true
        break
      }
      case ORG_PROPOSE: {
        if (!isAdmin) break
        const b = e.entry.body as ProposeBody
        const info: ProposalInfo = { id, author, ts: e.entry.ts, change: b.change, threshold: b.threshold, approvals: [] }
        proposalsById.set(id, info)
        state.proposals.set(id, info)
        counts = true
        break
      }
      case ORG_APPROVE: {
        const b = e.entry.body as ApproveBody
        const proposal = proposalsById.get(cidText(b.proposal))
        if (proposal === undefined) break
        if (b.as === 'admin' ? !isAdmin : !holdsRole(state, author, 'union-rep', e.entry.ts)) break
        const tally = { admins: new Set<string>(), unionReps: new Set<string>(), closure: new Set<string>([id]) }
        for (const ref of (e.entry.refs ?? []).map(cidText)) {
          const prior = tallies.get(ref)
          if (prior === undefined || !proposal.approvals.some((a) => a.id === ref)) continue
          for (const x of prior.admins) tally.admins.add(x)
          for (const x of prior.unionReps) tally.unionReps.add(x)
          for (const x of prior.closure) tally.closure.add(x)
        }
        ;(b.as === 'admin' ? tally.admins : tally.unionReps).add(author)
        tallies.set(id, tally)
        proposal.approvals.push({ id, author, as: b.as, enacts: b.enacts })
        if (b.enacts && !enacted.has(proposal.id) && meetsThreshold(tally, proposal.threshold)) {
          enacted.add(proposal.id)
          state.proposals.delete(proposal.id)
          enact(state, proposal, id, [...tally.closure].sort())
        }
        counts = true
        break
      }
      default:
        // Other types in an org space (space keys, notes) are the admins'; they change no state.
        counts = isAdmin
    }
    if (counts) state.counted.add(id)
  }
  finishMembers(state)
  return state
}

function producedCutoff (state: OrgState, id: string): boolean {
  for (const list of state.cutoffs.values()) if (list.some((c) => c.by === id)) return true
  return false
}

function enact (state: OrgState, proposal: ProposalInfo, by: string, approvals: string[]): void {
  const change = proposal.change
  state.changes.push({ proposal: proposal.id, change, enactedBy: by, approvals })
  switch (change.kind) {
    case 'admins':
      for (const admin of change.add) if (!state.admins.has(admin)) state.admins.set(admin, { since: by })
      for (const { admin, heads } of change.remove) {
        const info = state.admins.get(admin)
        if (info === undefined || info.removed !== undefined) continue
        info.removed = { heads, by }
        addCutoff(state.cutoffs, { target: admin, heads, by, kind: 'remove' })
      }
      break
    case 'policy':
      state.policies.push({ proposal: proposal.id, change, enactedBy: by, approvals, version: state.policies.length + 1, policy: change.policy })
      break
    case 'threshold':
      state.threshold = { admins: change.admins, unionRep: change.unionRep }
      state.thresholdBy = by
      break
  }
}

function addCutoff (cutoffs: Map<string, Cutoff[]>, cutoff: Cutoff): void {
  const list = cutoffs.get(cutoff.target) ?? []
  list.push(cutoff)
  cutoffs.set(cutoff.target, list)
}

function isCut (cutoffs: Map<string, Cutoff[]>, author: string, space: string, seq: number): boolean {
  const bound = boundOf(cutoffs, author, space)
  return bound !== undefined && seq > bound
}

function boundOf (cutoffs: Map<string, Cutoff[]>, author: string, space: string): number | undefined {
  let bound: number | undefined
  for (const c of cutoffs.get(author) ?? []) {
    const head = headIn(c.heads, space) ?? 0
    bound = bound === undefined ? head : Math.min(bound, head)
  }
  return bound
}

function holdsRole (state: OrgState, member: string, role: Role, ts: Stamp): boolean {
  for (const c of state.credentials.values()) {
    if (c.member === member && c.roles.includes(role) && (c.expires === undefined || wallOf(ts) < c.expires)) return true
  }
  return false
}

function finishMembers (state: OrgState): void {
  // Credentials are in canonical order, so the last one seen for a member is their newest.
  for (const c of state.credentials.values()) {
    const info: MemberInfo = { roles: [...c.roles], credential: c.id, kind: c.kind }
    if (c.expires !== undefined) info.expires = c.expires
    if (c.revoked !== undefined) info.revoked = { heads: c.revoked.heads }
    state.members.set(c.member, info)
  }
}

/** Where an entry sits: its space, its seq in its author's log there, and its stamp (or wall ms). */
export interface EntryPoint {
  space: string
  seq: number
  ts: Stamp | number
}

/**
 * The last seq of `author` that counts in `space`, if a revocation or removal cut them off: the
 * lowest head their cutoffs name for the space, 0 for a space a cutoff does not name.
 */
export function cutoffFor (state: Pick<OrgState, 'cutoffs'>, author: string, space: string): number | undefined {
  return boundOf(state.cutoffs, author, space)
}

/**
 * The roles `id` holds. With `at`, as of that entry: credentials unexpired at its stamp, and
 * nothing at all past a cutoff's head for its space. Without, as of now by the state: credentials
 * not revoked and admins not removed (expiry needs a clock: pass `at` with the current time).
 */
export function rolesOf (state: OrgState, id: string, at?: EntryPoint): Role[] {
  const roles = new Set<Role>()
  if (at !== undefined) {
    const bound = cutoffFor(state, id, at.space)
    if (bound !== undefined && at.seq > bound) return []
  }
  const admin = state.admins.get(id)
  if (admin !== undefined && (at !== undefined || admin.removed === undefined)) roles.add('admin')
  for (const c of state.credentials.values()) {
    if (c.member !== id) continue
    if (at === undefined ? c.revoked !== undefined : c.expires !== undefined && wallOf(at.ts) >= c.expires) continue
    for (const r of c.roles) roles.add(r)
  }
  return [...roles].sort()
}

/** The operator an agent acts for, if a delegation names it (unexpired at `at`, when given, and not revoked). */
export function operatorOf (state: OrgState, agent: string, at?: EntryPoint): string | undefined {
  const d = state.delegations.get(agent)
  if (d === undefined) return undefined
  if (at === undefined ? d.revoked !== undefined : wallOf(at.ts) >= d.expires) return undefined
  if (at !== undefined) {
    const bound = cutoffFor(state, agent, at.space)
    if (bound !== undefined && at.seq > bound) return undefined
  }
  return d.operator
}

/** Current admins: added and not removed. */
export function currentAdmins (state: OrgState): string[] {
  return [...state.admins].filter(([, a]) => a.removed === undefined).map(([id]) => id).sort()
}
