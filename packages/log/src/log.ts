import {
  CID, ClockRegressionError, GENESIS_TYPE, SpaceMismatchError, HybridClock, PrevMismatchError, RecordRegistry, Verifier, baseRecordTypes,
  cidOf, cidString, compareStamps, decode, signEntry, validateEntry, checkEntry, verifyChecked,
  bytesEqual, type Entry, type ValidateInit, type GenesisBody, type Identity, type SignedEntry, type UnsignedEntry
} from '@mutual/protocol'
import { genesisPolicy, type Authorizer } from './authorize.js'
import { CommitQueue } from './commit-queue.js'
import { FrozenLogError, LogClosedError, StoreWriteError, UnknownRefError, UnknownSpaceError } from './errors.js'
import type { EntryStore, ForkRecord, HeadRecord, StoreBatch } from './store.js'
import type { MissingRange, VersionVector } from './vector.js'

export interface LogInit {
  store: EntryStore
  /** record types this log accepts; defaults to the base types (genesis, note) */
  registry?: RecordRegistry
  /** write rules checked for every entry; defaults to the genesis policy */
  authorizers?: Authorizer[]
  /** wall clock in ms, injectable for tests */
  now?: () => number
  maxSkewMs?: number
  /** entries held while their predecessor is missing (default 10,000) */
  maxPending?: number
}

export type IngestStatus = 'added' | 'duplicate' | 'fork' | 'pending'

export interface IngestResult {
  status: IngestStatus
  entry: SignedEntry
}

export interface IngestOptions {
  /** resolve only once the entry is durable (default true); gossip forwards before the fsync */
  durable?: boolean
  /** the space the entry must belong to (a gossip topic's space) */
  space?: string
}

export interface MissingReport {
  ranges: MissingRange[]
  forks: ForkRecord[]
}

export type LogEvent =
  | { type: 'entry', entry: SignedEntry }
  | { type: 'fork', fork: ForkRecord }
  /** the author's log in `space` takes nothing after `atSeq` any more (see `Log.freeze`) */
  | { type: 'frozen', space: string, author: string, atSeq: number, reason: string }

export type LogListener = (event: LogEvent) => void

const key3 = (space: string, author: string, seq: number): string => `${space}/${author}/${seq}`

/**
 * Spaces of per-author, hash-linked, signed logs. Every write goes through one path — validate,
 * check the chain, authorize, queue for a group commit — whether it was appended here or arrived
 * from a peer. State changes are made one at a time (a promise chain), so no two writes race on
 * the same head; the fsync happens outside that chain so many writes share it.
 */
export class Log {
  readonly registry: RecordRegistry
  private readonly store: EntryStore
  private readonly verifier = new Verifier()
  private readonly clock: HybridClock
  private readonly authorizers: Authorizer[]
  private readonly now: () => number
  private readonly maxSkewMs: number | undefined
  private readonly maxPending: number
  private readonly heads = new Map<string, Map<string, HeadRecord>>()
  private readonly geneses = new Map<string, SignedEntry<GenesisBody>>()
  private readonly forkRecords = new Map<string, ForkRecord[]>()
  /** entries waiting for their space's genesis (`space:<id>`) or a referenced entry (`ref:<id>`) */
  /**
   * Entries held until something arrives, by what they wait for: their space's genesis
   * (`space:<id>`), a referenced entry (`ref:<id>`) or their predecessor (`<space>/<author>/<seq>`).
   * Several may wait on one key: both halves of a fork wait on the same predecessor.
   */
  private readonly waiting = new Map<string, SignedEntry[]>()
  private pendingCount = 0
  /** entries queued but not yet durable, readable before their batch lands */
  private readonly unflushed = new Map<string, Uint8Array>()
  private readonly listeners = new Set<LogListener>()
  private readonly queue: CommitQueue
  private tail: Promise<unknown> = Promise.resolve()
  private releasing: Promise<unknown> | undefined
  private state: 'closed' | 'open' | 'failed' = 'closed'

