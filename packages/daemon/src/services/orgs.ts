import { parseCid, type Identity } from '@mutual/protocol'
import { UnknownSpaceError, vectorSize, type Log } from '@mutual/log'
import type { MutualNode } from '@mutual/node'
import type { Boards } from './board-replicas.js'
import type { SpaceKeys } from './space-keys.js'
import {
  NotAdminError, OrgError, acceptFederation, approveProposal, changeSchema, createFederation, createGrantedSpace, createOrg, credentialSchema,
  currentAdmins, federationState, issueCredential, loadOrgState, mayReadSpace, rolesOf, proposeChange, revokeCredential, spaceEntriesOf, spacePolicySchema, type OrgRegistry, type OrgState
} from '@mutual/org'
import type { Entry, Federation, Org, OrgSpace, OrgSummary, Revoked } from '../contract/index.js'
import { InvalidRequestError } from '../errors.js'
import { entryToJson, fromJson, toJson } from './json.js'
import { grantedTo } from './following.js'
import { parse } from './parse.js'

export interface OrgServiceInit {
  log: Log
  node: MutualNode
  identity: Identity
  orgs: OrgRegistry
  /** seals the keys of the encrypted spaces this node creates */
  spaceKeys: SpaceKeys
  /** the board replicas: an encrypted board's first update is written through its replica */
  replicas: Boards
}

/** Organizations, the spaces they are granted, and federations of them. */
export class OrgService {
  private readonly init: OrgServiceInit

  constructor (init: OrgServiceInit) {
    this.init = init
  }

  async create (name: string): Promise<{ org: string, genesis: Entry }> {
    const genesis = await createOrg(this.init.log, this.init.identity, name)
    await this.init.node.join(genesis.space)
    return { org: genesis.space, genesis: entryToJson(genesis) }
  }

  list (): OrgSummary[] {
    const { log, identity, orgs } = this.init
    return log.spaces().sort().flatMap((space) => {
      if (log.genesis(space)?.entry.body.kind !== 'org') return []
      const state = orgs.state(space)
      if (state === undefined) return []
      const roles = [...(state.members.get(identity.id)?.roles ?? [])] as string[]
      const admin = state.admins.get(identity.id)
      if (admin !== undefined && admin.removed === undefined) roles.unshift('admin')
      return [{ org: space, name: this.nameOf(space), members: membersOf(state).length, roles: [...new Set(roles)] }]
    })
  }

  async show (org: string): Promise<Org> {
    return orgToJson(await this.stateOf(org), this.nameOf(org))
  }

  async issueCredential (org: string, request: { member: string, roles: string[], expires?: number, kind?: string }): Promise<Entry> {
    const body = parse(credentialSchema, { ...request, kind: request.kind ?? 'person' }, 'credential')
    this.asAdmin(await this.stateOf(org))
    return entryToJson(await issueCredential(this.init.log, this.init.identity, org, body))
  }

  /**
   * Revokes a member's live credentials (or one credential by id), naming their log heads as this
   * node has seen them; answers once the cut-offs are made here, with the spaces they were made in.
   */
  async revoke (org: string, member: string, reason: string): Promise<Revoked> {
    const state = await this.stateOf(org)
    this.asAdmin(state)
    const ids = state.credentials.has(member)
      ? [member]
      : [...state.credentials.values()].filter((cr) => cr.member === member && cr.revoked === undefined).map((cr) => cr.id)
    if (ids.length === 0) throw new OrgError(`${member} holds no live credential of ${org}`)
    const revocations: Entry[] = []
    const target = state.credentials.get(member)?.member ?? member
    for (const id of ids) revocations.push(entryToJson(await revokeCredential(this.init.log, this.init.identity, org, id, reason)))
    await this.init.orgs.settled()
    const frozen = this.init.orgs.governs(org).flatMap((space) => {
      const atSeq = this.init.log.head(space, target)?.frozenAt
      const genesis = this.init.log.genesis(space)
      return atSeq === undefined || genesis === undefined ? [] : [{ space, name: genesis.entry.body.name, kind: genesis.entry.body.kind, atSeq }]
    })
    return { revocations, frozen }
  }

