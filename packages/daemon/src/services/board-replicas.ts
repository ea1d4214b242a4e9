import { BoardReplica, NotABoardError, ReadOnlyBoardError, type BoardEvent, type EntryCodec } from '@mutual/board'
import { GENESIS_TYPE, type CID, type Identity } from '@mutual/protocol'
import type { Log } from '@mutual/log'
import { OrgError, grantRefs as orgGrantRefs } from '@mutual/org'
import { NotReadyError } from '../errors.js'

export interface BoardsInit {
  log: Log
  /** the node's identity: every replica signs its edits with it */
  identity: Identity
  /** every replica's events, named by board */
  onEvent?: (board: string, event: BoardEvent) => void
  /** a replica that fails to start (the board stays unopened until asked for again) */
  onError?: (board: string, error: Error) => void
  /** local edits within this many ms share one entry (the replica's default otherwise) */
  batchMs?: number
  /**
   * Whether a space's writers are granted by organizations (it has a space/policy): the replica
   * of such a board names grantRefs (policy, credential, federation charter and accept) in every entry.
   */
  granted?: (space: string) => boolean
  /** the refs a granted writer names (the org package's `grantRefs`; tests may count calls) */
  grantRefs?: typeof orgGrantRefs
  /** how the replica of an encrypted board reads and writes its entries (undefined: in clear) */
  codec?: (space: string) => EntryCodec | undefined
  /**
   * The refs of this node's entries in a board it was handed a task of on a market (the
   * acceptance and its proof; `Handovers.refs`), undefined where it was handed nothing
   */
  handoverRefs?: (board: string) => Promise<CID[] | undefined>
}

/** The daemon's board replicas: one per board space its log holds. */
export interface Boards {
  /** opens a replica for every board held, then one for each board whose genesis arrives */
  start (): Promise<void>
  /** stops every replica (each sends pending edits and writes its snapshot) */
  stop (): Promise<void>
  /** the running replica of a board; NotABoardError when the space is not held or not a board */
  open (board: string): Promise<BoardReplica>
  /** the replicas running now, by board id */
  list (): BoardReplica[]
  /** resolves once the board is held and its replica runs; for a board still on its way from a peer */
  whenOpen (board: string, options?: { signal?: AbortSignal }): Promise<BoardReplica>
  /**
   * Throws ReadOnlyBoardError unless this node's identity may write the board. For a granted
   * board it computes the refs this write names (policy, credential, …) once, and the replica's
   * next entry takes them rather than computing them again.
   */
  assertWritable (replica: BoardReplica): Promise<void>
}

class DaemonBoards implements Boards {
  private readonly init: BoardsInit
  private readonly opening = new Map<string, Promise<BoardReplica>>()
  private readonly running = new Map<string, BoardReplica>()
  private readonly waiters = new Set<{ board: string, resolve: (r: BoardReplica) => void }>()
  private unsubscribe: (() => void) | undefined
  private stopped = false
  /** per board, the refs the last writability check computed, for the replica's next entry */
  private readonly checkedRefs = new Map<string, CID[]>()

  constructor (init: BoardsInit) {
    this.init = init
  }

  async start (): Promise<void> {
    const { log } = this.init
    this.unsubscribe = log.subscribe((event) => {
      if (event.type !== 'entry' || event.entry.entry.type !== GENESIS_TYPE) return
      if ((event.entry.entry.body as { kind?: unknown }).kind !== 'board') return
      this.open(event.entry.space).catch(() => {})
    })
    for (const space of log.spaces()) {
      if (log.genesis(space)?.entry.body.kind === 'board') await this.open(space).catch(() => {})
    }
  }

  async stop (): Promise<void> {
    this.stopped = true
    this.unsubscribe?.()
    await Promise.allSettled(this.opening.values())
    await Promise.allSettled([...this.running.values()].map(async (r) => { await r.stop() }))
    this.running.clear()
    this.opening.clear()
  }

  async open (board: string): Promise<BoardReplica> {
    const known = this.opening.get(board)
    if (known !== undefined) return await known
    const genesis = this.init.log.genesis(board)
    if (genesis === undefined) throw new NotABoardError(`no board ${board.slice(0, 128)} here (follow it with \`mutual space join <id>\`, or redeem an invite with \`mutual join <ticket>\`)`)
    if (genesis.entry.body.kind !== 'board') throw new NotABoardError(`${board.slice(0, 128)} is a ${genesis.entry.body.kind} space, not a board`)
    if (this.stopped) throw new NotReadyError('the daemon is stopping')
    const run = this.startReplica(board)
    this.opening.set(board, run)
    run.catch((err: Error) => {
      this.opening.delete(board)
      this.init.onError?.(board, err)
    })
    return await run
  }

