import { CID, type GenesisBody, type Identity, type SignedEntry, type SpaceKind } from '@mutual/protocol'
import type { Log } from '@mutual/log'
import { canonical, isEntry, wallOf } from './entries.js'
import { closureTally, meetsThreshold } from './evidence.js'
import { orgState, type OrgState } from './org-state.js'
import {
  ORG_APPROVE, ORG_CREDENTIAL, ORG_DELEGATE, ORG_PROPOSE, ORG_REVOKE,
  type ApproveBody, type Change, type CredentialBody, type DelegateBody, type ProposeBody, type RevokeBody, type Threshold
} from './org-records.js'
import { FEDERATION_ACCEPT, FEDERATION_CHARTER, type AcceptBody, type CharterBody } from './federation-records.js'
import { federationState } from './federation.js'
import { SPACE_POLICY, type SpacePolicyBody } from './grant-records.js'
import { policyEntry } from './policy-entry.js'
import { revocationHeads } from './revocation.js'
import { OrgError, UnknownOrgError } from './errors.js'
import type { Heads } from './schema.js'
import { adminsWriteUnder, type Role } from './roles.js'

/*
 * Helpers for the writing side: each reads what it needs from the log, builds the body and the
 * refs the authorizers ask for, and appends. The checks themselves are the authorizers'.
 */

export async function spaceEntriesOf (log: Log, space: string): Promise<SignedEntry[]> {
  const out: SignedEntry[] = []
  for await (const e of log.spaceEntries(space)) out.push(e)
  return out
}

/** The state of an org space this log holds. */
export async function loadOrgState (log: Log, org: string): Promise<OrgState> {
  const kind = log.genesis(org)?.entry.body.kind
  if (kind === undefined) throw new UnknownOrgError(`no organization ${org} here: join it with \`mutual join <ticket>\``)
  if (kind !== 'org') throw new UnknownOrgError(`${org} is a ${kind}, not an organization`)
  return orgState(await spaceEntriesOf(log, org))
}

/** The refs that prove `admin` an admin: none for the founder, else the admin change and its enacting approval. */
export function adminRefsOf (state: OrgState, admin: string): string[] {
  const info = state.admins.get(admin)
  if (info === undefined || info.removed !== undefined) throw new OrgError(`${admin} is not an admin of ${state.org}`)
  if (admin === state.founder) return []
  const change = state.changes.find((c) => c.enactedBy === info.since)
  if (change === undefined) throw new OrgError(`no enacted change made ${admin} an admin`)
  return [change.proposal, info.since]
}

const cids = (ids: Iterable<string>): CID[] => [...new Set(ids)].map((id) => CID.parse(id))

function nonce (): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(16))
}

/** Creates an organization: its genesis, whose author is the founder and first admin. */
export async function createOrg (log: Log, founder: Identity, name: string): Promise<SignedEntry<GenesisBody>> {
  return await log.createSpace(founder, { kind: 'org', name, policy: { write: 'listed', writers: [] }, encrypted: false, nonce: nonce() })
}

export async function issueCredential (log: Log, admin: Identity, org: string, body: CredentialBody): Promise<SignedEntry<CredentialBody>> {
  const state = await loadOrgState(log, org)
  return await log.append(admin, org, ORG_CREDENTIAL, body, cids(adminRefsOf(state, admin.id)))
}

/**
 * Revokes a credential (or delegation). `heads` default to the member's heads across the spaces
 * this log holds that the org governs (`revocationHeads`).
 */
export async function revokeCredential (log: Log, admin: Identity, org: string, credential: string, reason: string, heads?: Heads): Promise<SignedEntry<RevokeBody>> {
  const state = await loadOrgState(log, org)
  const member = state.credentials.get(credential)?.member ??
    [...state.delegations].find(([, d]) => d.id === credential)?.[0]
  if (member === undefined) throw new OrgError(`no credential or delegation ${credential} in ${org}`)
  const body: RevokeBody = { credential: CID.parse(credential), member, heads: heads ?? await revocationHeads(log, member, org), reason }
  return await log.append(admin, org, ORG_REVOKE, body, cids([...adminRefsOf(state, admin.id), credential]))
}