  /** The spaces announced in the org, with this node's sync state of each. */
  spaces (org: string): OrgSpace[] {
    const { log, node, identity, orgs } = this.init
    if (log.genesis(org)?.entry.body.kind !== 'org') throw new UnknownSpaceError(`no organization ${org.slice(0, 128)} here: join it with \`mutual join <ticket>\``)
    const joined = new Set(node.joined())
    return orgs.announced(org).filter((a) => log.genesis(a.space) === undefined || grantedTo(orgs, a.space, org)).map((a) => {
      const vector = log.vector(a.space)
      return {
        space: a.space,
        kind: a.kind,
        name: log.genesis(a.space)?.entry.body.name ?? a.name,
        by: a.by,
        held: log.genesis(a.space) !== undefined,
        joined: joined.has(a.space),
        readable: mayReadSpace(orgs, (s) => log.genesis(s)?.entry.author, identity.id, a.space),
        authors: Object.keys(vector).length,
        entries: vectorSize(vector)
      }
    })
  }

  async propose (org: string, change: unknown): Promise<Entry> {
    const parsed = parse(changeSchema, fromJson(change, 'change'), 'change')
    this.asAdmin(await this.stateOf(org))
    return entryToJson(await proposeChange(this.init.log, this.init.identity, org, parsed))
  }

  async approve (org: string, proposal: string): Promise<{ approval: Entry, enacted: boolean }> {
    const approval = await approveProposal(this.init.log, this.init.identity, org, proposal)
    return { approval: entryToJson(approval), enacted: approval.entry.body.enacts }
  }

  /** Takes an entry signed elsewhere (an offline admin key, another node) for the org or a space it governs; every rule is checked. */
  async ingest (org: string, base64: string): Promise<{ status: string }> {
    await this.stateOf(org)
    const { status } = await this.init.log.ingest(Buffer.from(base64, 'base64'))
    await this.init.orgs.settled()
    return { status }
  }

  async createGrantedSpace (request: { name: string, kind?: 'board' | 'market' | 'ledger' | 'raw', grants: unknown[], read?: 'public' | 'grants', encrypted?: boolean }): Promise<{ space: string, genesis: Entry }> {
    const policy = parse(spacePolicySchema, { grants: request.grants, read: request.read ?? 'public' }, 'policy')
    for (const g of policy.grants) {
      const target = 'org' in g ? g.org : g.federation
      if (parseCid(target) === undefined) throw new InvalidRequestError(`"${target}" is not a space id`)
    }
    // A space only grants may read is encrypted (DESIGN.md §4: gossip topics are open to anyone).
    const encrypted = request.encrypted ?? policy.read === 'grants'
    if (policy.read === 'grants' && !encrypted) {
      throw new InvalidRequestError('a space only grants may read is encrypted: its entries would travel in clear on a topic anyone may join')
    }
    const kind = request.kind ?? 'board'
    const { log, identity, node, spaceKeys, replicas } = this.init
    // An encrypted board's genesis is public: its name goes in the sealed first update.
    const genesis = await createGrantedSpace(log, identity, { kind, name: encrypted && kind === 'board' ? 'private' : request.name, policy, encrypted })
    // The first key is sealed to every reader now; SpaceKeys follows who may read from here on.
    if (encrypted) await spaceKeys.reconcile(genesis.space)
    await node.join(genesis.space)
    if (encrypted && kind === 'board') {
      const replica = await replicas.open(genesis.space)
      replica.edit((board) => { board.initialize(request.name) })
      await replica.flush()
    }
    return { space: genesis.space, genesis: entryToJson(genesis) }
  }

