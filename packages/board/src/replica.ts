import * as Y from 'yjs'
import { CID, cidString, type GenesisBody, type Identity, type SignedEntry } from '@mutual/protocol'
import type { Log, LogEvent, VersionVector } from '@mutual/log'
import { Board } from './board.js'
import { HANDOVER, claimRecord, claimState, type ClaimRecord, type TaskClaim } from './claims.js'
import { assignRecord, assignmentState, type AssignRecord, type TaskAssignment } from './assignments.js'
import { NotABoardError, ReadOnlyBoardError, ReplicaClosedError, UnknownTaskError } from './errors.js'
import { boardHistory, taskHistory, type HistoryEvent } from './history.js'
import { BOARD_GRANT, BOARD_REMOVE, BOARD_UPDATE, TASK_ASSIGN, TASK_CLAIM, TASK_RELEASE, type BoardRemoveBody } from './records.js'
import { decodeSnapshot, encodeSnapshot, snapshotKey } from './snapshot.js'
import { checkUpdateBounds, checkUpdateOnce } from './update-check.js'
import { EditBatcher } from './edit-batcher.js'
import type { EntryCodec } from './codec.js'
import { workload } from './workload.js'

export interface BoardReplicaInit {
  log: Log
  space: string
  /** the identity local edits are signed with; without one the replica is read-only */
  identity?: Identity
  /** local edits within this many ms go out as one entry (default 50) */
  batchMs?: number
  /** write a snapshot after this many applied updates (default 500) */
  snapshotEvery?: number
  /**
   * write a snapshot once the board has been quiet this long after a change, ms (default 1,000):
   * a process killed later restarts from it instead of replaying every entry since the last clean stop
   */
  snapshotIdleMs?: number
  /**
   * The refs every local entry names, when the space's writers are authorized by something
   * other than the board's own grants (an organization's space policy and credential, say).
   * Asked at every append; without it, or when it answers undefined, an author who is neither the
   * creator nor listed refs its `board/grant`.
   */
  refs?: () => Promise<CID[] | undefined> | CID[] | undefined
  /** reads and writes the entries of an encrypted board (see EntryCodec) */
  codec?: EntryCodec
}

/** A key arrives in a `space/key` entry: it may open entries held back for want of it. */
const SPACE_KEY = 'space/key'

export type BoardEvent =
  /** the document changed: by an edit here (`local`) or by an entry (`remote`) */
  | { type: 'change', origin: 'local' | 'remote' }
  /** a claim or release was taken in */
  | { type: 'claims' }
  /** a task assignment was taken in */
  | { type: 'assignment', task: string, assignee: string | null, by: string, entry: string, origin: 'local' | 'remote' }
  /** the document was replayed from the log after a writer's log was cut by a fork or a freeze (the `board` view is new) */
  | { type: 'rebuilt' }
  /** a background step failed: a batched write, a periodic snapshot, an entry whose update would not apply */
  | { type: 'error', error: Error }

export type BoardListener = (event: BoardEvent) => void

/** Transaction origin of entries applied from the log; every other transaction is a local edit. */
const FROM_LOG = Symbol('board/from-log')

/**
 * The stateful view a node keeps of one board: the Y.Doc built from the space's `board/update`
 * entries, its claims and grants. Starts from a compacted snapshot in the log's meta and takes
 * in only the entries after it; follows the log for new entries; batches local edits into one
 * entry per short window (DESIGN §5).
 */
