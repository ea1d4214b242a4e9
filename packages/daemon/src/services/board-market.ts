import { BOARD_MARKET, type BoardMarketBody } from '@mutual/board'
import { CID, compareStamps, type Identity, type SignedEntry } from '@mutual/protocol'
import { UnknownSpaceError, type Log } from '@mutual/log'
import { boardAdminOf, boardAdminRefs, marketView, spaceEntriesOf } from '@mutual/org'
import type { BoardMarket } from '../contract/index.js'
import type { Boards } from './board-replicas.js'
import type { MarketService } from './market.js'

export interface BoardMarketsInit {
  log: Log
  identity: Identity
  boards: Boards
  market: MarketService
  /** an announcement that could not be made */
  onError?: (board: string, err: Error) => void
}

interface Setting {
  market: string | null
  by: string
  entry: SignedEntry<BoardMarketBody>
}

/**
 * Boards that announce their ready tasks to a market (a `board/market` entry). The setting in
 * force is the latest (stamp, then id) signed by someone who may administer the board — decided
 * from the entry's own refs, so every node agrees — and only that person's node announces: one
 * announcement per task however many nodes follow the board. A task is announced once it is
 * ready (`Board.ready()`) and nobody holds it, unless the market already has an announcement of
 * that board task (by anyone).
 */
export class BoardMarkets {
  private readonly init: BoardMarketsInit
  private readonly settings = new Map<string, Setting>()
  /** per board, the announcing pass in progress (passes run one at a time) */
  private readonly passes = new Map<string, Promise<void>>()
  private readonly again = new Set<string>()
  private unsubscribe: (() => void) | undefined

  constructor (init: BoardMarketsInit) {
    this.init = init
  }

  async start (): Promise<void> {
    const { log } = this.init
    this.unsubscribe = log.subscribe((event) => {
      if (event.type !== 'entry' || event.entry.entry.type !== BOARD_MARKET) return
      this.take(event.entry as SignedEntry<BoardMarketBody>).catch((err: Error) => { this.init.onError?.(event.entry.space, err) })
    })
    for (const space of log.spaces()) {
      if (log.genesis(space)?.entry.body.kind !== 'board') continue
      // One pass over each board's log at start: the settings are few, but they live among its updates.
      for (const e of await spaceEntriesOf(log, space)) if (e.entry.type === BOARD_MARKET) await this.take(e as SignedEntry<BoardMarketBody>)
    }
  }

  stop (): void {
    this.unsubscribe?.()
    this.unsubscribe = undefined
  }

  /** Sets (or, with null, turns off) the market `board` announces its ready tasks to; only someone who may administer it. */
  async set (board: string, market: string | null): Promise<BoardMarket> {
    const { log, identity, boards } = this.init
    const replica = await boards.open(board)
    if (market !== null && log.genesis(market)?.entry.body.kind !== 'market') {
      throw new UnknownSpaceError(`no market ${market.slice(0, 128)} here: \`mutual market list\` shows the markets this node knows, \`mutual market join <market>\` follows one`)
    }
    // The entry names the proof every node checks it by (the board's policy, the admin proof):
    // refused here rather than written and ignored everywhere.
    const { policy, proof } = await boardAdminRefs(log, board, identity.id)
    const refs = [...(policy === undefined ? [] : [policy]), ...proof]
    const entry = await log.append<BoardMarketBody>(identity, replica.space, BOARD_MARKET, { market: market === null ? null : CID.parse(market) }, refs.length === 0 ? undefined : refs)
    await this.take(entry)
    return this.get(board)
  }

  get (board: string): BoardMarket {
    if (this.init.log.genesis(board)?.entry.body.kind !== 'board') throw new UnknownSpaceError(`no board ${board.slice(0, 128)} here`)
    const s = this.settings.get(board)
    return { board, market: s?.market ?? null, by: s?.by ?? null, entry: s === undefined ? null : s.entry.id.toString() }
  }

  /** A board changed: if this node announces for it, announce what became ready. */
  changed (board: string): void {
    const s = this.settings.get(board)
    if (s?.market == null || s.by !== this.init.identity.id) return
    if (this.passes.has(board)) {
      this.again.add(board)
      return
    }
    const run = this.announce(board, s.market)
      .catch((err: Error) => { this.init.onError?.(board, err) })
      .finally(() => {
        this.passes.delete(board)
        if (this.again.delete(board)) this.changed(board)
      })
    this.passes.set(board, run)
  }

  private async take (entry: SignedEntry<BoardMarketBody>): Promise<void> {
    const { log } = this.init
    const board = entry.space
    const genesis = log.genesis(board)
    if (genesis === undefined) return
    try {
      boardAdminOf(entry.entry.author, genesis, await this.refsOf(entry))
    } catch (err) {
      if ((err as Error).name === 'NotBoardAdminError') return
      throw err
    }
    const known = this.settings.get(board)
    if (known !== undefined && (compareStamps(known.entry.entry.ts, entry.entry.ts) || (known.entry.id.toString() < entry.id.toString() ? -1 : 1)) >= 0) return
    const market = entry.entry.body.market
    this.settings.set(board, { market: market === null ? null : market.toString(), by: entry.entry.author, entry })
    this.changed(board)
  }

  private async refsOf (entry: SignedEntry): Promise<SignedEntry[]> {
    const refs: SignedEntry[] = []
    for (const ref of entry.entry.refs ?? []) {
      const found = await this.init.log.getById(ref.toString())
      if (found !== undefined) refs.push(found)
    }
    return refs
  }

  private async announce (board: string, market: string): Promise<void> {
    const { log, boards } = this.init
    if (log.genesis(market) === undefined) return
    const replica = await boards.open(board)
    const claims = replica.claims()
    const ready = replica.board.ready().filter((t) => !claims.has(t.id))
    if (ready.length === 0) return
    const announced = new Set(marketView(await spaceEntriesOf(log, market)).flatMap((a) => a.body.board === board && a.body.task !== undefined ? [a.body.task] : []))
    for (const task of ready) {
      if (announced.has(task.id)) continue
      await this.init.market.announce(market, { board, task: task.id, title: task.title, summary: task.description.slice(0, 4000), estimate: task.estimate })
    }
  }
}