  async createFederation (name: string, orgs: string[]): Promise<{ federation: string, genesis: Entry }> {
    for (const org of orgs) if (parseCid(org) === undefined) throw new InvalidRequestError(`"${org.slice(0, 128)}" is not an org id`)
    const genesis = await createFederation(this.init.log, this.init.identity, name, [...new Set(orgs)])
    await this.init.node.join(genesis.space)
    for (const org of orgs) await this.init.node.join(org)
    return { federation: genesis.space, genesis: entryToJson(genesis) }
  }

  async acceptFederation (federation: string, org: string): Promise<Entry> {
    this.federationGenesis(federation)
    return entryToJson(await acceptFederation(this.init.log, this.init.identity, federation, org))
  }

  async federation (federation: string): Promise<Federation> {
    const genesis = this.federationGenesis(federation)
    const state = federationState(await spaceEntriesOf(this.init.log, federation))
    return {
      federation,
      name: genesis.entry.body.name,
      creator: genesis.entry.author,
      orgs: state.charter?.orgs ?? [],
      accepted: [...state.accepts.keys()],
      inForce: state.inForce,
      ...(state.inForceAt !== undefined ? { inForceAt: state.inForceAt } : {})
    }
  }

  private federationGenesis (federation: string): NonNullable<ReturnType<Log['genesis']>> {
    const genesis = this.init.log.genesis(federation)
    if (genesis?.entry.body.kind !== 'federation') throw new UnknownSpaceError(`no federation ${federation.slice(0, 128)} here`)
    return genesis
  }

  private nameOf (space: string): string {
    return this.init.log.genesis(space)?.entry.body.name ?? ''
  }

  private async stateOf (org: string): Promise<OrgState> {
    return await loadOrgState(this.init.log, org)
  }

  /** This node's identity must be a current admin of the org. */
  private asAdmin (state: OrgState): void {
    const admin = state.admins.get(this.init.identity.id)
    if (admin === undefined || admin.removed !== undefined) throw new NotAdminError(`this node (${this.init.identity.id}) is not an admin of ${state.org}`)
  }
}

/**
 * The members of an org as people see them: admins are members (their proof of admin — the org's
 * genesis for the founder, the enacting approval for others — stands as their credential), and a
 * member shows every role their live credentials grant; a member whose every credential is revoked
 * shows their last credential's roles, marked revoked.
 */
function membersOf (state: OrgState): Org['members'] {
  const ids = [...new Set([...currentAdmins(state), ...state.members.keys()])]
  return ids.map((id) => {
    const m = state.members.get(id)
    const live = rolesOf(state, id)
    const admin = state.admins.get(id)
    const credential = m?.credential ?? (id === state.founder ? state.org : admin?.since ?? '')
    return {
      id,
      roles: live.length > 0 ? live : [...(m?.roles ?? [])],
      credential,
      kind: m?.kind ?? 'person',
      ...(m?.expires !== undefined ? { expires: m.expires } : {}),
      revoked: live.length === 0 && m?.revoked !== undefined
    }
  })
}

/** An org's state as JSON: members with roles, admins, threshold, delegations, policy versions, open proposals. */
export function orgToJson (state: OrgState, name: string): Org {
  return {
    org: state.org,
    name,
    founder: state.founder,
    admins: [...state.admins].map(([id, a]) => ({ id, since: a.since, removed: a.removed !== undefined })),
    members: membersOf(state),
    threshold: { ...state.threshold },
    delegations: [...state.delegations].map(([agent, d]) => ({ agent, id: d.id, operator: d.operator, scopes: d.scopes, expires: d.expires, revoked: d.revoked !== undefined })),
    policies: state.policies.map((p) => ({ version: p.version, proposal: p.proposal, enactedBy: p.enactedBy, policy: toJson(p.policy) })),
    proposals: [...state.proposals.values()].map((p) => ({
      id: p.id, author: p.author, change: toJson(p.change), threshold: p.threshold, approvals: p.approvals.map((a) => ({ id: a.id, author: a.author, as: a.as }))
    }))
  }
}