export class BoardReplica {
  readonly space: string
  private readonly log: Log
  private readonly identity: Identity | undefined
  private readonly batchMs: number
  private readonly snapshotEvery: number
  private readonly snapshotIdleMs: number
  private idleTimer: ReturnType<typeof setTimeout> | undefined
  private ydoc = new Y.Doc()
  private view!: Board
  private genesisEntry: SignedEntry<GenesisBody> | undefined
  private readonly heads = new Map<string, { seq: number, head: string }>()
  private claimRecords: ClaimRecord[] = []
  private claimCache: Map<string, TaskClaim> | undefined
  private assignRecords: AssignRecord[] = []
  private assignCache: Map<string, TaskAssignment> | undefined
  private readonly grants = new Map<string, string>()
  private batcher!: EditBatcher
  private buffer: SignedEntry[] | undefined
  private catchingUp: Promise<void> | undefined
  private snapshotting: Promise<void> | undefined
  private periodic: Promise<void> | undefined
  private sinceSnapshot = 0
  private appliedCount = 0
  private unsubscribe: (() => void) | undefined
  private readonly listeners = new Set<BoardListener>()
  private readonly refsHook: (() => Promise<CID[] | undefined> | CID[] | undefined) | undefined
  private readonly codec: EntryCodec | undefined

  constructor (init: BoardReplicaInit) {
    this.log = init.log
    this.space = init.space
    this.identity = init.identity
    this.batchMs = init.batchMs ?? 50
    this.snapshotEvery = init.snapshotEvery ?? 500
    this.snapshotIdleMs = init.snapshotIdleMs ?? 1_000
    this.refsHook = init.refs
    this.codec = init.codec
    this.attach(new Y.Doc())
  }

  /** The task model over the current document. Replaced after a rebuild; do not keep it across `rebuilt` events. */
  get board (): Board {
    return this.view
  }

  get doc (): Y.Doc {
    return this.ydoc
  }

  /** `board/update` entries applied to the document since this replica was made. */
  get applied (): number {
    return this.appliedCount
  }

  /** The board's creator, who alone grants writers. */
  get creator (): string {
    return this.genesis().entry.author
  }

  /** Per author, the last entry of this space taken in. */
  vector (): VersionVector {
    return Object.fromEntries([...this.heads].map(([a, h]) => [a, { ...h }]))
  }

  /** Identities allowed to write besides the creator: listed in the genesis or granted, and not removed (their log cut). */
  writers (): string[] {
    const writers = new Set([...this.genesis().entry.body.policy.writers, ...this.grants.keys()])
    return [...writers].filter((w) => this.log.head(this.space, w)?.frozenAt === undefined).sort()
  }

  async start (): Promise<void> {
    if (this.unsubscribe !== undefined) return
    const genesis = this.log.genesis(this.space)
    if (genesis === undefined || genesis.entry.body.kind !== 'board') throw new NotABoardError(`${this.space} is not a board held by this log`)
    this.genesisEntry = genesis
    this.buffer = []
    this.unsubscribe = this.log.subscribe((event) => { this.onLog(event) })
    try {
      // A replica started again keeps what it holds and only catches up.
      if (this.heads.size === 0) await this.loadSnapshot()
      await this.catchUp()
    } catch (err) {
      this.unsubscribe()
      this.unsubscribe = undefined
      throw err
    }
  }

  /** Sends pending edits, writes a snapshot and stops following the log. Failures are reported as `error` events. */
  async stop (): Promise<void> {
    if (this.unsubscribe === undefined) return
    try {
      await this.catchingUp
      await this.snapshot()
    } catch (err) {
      this.emit({ type: 'error', error: err as Error })
    } finally {
      clearTimeout(this.idleTimer)
      this.batcher.stop()
      this.unsubscribe?.()
      this.unsubscribe = undefined
    }
  }

  subscribe (listener: BoardListener): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  /** Runs changes to the board as one transaction; they go out with the current window's entry. */
  edit (fn: (board: Board) => void): void {
    if (this.unsubscribe === undefined) throw new ReplicaClosedError('the replica is not running')
    if (this.identity === undefined) throw new ReadOnlyBoardError('this replica has no identity to sign edits with')
    this.ydoc.transact(() => { fn(this.view) })
  }

  /** Sends the pending window now; resolves once its entry is durable (rejects if it could not be written). */
  async flush (): Promise<void> {
    await this.batcher.flush()
  }

