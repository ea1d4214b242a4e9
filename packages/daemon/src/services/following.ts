import type { Entry, Identity } from '@mutual/protocol'
import type { Log } from '@mutual/log'
import type { MutualNode } from '@mutual/node'
import { ORG_APPROVE, ORG_CREDENTIAL, ORG_SPACE, mayReadSpace, rolesOf, type OrgRegistry, type OrgSpaceBody } from '@mutual/org'

/** Whether a space is the org's, as far as this node can tell: its policy grants the org, or it has not arrived yet. */
export function grantedTo (orgs: OrgRegistry, space: string, org: string): boolean {
  const policy = orgs.policy(space)
  return policy === undefined || policy.grants.some((g) => 'org' in g && g.org === org)
}

export interface FollowingInit {
  log: Log
  node: MutualNode
  identity: Identity
  orgs: OrgRegistry
  /** a space that could not be joined */
  onError?: (space: string, err: Error) => void
}

/**
 * A node follows what its organizations hold: for every org it belongs to (a live role, admin
 * included), every space announced there that it may read — the org's boards, ledger, markets —
 * is joined, at start and as announcements arrive, so no one joins spaces by hand.
 */
export class Following {
  private readonly init: FollowingInit
  private unsubscribe: (() => void) | undefined

  constructor (init: FollowingInit) {
    this.init = init
  }

  async start (): Promise<void> {
    const { log, identity } = this.init
    this.unsubscribe = log.subscribe((event) => {
      if (event.type !== 'entry') return
      const { entry, space } = event.entry
      if (log.genesis(space)?.entry.body.kind !== 'org') return
      if (entry.type === ORG_SPACE) this.follow(space, (entry.body as OrgSpaceBody).space)
      // Only a credential naming this node or an enacted change (an admin added) can make it a
      // member; other org entries need no pass over the announcements.
      else if (makesMember(entry, identity.id)) this.followAll(space)
    })
    for (const space of log.spaces()) if (log.genesis(space)?.entry.body.kind === 'org') this.followAll(space)
  }

  stop (): void {
    this.unsubscribe?.()
    this.unsubscribe = undefined
  }

  private followAll (org: string): void {
    for (const announced of this.init.orgs.announced(org)) this.follow(org, announced.space)
  }

  private follow (org: string, space: string): void {
    const { log, node, identity, orgs } = this.init
    if (node.joined().includes(space) || !grantedTo(orgs, space, org)) return
    const state = orgs.state(org)
    if (state === undefined || rolesOf(state, identity.id).length === 0) return
    // A private space's creator admits readers by its grants: follow what this node may read.
    if (log.genesis(space) !== undefined && !mayReadSpace(orgs, (s) => log.genesis(s)?.entry.author, identity.id, space)) return
    node.join(space).catch((err: Error) => { this.init.onError?.(space, err) })
  }
}

/** Whether an org entry may make `me` a member: a credential naming them, or an enacting approval (which may add an admin). */
function makesMember (entry: Entry, me: string): boolean {
  if (entry.type === ORG_CREDENTIAL) return (entry.body as { member?: unknown }).member === me
  return entry.type === ORG_APPROVE && (entry.body as { enacts?: unknown }).enacts === true
}