  constructor (init: LogInit) {
    this.store = init.store
    this.registry = init.registry ?? new RecordRegistry(baseRecordTypes())
    this.authorizers = init.authorizers ?? [genesisPolicy()]
    this.now = init.now ?? Date.now
    this.clock = new HybridClock({ now: this.now })
    this.maxSkewMs = init.maxSkewMs
    this.maxPending = init.maxPending ?? 10_000
    this.queue = new CommitQueue(this.store, (batch) => { this.flushed(batch) })
  }

  async start (): Promise<void> {
    if (this.state === 'open') return
    await this.store.open()
    for await (const head of this.store.heads()) {
      this.headsOf(head.space).set(head.author, head)
      this.clock.observe(head.ts)
    }
    for await (const fork of this.store.forks()) this.recordFork(fork)
    for (const space of this.heads.keys()) {
      const loc = await this.store.locate(space)
      const bytes = loc === undefined ? undefined : await this.store.entry(loc.space, loc.author, loc.seq)
      if (bytes !== undefined) this.geneses.set(space, this.decodeStored(bytes) as SignedEntry<GenesisBody>)
    }
    this.state = 'open'
  }

  async stop (): Promise<void> {
    if (this.state === 'closed') return
    await this.tail.catch(() => {})
    await this.queue.flush()
    this.state = 'closed'
    await this.store.close()
  }

  /** Subscribes to entries added and forks found; returns the unsubscribe function. */
  subscribe (listener: LogListener): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  /** Creates a space: signs its genesis and stores it. The genesis's id is the space id. */
  async createSpace (identity: Identity, body: GenesisBody): Promise<SignedEntry<GenesisBody>> {
    return await this.exclusive(async () => {
      this.ensureOpen()
      const ts = this.clock.tick()
      const signed = signEntry(identity, {
        v: 1, space: null, author: identity.id, seq: 1, prev: null, ts, type: GENESIS_TYPE, body
      })
      this.registry.check(GENESIS_TYPE, body, signed.bytes.byteLength)
      const { durable } = this.admit(signed as SignedEntry)
      return { durable, value: signed }
    })
  }

  /**
   * Signs and stores the next entry of `identity` in `space`. Resolves once durable: an entry
   * returned from here survives a crash. Body and authorization are checked as for any entry.
   */
  async append<B> (identity: Identity, space: string, type: string, body: B, refs?: SignedEntry['id'][]): Promise<SignedEntry<B>> {
    return await this.exclusive(async () => {
      this.ensureOpen()
      const genesis = this.geneses.get(space)
      if (genesis === undefined) throw new UnknownSpaceError(`no space ${space} here`)
      const head = this.headsOf(space).get(identity.id)
      if (head?.frozenAt !== undefined) throw new FrozenLogError(`the log of ${identity.id} in ${space} is frozen at seq ${head.frozenAt}`)
      if (head !== undefined) this.clock.observe(head.ts)
      const fields: UnsignedEntry<B> = {
        v: 1,
        space: genesis.id,
        author: identity.id,
        seq: (head?.seq ?? 0) + 1,
        prev: head === undefined ? null : CID.parse(head.head),
        ts: this.clock.tick(),
        type,
        body
      }
      if (refs !== undefined && refs.length > 0) fields.refs = refs
      const resolved: SignedEntry[] = []
      for (const ref of refs ?? []) {
        const found = await this.getById(ref.toString())
        if (found === undefined) throw new UnknownRefError(`referenced entry ${ref.toString()} is not here`)
        resolved.push(found)
      }
      const signed = signEntry(identity, fields)
      ;(signed.entry as Entry).body = this.registry.check(type, body, signed.bytes.byteLength, identity.id)
      this.authorize(signed as SignedEntry, genesis, resolved)
      const { durable } = this.admit(signed as SignedEntry)
      return { durable, value: signed }
    })
  }

  /**
   * Validates bytes from elsewhere and stores them if they extend a log. Throws a named error
   * for invalid input, storing nothing. An entry whose predecessor is missing is held (status
   * `pending`) and stored as soon as the gap is filled.
   */
  async ingest (bytes: Uint8Array, options: IngestOptions = {}): Promise<IngestResult> {
    this.ensureOpen()
    const signed = validateEntry(bytes, this.validateInit())
    return await this.placeIngested(signed, options, options.durable ?? true)
  }