  /** Writes the compacted snapshot: the document and what it holds, after sending pending edits. */
  async snapshot (): Promise<void> {
    const run = (this.snapshotting ?? Promise.resolve()).then(async () => { await this.writeSnapshot() })
    this.snapshotting = run.catch(() => {})
    await run
  }

  async claim (task: string): Promise<SignedEntry> {
    if (this.view.task(task) === undefined) throw new UnknownTaskError(`no task ${String(task).slice(0, 64)}`)
    return await this.append(TASK_CLAIM, { task })
  }

  async release (task: string): Promise<SignedEntry> {
    return await this.append(TASK_RELEASE, { task })
  }

  /**
   * Assigns a task to `assignee`, or clears its assignee (null): a `task/assign` entry. `refs`
   * replaces the refs this node's board entries name, for a writer whose authority to assign is
   * proven otherwise (an org admin's proof).
   */
  async assign (task: string, assignee: string | null, refs?: CID[]): Promise<SignedEntry> {
    if (this.view.task(task) === undefined) throw new UnknownTaskError(`no task ${String(task).slice(0, 64)}`)
    return await this.append(TASK_ASSIGN, { task, assignee }, refs)
  }

  /**
   * Appends an entry of a type the board does not interpret (a profile), naming the refs this
   * node's board entries name; the log checks it as any other.
   */
  async write (type: string, body: unknown): Promise<SignedEntry> {
    return await this.append(type, body)
  }

  /** Lets `writer` write this board. Only the creator may grant (UnauthorizedError otherwise). */
  async grant (writer: string): Promise<SignedEntry> {
    return await this.append(BOARD_GRANT, { writer })
  }

  /**
   * Removes a writer (the creator only): a `board/remove` naming their head as this node holds
   * it; every node cuts their log there when it takes the entry in. Resolves once the cut is made here.
   */
  async remove (writer: string): Promise<SignedEntry> {
    const seq = this.log.head(this.space, writer)?.seq ?? 0
    const entry = await this.append(BOARD_REMOVE, { writer, seq })
    await this.log.freeze(this.space, writer, seq, `removed by the board's creator (${cidString(entry.id)})`)
    return entry
  }

  /**
   * Signs an update made in another replica of the document (a web page's) as this node's
   * `board/update` entry; the document takes it in from the log like any entry. The update is
   * trusted: check it first (`applyTextUpdate` does).
   */
  async appendUpdate (update: Uint8Array): Promise<SignedEntry> {
    await this.batcher.flush()
    return await this.append(BOARD_UPDATE, { update })
  }

  /**
   * Takes in a hand-over of one of this board's tasks (`handoverRecord`): a market acceptance
   * the caller has checked (signed by someone who may administer the board). Each once.
   */
  handOver (record: ClaimRecord): void {
    if (record.type !== HANDOVER || this.claimRecords.some((r) => r.id === record.id)) return
    this.claimRecords.push(record)
    this.claimCache = undefined
    this.emit({ type: 'claims' })
  }

  claims (): Map<string, TaskClaim> {
    this.claimCache ??= claimState(this.claimRecords)
    return this.claimCache
  }

  /** The assignment in force per task (see `assignmentState`). */
  assignments (): Map<string, TaskAssignment> {
    this.assignCache ??= assignmentState(this.assignRecords, this.claims())
    return this.assignCache
  }

  workload (): Map<string, number> {
    return workload(this.view.tasks(), this.claims(), this.view.workflow().done)
  }

  /** Which entry changed what in a task; replays the space's updates from the log. */
  async history (taskId: string): Promise<HistoryEvent[]> {
    return taskHistory(await this.historyEntries(), taskId)
  }

  /** The history of every task, in one replay of the space's updates (for an export). */
  async histories (): Promise<Map<string, HistoryEvent[]>> {
    return boardHistory(await this.historyEntries())
  }

