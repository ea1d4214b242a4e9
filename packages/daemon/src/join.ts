import type { Identity } from '@mutual/protocol'
import type { Log } from '@mutual/log'
import { DialError, type MutualNode } from '@mutual/node'
import { loadOrgState } from '@mutual/org'
import type { Boards } from './boards.js'
import { InviteError, InviteExpiredError, JoinTimeoutError } from './errors.js'
import { redeemInvite } from './invite-protocol.js'
import { decodeTicket } from './ticket.js'

export interface JoinResult {
  board: string
  name: string
  /** id of the `board/grant` entry that lets this node write */
  grant: string
}

export interface OrgJoinResult {
  org: string
  name: string
  /** id of the `org/credential` entry the inviter issued to this node */
  credential: string
}

export interface JoinComponents {
  identity: Identity
  node: MutualNode
  boards: Boards
}

/** How long the board may take to arrive once the invite is redeemed. */
const ARRIVAL_TIMEOUT_MS = 30_000
const DIAL_TIMEOUT_MS = 10_000

/**
 * `mutual join <ticket>`: dials the inviter at the ticket's addresses, replicates the board,
 * redeems the invite (the inviter writes a `board/grant` for this node), then syncs until the
 * board's replica runs here and holds the grant.
 */
export async function joinBoard (components: JoinComponents, text: string, options: { signal?: AbortSignal } = {}): Promise<JoinResult> {
  const { identity, node, boards } = components
  const ticket = decodeTicket(text)
  if (ticket.kind === 'org') throw new InviteError('this ticket invites to an organization, not a board')
  if (ticket.inviter === identity.id) throw new InviteError('this ticket was made by this node: give it to the person you invite')
  if (ticket.expires <= Date.now()) throw new InviteExpiredError(`the ticket expired at ${new Date(ticket.expires).toISOString()}`)
  const outer = options.signal

  await dial(node, ticket.inviter, ticket.addrs, outer)
  await node.join(ticket.space)
  const grant = await redeemInvite(node, ticket.inviter, { space: ticket.space, id: ticket.id, secret: ticket.secret, member: identity.id }, { signal: outer })

  const signal = AbortSignal.any([AbortSignal.timeout(ARRIVAL_TIMEOUT_MS), ...(outer === undefined ? [] : [outer])])
  const arrived = boards.whenOpen(ticket.space, { signal })
  arrived.catch(() => {})
  try {
    for (;;) {
      // A session already under way may have started before the join; ask again until the board is here.
      await node.syncWith(ticket.inviter, { signal }).catch((err: Error) => {
        if (signal.aborted) throw err
      })
      const replica = await Promise.race([arrived, sleep(500, signal)])
      if (replica !== undefined && replica.writers().includes(identity.id)) return { board: ticket.space, name: replica.board.name(), grant }
      await sleep(250, signal)
    }
  } catch (err) {
    if (outer?.aborted === true || !signal.aborted) throw err
    throw new JoinTimeoutError(`the invite was redeemed (grant ${grant}) but the board did not arrive from ${ticket.inviter} within ${ARRIVAL_TIMEOUT_MS / 1000} s; it will arrive when the inviter is reachable`)
  }
}

/**
 * `mutual join <ticket>` for an organization's ticket: dials the inviter, replicates the org,
 * redeems the invite (the inviter, an admin, issues this node an `org/credential`), then syncs
 * until the credential is here.
 */
export async function joinOrg (components: JoinComponents & { log: Log }, text: string, options: { signal?: AbortSignal } = {}): Promise<OrgJoinResult> {
  const { identity, node, log } = components
  const ticket = decodeTicket(text)
  if (ticket.kind !== 'org') throw new InviteError('this ticket invites to a board, not an organization')
  if (ticket.inviter === identity.id) throw new InviteError('this ticket was made by this node: give it to the person you invite')
  if (ticket.expires <= Date.now()) throw new InviteExpiredError(`the ticket expired at ${new Date(ticket.expires).toISOString()}`)
  const outer = options.signal

  await dial(node, ticket.inviter, ticket.addrs, outer)
  await node.join(ticket.space)
  const credential = await redeemInvite(node, ticket.inviter, { space: ticket.space, id: ticket.id, secret: ticket.secret, member: identity.id }, { signal: outer })

  const signal = AbortSignal.any([AbortSignal.timeout(ARRIVAL_TIMEOUT_MS), ...(outer === undefined ? [] : [outer])])
  try {
    for (;;) {
      await node.syncWith(ticket.inviter, { signal }).catch((err: Error) => {
        if (signal.aborted) throw err
      })
      const genesis = log.genesis(ticket.space)
      if (genesis !== undefined && (await loadOrgState(log, ticket.space)).credentials.has(credential)) {
        return { org: ticket.space, name: genesis.entry.body.name, credential }
      }
      await sleep(250, signal)
    }
  } catch (err) {
    if (outer?.aborted === true || !signal.aborted) throw err
    throw new JoinTimeoutError(`the invite was redeemed (credential ${credential}) but the organization did not arrive from ${ticket.inviter} within ${ARRIVAL_TIMEOUT_MS / 1000} s; it will arrive when the inviter is reachable`)
  }
}

/** Connects to the inviter unless already connected, trying each address in turn. */
async function dial (node: MutualNode, inviter: string, addrs: string[], outer: AbortSignal | undefined): Promise<void> {
  if (node.peers().some((p) => p.id === inviter)) return
  const failures: string[] = []
  for (const addr of addrs) {
    if (!addr.endsWith(`/p2p/${inviter}`)) continue
    try {
      await node.connect(addr, { signal: AbortSignal.any([AbortSignal.timeout(DIAL_TIMEOUT_MS), ...(outer === undefined ? [] : [outer])]) })
      return
    } catch (err) {
      outer?.throwIfAborted()
      failures.push((err as Error).message)
    }
  }
  throw new DialError(`could not reach the inviter ${inviter} at any of the ticket's addresses${failures.length > 0 ? `: ${failures.join('; ')}` : ''}`)
}

async function sleep (ms: number, signal: AbortSignal): Promise<undefined> {
  signal.throwIfAborted()
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
  return undefined
}