  /**
   * Ingests several entries as `ingest` does each, in order, but checks their signatures on
   * libuv's thread pool, many at once, while the entries before them are placed: a batch from
   * a sync session is verified on every core. An entry with the same bytes as one this log
   * already holds at its place is a duplicate without its signature checked again (two sessions
   * with one peer may bring the same entries). Resolves to each entry's outcome in order (an
   * invalid entry rejects only its own); with `durable` (the default) once every added entry is
   * durable.
   */
  async ingestMany (list: Uint8Array[], options: IngestOptions = {}): Promise<Array<PromiseSettledResult<IngestResult>>> {
    this.ensureOpen()
    const init = this.validateInit()
    const checks = list.map((bytes) => {
      try {
        const checked = checkEntry(bytes, init)
        const { entry, space } = checked.signed
        // At or below the author's head: maybe one this log holds; compared before verifying, in order.
        const held = entry.seq <= (this.heads.get(space)?.get(entry.author)?.seq ?? 0)
        return { checked, verified: held ? undefined : quiet(verifyChecked(checked, this.verifier)) }
      } catch (err) {
        return { error: err as Error }
      }
    })
    const results: Array<PromiseSettledResult<IngestResult>> = []
    const durables: Array<Promise<void>> = []
    for (const check of checks) {
      try {
        if (check.error !== undefined) throw check.error
        const { checked } = check
        if (options.space !== undefined && checked.signed.space !== options.space) {
          throw new SpaceMismatchError(`entry of space ${checked.signed.space} sent on the topic of ${options.space}`)
        }
        if (check.verified === undefined && await this.holds(checked.signed)) {
          results.push({ status: 'fulfilled', value: { status: 'duplicate', entry: checked.signed } })
          continue
        }
        const signed = await (check.verified ?? verifyChecked(checked, this.verifier))
        results.push({ status: 'fulfilled', value: await this.placeIngested(signed, options, false, durables) })
      } catch (reason) {
        results.push({ status: 'rejected', reason })
      }
    }
    if (options.durable ?? true) await Promise.all(durables)
    return results
  }

  /** Whether this log holds these very bytes at the entry's place (then they were valid when stored). */
  private async holds (signed: SignedEntry): Promise<boolean> {
    const { entry, space } = signed
    if (entry.type === GENESIS_TYPE) return this.geneses.get(space) !== undefined && bytesEqual(this.geneses.get(space)?.bytes as Uint8Array, signed.bytes)
    const stored = this.unflushed.get(key3(space, entry.author, entry.seq)) ?? await this.store.entry(space, entry.author, entry.seq)
    return stored !== undefined && bytesEqual(stored, signed.bytes)
  }

  private validateInit (): ValidateInit {
    return { registry: this.registry, verifier: this.verifier, now: this.now(), maxSkewMs: this.maxSkewMs }
  }

  /** Chain checks and storage for a validated entry from elsewhere; `durables` collects the durability of what it stored. */
  private async placeIngested (signed: SignedEntry, options: IngestOptions, awaitDurable: boolean, durables?: Array<Promise<void>>): Promise<IngestResult> {
    if (options.space !== undefined && signed.space !== options.space) {
      throw new SpaceMismatchError(`entry of space ${signed.space} sent on the topic of ${options.space}`)
    }
    const result = await this.exclusive(async () => {
      this.ensureOpen()
      const { status, durable } = await this.place(signed)
      durables?.push(durable)
      return { durable, value: { status, entry: signed } }
    }, awaitDurable)
    // Entries that waited on this one are placed before the caller hears back.
    while (this.releasing !== undefined) {
      const released = this.releasing
      this.releasing = undefined
      await released
    }
    return result
  }