  private async historyEntries (): Promise<SignedEntry[]> {
    const entries: SignedEntry[] = []
    await this.log.flush() // spaceEntries reads the store: let what was accepted land first
    for await (const stored of this.log.spaceEntries(this.space)) {
      let e: SignedEntry | undefined = stored
      try {
        e = this.codec === undefined ? stored : this.codec.open(stored)
      } catch (err) {
        // An entry that will never open has no history to show.
        this.emit({ type: 'error', error: err as Error })
        continue
      }
      if (e === undefined) continue
      if (e.entry.type === BOARD_UPDATE || e.entry.type === TASK_CLAIM || e.entry.type === TASK_RELEASE || e.entry.type === TASK_ASSIGN) entries.push(e)
    }
    return entries
  }

  // --- taking entries in -------------------------------------------------------------------

  private onLog (event: LogEvent): void {
    if (event.type === 'fork' || event.type === 'frozen') {
      // The author's log now ends before entries this replica may have applied: they must go.
      const [space, author, keep] = event.type === 'fork'
        ? [event.fork.space, event.fork.author, event.fork.seq - 1]
        : [event.space, event.author, event.atSeq]
      if (space === this.space && (this.heads.get(author)?.seq ?? 0) > keep) {
        this.rebuild().catch((err: Error) => { this.emit({ type: 'error', error: err }) })
      }
      return
    }
    if (event.type !== 'entry' || event.entry.space !== this.space) return
    if (this.buffer !== undefined) this.buffer.push(event.entry)
    else this.take(event.entry)
  }

  /** Takes in one entry of the space, in its author's seq order; a gap sends the replica back to the log. */
  private take (entry: SignedEntry): void {
    const { author, seq } = entry.entry
    const held = this.heads.get(author)?.seq ?? 0
    if (seq <= held) return
    if (seq > held + 1) {
      this.buffer ??= []
      this.buffer.push(entry)
      this.catchUp().catch((err: Error) => { this.emit({ type: 'error', error: err }) })
      return
    }
    const id = cidString(entry.id)
    let record: SignedEntry | undefined = entry
    try {
      record = this.codec?.open(entry) ?? (this.codec === undefined ? entry : undefined)
    } catch (err) {
      // It will never open: skip it, as an update that would not apply is skipped.
      this.emit({ type: 'error', error: err as Error })
      this.heads.set(author, { seq, head: id })
      return
    }
    // Not readable yet: this author's entries wait here until a key arrives.
    if (record === undefined) return
    switch (record.entry.type) {
      case BOARD_UPDATE:
        this.applyUpdate(record)
        break
      case BOARD_GRANT: {
        const writer = (record.entry.body as { writer?: unknown }).writer
        if (author === this.creator && typeof writer === 'string') this.grants.set(writer, id)
        break
      }
      case BOARD_REMOVE: {
        const { writer, seq: at } = entry.entry.body as BoardRemoveBody
        if (author !== this.creator || writer === this.creator) break
        this.grants.delete(writer)
        const head = this.log.head(this.space, writer)
        if (head?.frozenAt === undefined || head.frozenAt > at) {
          this.log.freeze(this.space, writer, at, `removed by the board's creator (${id})`).catch((err: Error) => {
            if (err.name !== 'LogClosedError') this.emit({ type: 'error', error: err })
          })
        }
        break
      }
      case TASK_CLAIM:
      case TASK_RELEASE: {
        const claim = claimRecord(record)
        if (claim !== undefined) {
          this.claimRecords.push(claim)
          this.claimCache = undefined
          this.assignCache = undefined
          this.emit({ type: 'claims' })
        }
        break
      }
      case TASK_ASSIGN: {
        const assign = assignRecord(record)
        if (assign !== undefined) {
          this.assignRecords.push(assign)
          this.assignCache = undefined
          const origin = author === this.identity?.id ? 'local' : 'remote'
          this.emit({ type: 'assignment', task: assign.task, assignee: assign.assignee, by: author, entry: id, origin })
        }
        break
      }
    }
    this.heads.set(author, { seq, head: id })
    if (record.entry.type === SPACE_KEY && this.codec !== undefined && this.unsubscribe !== undefined) {
      queueMicrotask(() => { this.catchUp().catch((err: Error) => { this.emit({ type: 'error', error: err }) }) })
    }
  }

