import type { Identity } from '@mutual/protocol'
import type { Log } from '@mutual/log'
import { DialError, type MutualNode } from '@mutual/node'
import { loadOrgState } from '@mutual/org'
import type { JoinResult } from '../contract/index.js'
import { InviteError, InviteExpiredError, JoinTimeoutError } from '../errors.js'
import type { Boards } from './board-replicas.js'
import { redeemInvite } from './invite-protocol.js'
import { decodeTicket, type Ticket } from './ticket.js'

export interface JoinComponents {
  identity: Identity
  node: MutualNode
  boards: Boards
  log: Log
}

/** How long the board may take to arrive once the invite is redeemed. */
const ARRIVAL_TIMEOUT_MS = 30_000
const DIAL_TIMEOUT_MS = 10_000

/**
 * `mutual join <ticket>`, for every kind of invite: dials the inviter at the ticket's addresses,
 * replicates the space, redeems the invite (the inviter writes a `board/grant` for this node, or
 * as an org admin issues it an `org/credential`), then syncs until the space is here and holds
 * what the inviter wrote.
 */
export async function join (components: JoinComponents, text: string, options: { signal?: AbortSignal } = {}): Promise<JoinResult> {
  const { identity, node } = components
  const ticket = decodeTicket(text)
  if (ticket.inviter === identity.id) throw new InviteError('this ticket was made by this node: give it to the person you invite')
  if (ticket.expires <= Date.now()) throw new InviteExpiredError(`the ticket expired at ${new Date(ticket.expires).toISOString()}`)
  const outer = options.signal

  await dial(node, ticket.inviter, ticket.addrs, outer)
  await node.join(ticket.space)
  const admitted = await redeemInvite(node, ticket.inviter, { space: ticket.space, id: ticket.id, secret: ticket.secret, member: identity.id }, { signal: outer })

  const signal = AbortSignal.any([AbortSignal.timeout(ARRIVAL_TIMEOUT_MS), ...(outer === undefined ? [] : [outer])])
  const arrived = arrival(components, ticket, admitted, signal)
  try {
    for (;;) {
      // A session already under way may have started before the join; ask again until the space is here.
      await node.syncWith(ticket.inviter, { signal }).catch((err: Error) => {
        if (signal.aborted) throw err
      })
      const result = await arrived()
      if (result !== undefined) return result
      await sleep(250, signal)
    }
  } catch (err) {
    if (outer?.aborted === true || !signal.aborted) throw err
    const what = ticket.kind === 'org' ? `credential ${admitted}` : `grant ${admitted}`
    throw new JoinTimeoutError(`the invite was redeemed (${what}) but the ${ticket.kind === 'org' ? 'organization' : 'board'} did not arrive from ${ticket.inviter} within ${ARRIVAL_TIMEOUT_MS / 1000} s; it will arrive when the inviter is reachable`)
  }
}

/** A check of whether what the invite admitted this node to has arrived: the result, or undefined for not yet. */
function arrival (components: JoinComponents, ticket: Ticket, admitted: string, signal: AbortSignal): () => Promise<JoinResult | undefined> {
  const { identity, boards, log } = components
  if (ticket.kind === 'org') {
    return async () => {
      const genesis = log.genesis(ticket.space)
      if (genesis === undefined || !(await loadOrgState(log, ticket.space)).credentials.has(admitted)) return undefined
      return { kind: 'org', org: ticket.space, name: genesis.entry.body.name, credential: admitted }
    }
  }
  const opened = boards.whenOpen(ticket.space, { signal })
  opened.catch(() => {})
  return async () => {
    const replica = await Promise.race([opened, sleep(500, signal)])
    if (replica === undefined || !replica.writers().includes(identity.id)) return undefined
    return { kind: 'board', board: ticket.space, name: replica.board.name(), grant: admitted }
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