  /**
   * Freezes `author`'s log in `space` at `atSeq`, as a fork does: the head goes back to `atSeq`
   * if it is past it, and nothing after `atSeq` from that author is accepted here again
   * (FrozenLogError). For verdicts that arrive after the entries they undo, such as a revoked
   * credential (DESIGN.md §5, org). Emits a `frozen` event and resolves once the head is durable;
   * resolves false, changing nothing, when the log is already frozen at or below `atSeq`.
   */
  async freeze (space: string, author: string, atSeq: number, reason: string): Promise<boolean> {
    if (!Number.isSafeInteger(atSeq) || atSeq < 0) throw new RangeError(`cannot freeze at seq ${atSeq}`)
    return await this.exclusive(async () => {
      this.ensureOpen()
      if (!this.geneses.has(space)) throw new UnknownSpaceError(`no space ${space} here`)
      const frozenAt = this.heads.get(space)?.get(author)?.frozenAt
      if (frozenAt !== undefined && frozenAt <= atSeq) return { durable: Promise.resolve(), value: false }
      const head = await this.freezeHead(space, author, atSeq)
      this.emit({ type: 'frozen', space, author, atSeq, reason })
      return { durable: this.persist({ heads: [head] }), value: true }
    })
  }

  /** Stores a fork proof received from a peer: both entries are ingested, the second revealing the fork. */
  async ingestFork (entries: [Uint8Array, Uint8Array]): Promise<void> {
    for (const bytes of entries) {
      try {
        await this.ingest(bytes)
      } catch (err) {
        if ((err as Error).name !== 'FrozenLogError') throw err
      }
    }
  }

  spaces (): string[] {
    return [...this.geneses.keys()]
  }

  genesis (space: string): SignedEntry<GenesisBody> | undefined {
    return this.geneses.get(space)
  }

  head (space: string, author: string): HeadRecord | undefined {
    const head = this.heads.get(space)?.get(author)
    return head === undefined ? undefined : { ...head }
  }

  vector (space: string): VersionVector {
    const vector: VersionVector = {}
    for (const [author, h] of this.heads.get(space) ?? []) {
      vector[author] = h.frozenAt === undefined ? { seq: h.seq, head: h.head } : { seq: h.seq, head: h.head, frozenAt: h.frozenAt }
    }
    return vector
  }

  forks (space: string): ForkRecord[] {
    return [...(this.forkRecords.get(space) ?? [])]
  }

  /** What `remote` lacks of this node's logs in `space`, including divergent heads that reveal forks. */
  async missing (space: string, remote: VersionVector): Promise<MissingReport> {
    const ranges: MissingRange[] = []
    const genesisAuthor = this.geneses.get(space)?.entry.author
    for (const [author, local] of this.heads.get(space) ?? []) {
      const theirs = remote[author]
      let from = (theirs?.seq ?? 0) + 1
      if (theirs !== undefined && theirs.seq > 0 && theirs.seq <= local.seq && theirs.frozenAt === undefined) {
        // A different entry at their head's seq means one of us holds the other side of a fork,
        // somewhere at or below it. Forks are rare and frozen for good, so the whole log is sent
        // once and the receiver's duplicate checks find the first seq where the logs part.
        const ours = theirs.seq === local.seq ? local.head : await this.idAt(space, author, theirs.seq)
        if (ours !== undefined && ours !== theirs.head) from = 1
      }
      if (from <= local.seq) ranges.push({ author, from, to: local.seq })
    }
    // The genesis author's log goes first: every other entry depends on the genesis.
    ranges.sort((a, b) => Number(b.author === genesisAuthor) - Number(a.author === genesisAuthor) || (a.author < b.author ? -1 : 1))
    const forks = this.forks(space).filter((f) => remote[f.author]?.frozenAt === undefined)
    return { ranges, forks }
  }

  /** Raw bytes of one author's entries in seq order, within the log (never past a fork). */
  async * range (space: string, author: string, from = 1, to = Infinity): AsyncIterable<Uint8Array> {
    const head = this.heads.get(space)?.get(author)
    if (head === undefined) return
    const last = Math.min(to, head.seq)
    let seq = Math.max(from, 1)
    // Entries not yet flushed may sit anywhere in the run (released pending entries land out of
    // order), so each seq is taken from the side map first and the store fills runs between.
    while (seq <= last) {
      const pending = this.unflushed.get(key3(space, author, seq))
      if (pending !== undefined) {
        yield pending
        seq++
        continue
      }
      const start = seq
      for await (const bytes of this.store.range(space, author, seq, last)) {
        yield this.unflushed.get(key3(space, author, seq)) ?? bytes
        seq++
      }
      if (seq === start) return
    }
  }