  private applyUpdate (entry: SignedEntry): void {
    const update = (entry.entry.body as { update: Uint8Array }).update
    try {
      // The log's authorizers checked this very buffer as it arrived; it is not decoded twice.
      checkUpdateOnce(update)
      Y.applyUpdate(this.ydoc, update, FROM_LOG)
    } catch (err) {
      this.emit({ type: 'error', error: err as Error })
    }
    this.appliedCount++
    // One periodic snapshot at a time: a long catch-up asks for many and needs only the last.
    if (++this.sinceSnapshot >= this.snapshotEvery) this.periodicSnapshot()
    clearTimeout(this.idleTimer)
    this.idleTimer = setTimeout(() => { if (this.sinceSnapshot > 0) this.periodicSnapshot() }, this.snapshotIdleMs)
    this.idleTimer.unref?.()
  }

  private periodicSnapshot (): void {
    if (this.periodic !== undefined || this.unsubscribe === undefined) return
    this.periodic = this.snapshot()
      .catch((err: Error) => { this.emit({ type: 'error', error: err }) })
      .finally(() => { this.periodic = undefined })
  }

  /**
   * Reads what the log holds past this replica's heads, then what arrived meanwhile. The log
   * emits each author's entries in seq order, so after a pass over the log the buffer continues
   * it; an entry still after a gap is one the log no longer holds (its author forked) and is dropped.
   */
  private async catchUp (): Promise<void> {
    if (this.catchingUp !== undefined) return await this.catchingUp
    this.buffer ??= []
    const run = (async () => {
      for (let pass = 0; pass < 3 && this.buffer !== undefined; pass++) {
        // Log.range reads durable entries from the store and stops at the first one still in
        // flight, so wait for what the log accepted to land; later arrivals are in the buffer.
        await this.log.flush()
        for (const author of Object.keys(this.log.vector(this.space)).sort()) {
          const from = (this.heads.get(author)?.seq ?? 0) + 1
          for await (const entry of this.log.entries(this.space, author, from)) this.take(entry)
        }
        const buffered = this.buffer
        this.buffer = []
        for (const entry of buffered) this.take(entry)
        if (this.buffer.length === 0) this.buffer = undefined
      }
      this.buffer = undefined
    })()
    this.catchingUp = run
    try {
      await run
    } finally {
      this.catchingUp = undefined
    }
  }

  /**
   * After a fork or a freeze cut a writer's log below what this replica took in, replays the log
   * into a new document: Yjs cannot take an update back out.
   */
  private async rebuild (): Promise<void> {
    try {
      await this.flush()
    } catch (err) {
      this.emit({ type: 'error', error: err as Error })
    }
    await this.catchingUp
    this.buffer ??= []
    this.heads.clear()
    // Hand-overs come from markets, not from this board's log: a replay keeps them.
    this.claimRecords = this.claimRecords.filter((r) => r.type === HANDOVER)
    this.claimCache = undefined
    this.assignRecords = []
    this.assignCache = undefined
    this.grants.clear()
    this.attach(new Y.Doc())
    await this.catchUp()
    this.emit({ type: 'rebuilt' })
  }

  private async loadSnapshot (): Promise<void> {
    const bytes = await this.log.getMeta(snapshotKey(this.space))
    const snap = bytes === undefined ? undefined : decodeSnapshot(bytes)
    if (snap === undefined) return
    // A snapshot is only good while the log still holds every entry it counts (a fork can drop some).
    for (const [author, v] of Object.entries(snap.vector)) {
      const held = v.seq === 0 ? undefined : await this.log.get(this.space, author, v.seq)
      if (held === undefined || cidString(held.id) !== v.head || (this.log.head(this.space, author)?.seq ?? 0) < v.seq) return
    }
    try {
      // Bounds only: Yjs's decode of a whole board would be thrown away at once, and the apply
      // decodes it again; a snapshot the apply refuses is dropped below, document and all.
      checkUpdateBounds(snap.update, Infinity)
      Y.applyUpdate(this.ydoc, snap.update, FROM_LOG)
    } catch (err) {
      this.emit({ type: 'error', error: err as Error })
      this.attach(new Y.Doc())
      return
    }
    for (const [author, v] of Object.entries(snap.vector)) this.heads.set(author, { seq: v.seq, head: v.head })
    this.claimRecords = [...snap.claims]
    this.claimCache = undefined
    this.assignRecords = [...snap.assigns]
    this.assignCache = undefined
    for (const [writer, id] of Object.entries(snap.grants)) this.grants.set(writer, id)
  }