export async function delegateAgent (log: Log, admin: Identity, org: string, body: DelegateBody): Promise<SignedEntry<DelegateBody>> {
  const state = await loadOrgState(log, org)
  const credential = newestCredential(state, body.operator, Date.now())
  if (credential === undefined) throw new OrgError(`${body.operator} holds no live credential of ${org}`)
  return await log.append(admin, org, ORG_DELEGATE, body, cids([...adminRefsOf(state, admin.id), credential]))
}

/**
 * Proposes a change. Names its context in refs — the enacted threshold in force and, when the
 * org has one, a union representative's credential — and states the threshold that context
 * asks for (or a stricter one, if given).
 */
export async function proposeChange (log: Log, admin: Identity, org: string, change: Change, stricter?: Threshold): Promise<SignedEntry<ProposeBody>> {
  const state = await loadOrgState(log, org)
  const refs = adminRefsOf(state, admin.id)
  if (state.thresholdBy !== undefined) {
    const enacted = state.changes.find((c) => c.enactedBy === state.thresholdBy)
    if (enacted !== undefined) refs.push(enacted.proposal, state.thresholdBy)
  }
  const unionRep = [...state.credentials.values()].find((c) => c.roles.includes('union-rep') && c.revoked === undefined &&
    (c.expires === undefined || Date.now() < c.expires))
  if (unionRep !== undefined) refs.push(unionRep.id)
  const threshold: Threshold = {
    admins: Math.max(state.threshold.admins, stricter?.admins ?? 0),
    unionRep: (state.threshold.unionRep && unionRep !== undefined) || stricter?.unionRep === true
  }
  return await log.append(admin, org, ORG_PROPOSE, { change, threshold }, cids(refs))
}

/** How many earlier approvals an approval names at most (tallies carry the rest). */
const MAX_NAMED_APPROVALS = 24

/**
 * Approves a proposal as an admin (if `approver` is one) or as a union representative, naming
 * the approvals seen so far; enacts it when the tally meets the proposal's threshold.
 */
export async function approveProposal (log: Log, approver: Identity, org: string, proposal: string, as?: ApproveBody['as']): Promise<SignedEntry<ApproveBody>> {
  const state = await loadOrgState(log, org)
  const open = state.proposals.get(proposal)
  if (open === undefined) throw new OrgError(`${proposal} is not an open proposal of ${org}`)
  const admin = state.admins.get(approver.id)
  const role = as ?? (admin !== undefined && admin.removed === undefined ? 'admin' : 'union-rep')
  const prior: SignedEntry[] = []
  for (const a of open.approvals.slice(-MAX_NAMED_APPROVALS)) {
    const found = await log.getById(a.id)
    if (found !== undefined) prior.push(found)
  }
  const tally = closureTally(org, proposal, approver.id, role, prior)
  const refs = [proposal, ...prior.map((p) => p.id.toString())]
  if (role === 'admin') refs.push(...adminRefsOf(state, approver.id))
  else {
    const credential = newestCredential(state, approver.id, Date.now(), 'union-rep')
    if (credential === undefined) throw new OrgError(`${approver.id} holds no live union-rep credential of ${org}`)
    refs.push(credential)
  }
  const body: ApproveBody = {
    proposal: CID.parse(proposal),
    as: role,
    tally: { admins: [...tally.admins].sort(), unionReps: [...tally.unionReps].sort() },
    enacts: meetsThreshold(tally, open.threshold)
  }
  return await log.append(approver, org, ORG_APPROVE, body, cids(refs))
}

/** The newest credential of `member` not revoked and unexpired at `now`, with `role` if given. */
export function newestCredential (state: OrgState, member: string, now: number, role?: Role): string | undefined {
  let found: string | undefined
  for (const c of state.credentials.values()) {
    if (c.member !== member || c.revoked !== undefined || (c.expires !== undefined && wallOf(now) >= c.expires)) continue
    if (role !== undefined && !c.roles.includes(role)) continue
    found = c.id
  }
  return found
}