  list (): BoardReplica[] {
    return [...this.running.values()]
  }

  async whenOpen (board: string, options: { signal?: AbortSignal } = {}): Promise<BoardReplica> {
    const ready = this.running.get(board)
    if (ready !== undefined) return ready
    if (this.init.log.genesis(board) !== undefined) return await this.open(board)
    const signal = options.signal
    signal?.throwIfAborted()
    return await new Promise<BoardReplica>((resolve, reject) => {
      const waiter = {
        board,
        resolve: (r: BoardReplica) => {
          signal?.removeEventListener('abort', onAbort)
          resolve(r)
        }
      }
      const onAbort = (): void => {
        this.waiters.delete(waiter)
        reject(signal?.reason)
      }
      this.waiters.add(waiter)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  async assertWritable (replica: BoardReplica): Promise<void> {
    const me = this.init.identity.id
    const policy = this.init.log.genesis(replica.space)?.entry.body.policy
    if (me === replica.creator || policy?.write === 'anyone' || replica.writers().includes(me)) return
    let refused: string | undefined
    if (this.init.granted?.(replica.space) === true) {
      try {
        this.checkedRefs.set(replica.space, await this.grantRefs(replica.space, me))
        return
      } catch (err) {
        if (!(err instanceof OrgError)) throw err
        refused = err.message
      }
    }
    const handedOver = await this.init.handoverRefs?.(replica.space)
    if (handedOver !== undefined) {
      this.checkedRefs.set(replica.space, handedOver)
      return
    }
    if (refused !== undefined) throw new ReadOnlyBoardError(`this node (${me}) may not write board ${replica.space}: ${refused}`)
    throw new ReadOnlyBoardError(`this node (${me}) may not write board ${replica.space}: ask its creator for an invite`)
  }

  /** The refs of a granted board's entries: what grantRefs finds, for anyone but the creator; undefined (the board's own rule) elsewhere. */
  private async grantedRefs (board: string): Promise<CID[] | undefined> {
    const me = this.init.identity.id
    const genesis = this.init.log.genesis(board)
    if (genesis?.entry.author === me) return undefined
    const checked = this.checkedRefs.get(board)
    if (checked !== undefined) {
      this.checkedRefs.delete(board)
      return checked
    }
    if (this.init.granted?.(board) === true) {
      try {
        return await this.grantRefs(board, me)
      } catch (err) {
        const handedOver = err instanceof OrgError ? await this.init.handoverRefs?.(board) : undefined
        if (handedOver === undefined) throw err
        return handedOver
      }
    }
    // A personal board: listed and granted writers name their grant (the replica's own rule).
    const listed = genesis?.entry.body.policy.writers.includes(me) === true || this.running.get(board)?.writers().includes(me) === true
    return listed ? undefined : await this.init.handoverRefs?.(board)
  }

  private async grantRefs (board: string, member: string): Promise<CID[]> {
    return await (this.init.grantRefs ?? orgGrantRefs)(this.init.log, board, member)
  }

  private async startReplica (board: string): Promise<BoardReplica> {
    const replica = new BoardReplica({
      log: this.init.log,
      space: board,
      identity: this.init.identity,
      batchMs: this.init.batchMs,
      // Asked at each append: the space policy may arrive after the genesis that opened the replica.
      refs: this.init.granted === undefined && this.init.handoverRefs === undefined ? undefined : async () => await this.grantedRefs(board),
      codec: this.init.codec?.(board)
    })
    replica.subscribe((event) => { this.init.onEvent?.(board, event) })
    await replica.start()
    if (this.stopped) {
      await replica.stop()
      throw new NotReadyError('the daemon is stopping')
    }
    this.running.set(board, replica)
    for (const w of this.waiters) {
      if (w.board !== board) continue
      this.waiters.delete(w)
      w.resolve(replica)
    }
    return replica
  }
}

export function createBoards (init: BoardsInit): Boards {
  return new DaemonBoards(init)
}