  private async writeSnapshot (): Promise<void> {
    await this.catchingUp
    // The snapshot must hold no edit that is not in an entry yet: a crash would keep it here only.
    do await this.flush()
    while (this.batcher.pending)
    const bytes = encodeSnapshot({
      update: Y.encodeStateAsUpdate(this.ydoc),
      vector: this.vector(),
      claims: this.claimRecords,
      assigns: this.assignRecords,
      grants: Object.fromEntries(this.grants)
    })
    this.sinceSnapshot = 0
    await this.log.putMeta(snapshotKey(this.space), bytes)
  }

  // --- local edits -------------------------------------------------------------------------

  private attach (doc: Y.Doc): void {
    this.ydoc.destroy()
    this.ydoc = doc
    this.view = new Board(doc, { author: this.identity?.id })
    // Not Yjs's 'update' event: with a listener on it Yjs encodes every transaction as an update,
    // and applying a 10,000-task snapshot then encoded all of it again for nothing (tens of MiB
    // of garbage at start, which V8 keeps as heap). A change is what that event would signal.
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (changedContent(tr)) this.emit({ type: 'change', origin: tr.origin === FROM_LOG ? 'remote' : 'local' })
    })
    this.batcher?.stop()
    this.batcher = new EditBatcher({
      doc,
      batchMs: this.batchMs,
      send: async (update) => { await this.append(BOARD_UPDATE, { update }) },
      onError: (error) => { this.emit({ type: 'error', error }) }
    })
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (tr.origin === FROM_LOG) return
      if (this.unsubscribe === undefined) {
        this.emit({ type: 'error', error: new ReplicaClosedError('an edit made while the replica is not running is not sent') })
        return
      }
      this.batcher.add(tr)
    })
  }

  private async append (type: string, body: unknown, given?: CID[]): Promise<SignedEntry> {
    const identity = this.identity
    if (identity === undefined) throw new ReadOnlyBoardError('this replica has no identity to sign entries with')
    const refs = given ?? (await this.refsHook?.()) ?? this.refsFor(identity.id)
    if (this.codec !== undefined) return await this.codec.append(type, body, refs)
    return await this.log.append(identity, this.space, type, body, refs)
  }

  /** The grant that lets `author` write, for an author who is neither the creator nor listed. */
  private refsFor (author: string): CID[] | undefined {
    const genesis = this.genesis()
    if (author === genesis.entry.author || genesis.entry.body.policy.writers.includes(author)) return undefined
    const grant = this.grants.get(author)
    return grant === undefined ? undefined : [CID.parse(grant)]
  }

  private genesis (): SignedEntry<GenesisBody> {
    if (this.genesisEntry === undefined) throw new ReplicaClosedError('the replica is not started')
    return this.genesisEntry
  }

  private emit (event: BoardEvent): void {
    for (const l of this.listeners) {
      try {
        l(event)
      } catch (err) {
        // A listener's failure is its own; the board goes on.
        if (event.type !== 'error') this.emit({ type: 'error', error: err as Error })
      }
    }
  }
}

/** Whether a transaction inserted or deleted anything: when Yjs would emit an update for it. */
function changedContent (tr: Y.Transaction): boolean {
  if (tr.deleteSet.clients.size > 0) return true
  for (const [client, clock] of tr.afterState) if (tr.beforeState.get(client) !== clock) return true
  return false
}