  /** One author's decoded entries in seq order. */
  async * entries (space: string, author: string, from = 1, to = Infinity): AsyncIterable<SignedEntry> {
    for await (const bytes of this.range(space, author, from, to)) yield this.decodeStored(bytes)
  }

  /** Every entry of a space, author by author (sorted by author id), each in seq order. */
  async * spaceEntries (space: string): AsyncIterable<SignedEntry> {
    const authors = [...(this.heads.get(space)?.keys() ?? [])].sort()
    for (const author of authors) yield * this.entries(space, author)
  }

  async get (space: string, author: string, seq: number): Promise<SignedEntry | undefined> {
    const bytes = this.unflushed.get(key3(space, author, seq)) ?? await this.store.entry(space, author, seq)
    return bytes === undefined ? undefined : this.decodeStored(bytes)
  }

  async getById (id: string): Promise<SignedEntry | undefined> {
    const loc = await this.store.locate(id)
    if (loc !== undefined) return await this.get(loc.space, loc.author, loc.seq)
    for (const bytes of this.unflushed.values()) {
      const entry = this.decodeStored(bytes)
      if (entry.id.toString() === id) return entry
    }
    return undefined
  }

  /** Resolves once every write accepted so far is durable. */
  async flush (): Promise<void> {
    await this.tail
    await this.queue.flush()
  }

  /** Application state stored beside the log (snapshots). Durable once the promise resolves. */
  async putMeta (key: string, value: Uint8Array | null): Promise<void> {
    this.ensureOpen()
    await this.persist({ meta: [{ key, value }] })
  }

  async getMeta (key: string): Promise<Uint8Array | undefined> {
    return await this.store.getMeta(key)
  }

  metaPrefix (prefix: string): AsyncIterable<[string, Uint8Array]> {
    return this.store.metaPrefix(prefix)
  }

  /** Entries held for a missing predecessor. */
  get pending (): number {
    return this.pendingCount
  }

  // --- internals -------------------------------------------------------------------------

  /**
   * Runs a state change after every earlier one. The change returns a durability promise that
   * the caller awaits outside the chain (or not at all, for gossip).
   */
  private async exclusive<T> (fn: () => Promise<{ durable: Promise<void>, value: T }>, awaitDurable = true): Promise<T> {
    const run = this.tail.then(fn)
    this.tail = run.catch(() => {})
    const { durable, value } = await run
    if (awaitDurable) await durable
    else durable.catch(() => {})
    return value
  }

  /** Chain checks for an entry from elsewhere, then admission; may read the store for forks. */
  private async place (signed: SignedEntry): Promise<{ status: IngestStatus, durable: Promise<void> }> {
    const { entry, space } = signed
    if (entry.type === GENESIS_TYPE) {
      if (this.geneses.has(space)) return { status: 'duplicate', durable: Promise.resolve() }
      return { status: 'added', durable: this.admit(signed).durable }
    }
    const genesis = this.geneses.get(space)
    if (genesis === undefined) return this.hold(signed, `space:${space}`)
    const head = this.heads.get(space)?.get(entry.author)
    const current = head?.seq ?? 0
    if (head?.frozenAt !== undefined && entry.seq > head.frozenAt) {
      throw new FrozenLogError(`the log of ${entry.author} in ${space} is frozen at seq ${head.frozenAt}; seq ${entry.seq} is past it`)
    }
    if (entry.seq <= current) return await this.compareStored(signed)
    if (entry.seq > current + 1) return this.hold(signed, key3(space, entry.author, entry.seq))
    // A head at seq 0 is a log frozen before its first entry: there is no predecessor to follow.
    if (head !== undefined && head.seq > 0) {
      if (entry.prev === null || cidString(entry.prev) !== head.head) {
        throw new PrevMismatchError(`seq ${entry.seq} by ${entry.author} does not follow the stored head ${head.head}`)
      }
      if (compareStamps(entry.ts, head.ts) < 0) {
        throw new ClockRegressionError(`seq ${entry.seq} by ${entry.author} is stamped before its predecessor`)
      }
    }
    // Entries named in refs (the grant or credential that authorizes this one) come first.
    const refs: SignedEntry[] = []
    for (const ref of entry.refs ?? []) {
      const found = await this.getById(ref.toString())
      if (found === undefined) return this.hold(signed, `ref:${ref.toString()}`)
      refs.push(found)
    }
    this.authorize(signed, genesis, refs)
    return { status: 'added', durable: this.admit(signed).durable }
  }

