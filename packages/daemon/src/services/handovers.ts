import { handoverRecord } from '@mutual/board'
import { GENESIS_TYPE, compareStamps, type CID, type Identity, type SignedEntry } from '@mutual/protocol'
import type { Log } from '@mutual/log'
import type { MutualNode } from '@mutual/node'
import { SPACE_POLICY, TASK_ACCEPT, boardAdminOf, handoverOf, policyEntry, spaceEntriesOf, type Handover } from '@mutual/org'
import type { Boards } from './board-replicas.js'

export interface HandoversInit {
  log: Log
  node: MutualNode
  identity: Identity
  boards: Boards
  /** a hand-over that could not be taken in, or a board that could not be followed */
  onError?: (space: string, err: Error) => void
}

/** A hand-over with the refs that prove it (the acceptance's, which this log holds). */
interface Known {
  handover: Handover
  acceptance: SignedEntry
}

/**
 * Market acceptances that hand a board task over (DESIGN §5, the market), as the daemon meets
 * them: each one whose acceptor may administer the board (checked from the board's policy and
 * the acceptance's refs, as every node checks it) makes the applicant the task's holder in the
 * board's replica; on the applicant's own node the board is followed at once, and its entries
 * there name the acceptance and its proof (`refs`), so the applicant writes with no other step.
 */
export class Handovers {
  private readonly init: HandoversInit
  /** board → the hand-overs seen that name it (checked or not yet: the board may not be here) */
  private readonly byBoard = new Map<string, Known[]>()
  private unsubscribe: (() => void) | undefined

  constructor (init: HandoversInit) {
    this.init = init
  }

  async start (): Promise<void> {
    const { log } = this.init
    this.unsubscribe = log.subscribe((event) => {
      if (event.type !== 'entry') return
      const entry = event.entry
      if (entry.entry.type === TASK_ACCEPT) this.seen(entry)
      else if (entry.entry.type === GENESIS_TYPE || entry.entry.type === SPACE_POLICY) this.feedLater(entry.space)
    })
    for (const space of log.spaces()) {
      if (log.genesis(space)?.entry.body.kind !== 'market') continue
      for (const entry of await spaceEntriesOf(log, space)) if (entry.entry.type === TASK_ACCEPT) this.seen(entry)
    }
  }

  stop (): void {
    this.unsubscribe?.()
    this.unsubscribe = undefined
  }

  /**
   * The refs this node's entries in `board` name when a hand-over is what lets it write there:
   * the latest valid acceptance handing it a task of the board, the board's policy, and the
   * acceptor's proof (the acceptance's refs outside its market). Undefined when there is none.
   */
  async refs (board: string): Promise<CID[] | undefined> {
    const me = this.init.identity.id
    const mine = (await this.valid(board)).filter((k) => k.handover.applicant === me)
    const latest = mine.sort((a, b) => compareStamps(a.handover.ts, b.handover.ts)).at(-1)
    if (latest === undefined) return undefined
    const policy = await policyEntry(this.init.log, board)
    const proof: CID[] = []
    for (const ref of latest.acceptance.entry.refs ?? []) {
      const found = await this.init.log.getById(ref.toString())
      if (found !== undefined && found.space !== latest.handover.market) proof.push(ref)
    }
    return [latest.acceptance.id, ...(policy === undefined ? [] : [policy.id]), ...proof]
  }

  private seen (entry: SignedEntry): void {
    const handover = handoverOf(entry)
    if (handover === undefined) return
    const list = this.byBoard.get(handover.board) ?? []
    if (list.some((k) => k.handover.acceptance === handover.acceptance)) return
    list.push({ handover, acceptance: entry })
    this.byBoard.set(handover.board, list)
    const { log, node, identity } = this.init
    // The applicant's node follows the board it was handed a task of.
    if (handover.applicant === identity.id && !node.joined().includes(handover.board)) {
      node.join(handover.board).catch((err: Error) => { this.init.onError?.(handover.board, err) })
    }
    if (log.genesis(handover.board) !== undefined) this.feedLater(handover.board)
  }

  /** Once the board's replica runs, passes it every valid hand-over of its tasks. */
  private feedLater (board: string): void {
    if (!this.byBoard.has(board)) return
    this.init.boards.whenOpen(board)
      .then(async (replica) => {
        for (const k of await this.valid(board)) replica.handOver(handoverRecord(k.handover.task, k.handover.applicant, k.handover.ts, k.handover.acceptance))
      })
      .catch((err: Error) => { this.init.onError?.(board, err) })
  }

  /** The hand-overs of `board` whose acceptor may administer it, by its policy and the acceptance's refs. */
  private async valid (board: string): Promise<Known[]> {
    const { log } = this.init
    const genesis = log.genesis(board)
    if (genesis === undefined || genesis.entry.body.kind !== 'board') return []
    const policy = await policyEntry(log, board)
    const out: Known[] = []
    for (const k of this.byBoard.get(board) ?? []) {
      const evidence: SignedEntry[] = policy === undefined ? [] : [policy]
      for (const ref of k.acceptance.entry.refs ?? []) {
        const found = await log.getById(ref.toString())
        if (found !== undefined) evidence.push(found)
      }
      try {
        boardAdminOf(k.handover.acceptor, genesis, evidence)
        out.push(k)
      } catch (err) {
        if ((err as Error).name !== 'NotBoardAdminError') throw err
      }
    }
    return out
  }
}