/** Creates a federation of `orgs`: its genesis and charter. */
export async function createFederation (log: Log, creator: Identity, name: string, orgs: string[]): Promise<SignedEntry<GenesisBody>> {
  const genesis = await log.createSpace(creator, { kind: 'federation', name, policy: { write: 'listed', writers: [] }, encrypted: false, nonce: nonce() })
  await log.append<CharterBody>(creator, genesis.space, FEDERATION_CHARTER, { orgs })
  return genesis
}

/** An admin of `org` accepts the federation, naming its charter, their admin evidence and the accepts so far. */
export async function acceptFederation (log: Log, admin: Identity, federation: string, org: string): Promise<SignedEntry<AcceptBody>> {
  const entries = await spaceEntriesOf(log, federation)
  const fed = federationState(entries)
  if (fed.charter === undefined) throw new OrgError(`federation ${federation} has no charter here`)
  const accepts = canonical(entries.filter((e) => isEntry<AcceptBody>(e, FEDERATION_ACCEPT)))
  const accepted = new Set([org, ...accepts.flatMap((a) => (a.entry.body as AcceptBody).accepted)])
  const state = await loadOrgState(log, org)
  const evidence = admin.id === state.founder ? [org] : adminRefsOf(state, admin.id)
  const refs = [fed.charter.id, ...evidence, ...accepts.slice(-16).map((a) => a.id.toString())]
  return await log.append<AcceptBody>(admin, federation, FEDERATION_ACCEPT, { org, accepted: [...accepted].sort() }, cids(refs))
}

/** Creates a space whose writers are granted by organizations: its genesis, then its policy (seq 2). */
export async function createGrantedSpace (log: Log, creator: Identity, init: { kind: SpaceKind, name: string, policy: SpacePolicyBody, encrypted?: boolean }): Promise<SignedEntry<GenesisBody>> {
  const genesis = await log.createSpace(creator, {
    kind: init.kind, name: init.name, policy: { write: 'listed', writers: [] }, encrypted: init.encrypted ?? false, nonce: nonce()
  })
  await log.append(creator, genesis.space, SPACE_POLICY, init.policy)
  return genesis
}

/**
 * The refs `member` names to write in a space under its grants: the policy and a live credential
 * of a granted org (for a federation grant, also its charter and the accept that put it in
 * force). Reads the org and federation spaces from this log.
 */
export async function grantRefs (log: Log, space: string, member: string, now = Date.now()): Promise<CID[]> {
  const policy = await policyEntry(log, space)
  if (policy === undefined) throw new OrgError(`${space} has no grant policy`)
  for (const grant of policy.entry.body.grants) {
    const extra: string[] = []
    let orgs: string[]
    if ('org' in grant) orgs = [grant.org]
    else {
      if (log.genesis(grant.federation) === undefined) continue
      const fed = federationState(await spaceEntriesOf(log, grant.federation))
      if (!fed.inForce || fed.charter === undefined) continue
      orgs = fed.charter.orgs
      // One accept whose closure covers the charter is enough; else one of each organization's.
      extra.push(fed.charter.id, ...(fed.inForceAt !== undefined ? [fed.inForceAt] : [...fed.accepts.values()].map((ids) => ids[0])))
    }
    for (const org of orgs) {
      if (log.genesis(org) === undefined) continue
      const state = await loadOrgState(log, org)
      let credential: string | undefined
      for (const role of grant.roles) credential ??= newestCredential(state, member, now, role)
      if (credential !== undefined) return cids([policy.id.toString(), ...extra, credential])
      // Admins are members: where the grant admits members (or admins), an admin's proof is enough.
      if (adminsWriteUnder(grant.roles) && state.admins.get(member)?.removed === undefined && state.admins.has(member)) {
        return cids([policy.id.toString(), ...extra, ...(member === state.founder ? [org] : adminRefsOf(state, member))])
      }
    }
  }
  throw new OrgError(`${member} holds no live credential of an org ${space} grants`)
}