  /** An entry at or below the author's head: the same entry again, or the other half of a fork. */
  private async compareStored (signed: SignedEntry): Promise<{ status: IngestStatus, durable: Promise<void> }> {
    const { entry, space } = signed
    const storedBytes = this.unflushed.get(key3(space, entry.author, entry.seq)) ?? await this.store.entry(space, entry.author, entry.seq)
    if (storedBytes === undefined) throw new PrevMismatchError(`no stored entry at seq ${entry.seq} to compare with`)
    const stored = this.decodeStored(storedBytes)
    if (stored.id.equals(signed.id)) return { status: 'duplicate', durable: Promise.resolve() }
    if (String(stored.entry.prev) !== String(entry.prev)) {
      throw new PrevMismatchError(`seq ${entry.seq} by ${entry.author} branches from a different predecessor`)
    }
    // Same author, same seq, same predecessor, both signed: an equivocation. Keep both, freeze the log.
    const pair: [Uint8Array, Uint8Array] = compareBytes(stored.bytes, signed.bytes) <= 0
      ? [stored.bytes, signed.bytes]
      : [signed.bytes, stored.bytes]
    const fork: ForkRecord = { space, author: entry.author, seq: entry.seq, entries: pair }
    const head = await this.freezeHead(space, entry.author, entry.seq - 1)
    this.recordFork(fork)
    this.emit({ type: 'fork', fork })
    return { status: 'fork', durable: this.persist({ heads: [head], forks: [fork] }) }
  }

  /**
   * Freezes an author's log at `atSeq`: the head goes back to the entry at `atSeq` if it is past
   * it (to an empty head at 0), and `frozenAt` marks where the log ends for good. Forks and
   * `freeze` share it. Updates memory; the caller persists the returned head.
   */
  private async freezeHead (space: string, author: string, atSeq: number): Promise<HeadRecord> {
    const current = this.heads.get(space)?.get(author)
    let head: HeadRecord
    if (current === undefined || current.seq <= atSeq) {
      head = { space, author, seq: current?.seq ?? 0, head: current?.head ?? '', ts: current?.ts ?? [0, 0], frozenAt: atSeq }
    } else {
      const previous = atSeq === 0 ? undefined : this.decodeStored(await this.rawAt(space, author, atSeq))
      head = {
        space,
        author,
        seq: atSeq,
        head: previous === undefined ? '' : cidString(previous.id),
        ts: previous?.entry.ts ?? [0, 0],
        frozenAt: atSeq
      }
    }
    this.headsOf(space).set(author, head)
    return head
  }

  private async rawAt (space: string, author: string, seq: number): Promise<Uint8Array> {
    const bytes = this.unflushed.get(key3(space, author, seq)) ?? await this.store.entry(space, author, seq)
    if (bytes === undefined) throw new StoreWriteError(`entry ${seq} of ${author} in ${space} is missing from the store`)
    return bytes
  }

  private async idAt (space: string, author: string, seq: number): Promise<string | undefined> {
    const bytes = this.unflushed.get(key3(space, author, seq)) ?? await this.store.entry(space, author, seq)
    return bytes === undefined ? undefined : cidString(cidOf(bytes))
  }

  private hold (signed: SignedEntry, key: string): { status: IngestStatus, durable: Promise<void> } {
    if (this.pendingCount < this.maxPending) {
      const list = this.waiting.get(key) ?? []
      if (!list.some((e) => e.id.equals(signed.id))) {
        list.push(signed)
        this.pendingCount++
      }
      this.waiting.set(key, list)
    }
    return { status: 'pending', durable: Promise.resolve() }
  }

  private authorize (signed: SignedEntry, genesis: SignedEntry<GenesisBody>, refs: SignedEntry[]): void {
    for (const a of this.authorizers) a.authorize(signed, genesis, refs)
  }

  /** Makes a checked entry part of the log in memory and queues it for durable storage. */
  private admit (signed: SignedEntry): { durable: Promise<void> } {
    const { entry, space } = signed
    const id = cidString(signed.id)
    const head: HeadRecord = { space, author: entry.author, seq: entry.seq, head: id, ts: entry.ts }
    // A log frozen ahead of its head (Log.freeze) still takes entries up to the freeze, and stays frozen.
    const frozenAt = this.heads.get(space)?.get(entry.author)?.frozenAt
    if (frozenAt !== undefined) head.frozenAt = frozenAt
    if (entry.type === GENESIS_TYPE) this.geneses.set(space, signed as SignedEntry<GenesisBody>)
    this.headsOf(space).set(entry.author, head)
    this.clock.observe(entry.ts)
    this.unflushed.set(key3(space, entry.author, entry.seq), signed.bytes)
    const durable = this.persist({
      entries: [{ space, author: entry.author, seq: entry.seq, id, bytes: signed.bytes }],
      heads: [head]
    })
    this.emit({ type: 'entry', entry: signed })
    this.releasePending(signed, id)
    return { durable }
  }

  /** Retries what waited on this entry: the author's next entry, or a new space's first entries. */
  private releasePending (signed: SignedEntry, id: string): void {
    // Nothing is held nearly always (entries arrive in order); skip building the keys.
    if (this.pendingCount === 0) return
    const waiting: SignedEntry[] = []
    for (const key of [`space:${signed.space}`, `ref:${id}`, key3(signed.space, signed.entry.author, signed.entry.seq + 1)]) {
      const list = this.waiting.get(key)
      if (list !== undefined) {
        this.waiting.delete(key)
        waiting.push(...list)
      }
    }
    this.pendingCount -= waiting.length
    for (const e of waiting) {
      // Verified on arrival; only the place in the chain is checked now, after the current change.
      const run = this.tail.then(async () => { (await this.place(e)).durable.catch(() => {}) })
      this.tail = run.catch(() => {})
      this.releasing = this.tail
    }
  }

  /**
   * Queues writes for the next group commit. If the store fails, memory is ahead of disk: the
   * log closes itself rather than serve state it could not keep.
   */
  private async persist (part: Partial<StoreBatch>): Promise<void> {
    try {
      await this.queue.enqueue(part)
    } catch (err) {
      this.state = 'failed'
      throw err
    }
  }

  private flushed (batch: StoreBatch): void {
    for (const e of batch.entries) {
      const key = key3(e.space, e.author, e.seq)
      if (this.unflushed.get(key) === e.bytes) this.unflushed.delete(key)
    }
  }

  private emit (event: LogEvent): void {
    for (const l of this.listeners) {
      try {
        l(event)
      } catch {
        // A listener's failure is its own; the entry is stored either way.
      }
    }
  }

  private decodeStored (bytes: Uint8Array): SignedEntry {
    const entry = decode<Entry>(bytes)
    const id = cidOf(bytes)
    return { id, space: cidString(entry.space ?? id), bytes, entry }
  }

  private headsOf (space: string): Map<string, HeadRecord> {
    let m = this.heads.get(space)
    if (m === undefined) this.heads.set(space, m = new Map())
    return m
  }

  /**
   * Keeps one fork per author and space: the earliest. The log is frozen before it, so a fork
   * found later on one branch changes nothing, and every node ends with the same proof whatever
   * order the entries came in.
   */
  private recordFork (fork: ForkRecord): void {
    const list = this.forksOf(fork.space)
    const same = list.findIndex((f) => f.author === fork.author)
    if (same === -1) list.push(fork)
    else if (fork.seq < list[same].seq) list[same] = fork
  }

  private forksOf (space: string): ForkRecord[] {
    let list = this.forkRecords.get(space)
    if (list === undefined) this.forkRecords.set(space, list = [])
    return list
  }

  private ensureOpen (): void {
    if (this.state !== 'open') throw new LogClosedError(this.state === 'failed' ? 'the log failed to write and is closed' : 'the log is not open')
  }
}

/** A promise awaited later: until then its rejection is not unhandled. */
function quiet<T> (promise: Promise<T>): Promise<T> {
  promise.catch(() => {})
  return promise
}

function compareBytes (a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.byteLength, b.byteLength)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i]
  return a.byteLength - b.byteLength
}
