import { ClassicLevel } from 'classic-level'
import { decode, encode, type Stamp } from '@mutual/protocol'
import { StoreLockedError, StoreWriteError } from './errors.js'
import type { EntryLocation, EntryStore, ForkRecord, HeadRecord, StoreBatch } from './store.js'

export interface LevelStoreInit {
  /** directory of the LevelDB database */
  path: string
  /** fsync each batch before acknowledging it (default true: an acknowledged entry survives power loss) */
  sync?: boolean
}

// Versioned key prefixes: a future layout gets new prefixes and a migration, never a silent reinterpretation.
const ENTRY = 'e1!'
const ID = 'i1!'
const HEAD = 'h1!'
const FORK = 'f1!'
const META = 'm1!'
// The largest code point: UTF-8 of anything after a prefix sorts below it (U+FFFF would not cover emoji).
const END = '\u{10FFFF}'

// Fixed width keeps seq keys in numeric order under LevelDB's bytewise comparison.
const seqKey = (seq: number): string => seq.toString().padStart(16, '0')

interface HeadValue { seq: number, head: string, ts: Stamp, frozenAt?: number }

class LevelStore implements EntryStore {
  private readonly db: ClassicLevel<string, Uint8Array>
  private readonly sync: boolean

  constructor (init: LevelStoreInit) {
    this.db = new ClassicLevel<string, Uint8Array>(init.path, { keyEncoding: 'utf8', valueEncoding: 'view' })
    this.sync = init.sync ?? true
  }

  async open (): Promise<void> {
    try {
      await this.db.open()
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause
      if (cause?.code === 'LEVEL_LOCKED') throw new StoreLockedError(`the store at ${this.db.location} is in use by another process`)
      throw err
    }
  }

  async close (): Promise<void> {
    await this.db.close()
  }

  async commit (batch: StoreBatch): Promise<void> {
    const ops: Array<{ type: 'put', key: string, value: Uint8Array } | { type: 'del', key: string }> = []
    for (const e of batch.entries) {
      ops.push({ type: 'put', key: `${ENTRY}${e.space}!${e.author}!${seqKey(e.seq)}`, value: e.bytes })
      ops.push({ type: 'put', key: `${ID}${e.id}`, value: encode([e.space, e.author, e.seq]) })
    }
    // A batch moves a busy author's head once per entry; only the last record of each is written.
    const written = new Set<string>()
    for (let i = batch.heads.length - 1; i >= 0; i--) {
      const h = batch.heads[i]
      const key = `${HEAD}${h.space}!${h.author}`
      if (written.has(key)) continue
      written.add(key)
      const value: HeadValue = { seq: h.seq, head: h.head, ts: h.ts }
      if (h.frozenAt !== undefined) value.frozenAt = h.frozenAt
      ops.push({ type: 'put', key, value: encode(value) })
    }
    for (const f of batch.forks) {
      ops.push({ type: 'put', key: `${FORK}${f.space}!${f.author}!${seqKey(f.seq)}`, value: encode(f.entries) })
    }
    for (const m of batch.meta) {
      if (m.value === null) ops.push({ type: 'del', key: `${META}${m.key}` })
      else ops.push({ type: 'put', key: `${META}${m.key}`, value: m.value })
    }
    if (ops.length === 0) return
    try {
      await this.db.batch(ops, { sync: this.sync })
    } catch (err) {
      throw new StoreWriteError(`store write failed: ${(err as Error).message}`)
    }
  }

  async entry (space: string, author: string, seq: number): Promise<Uint8Array | undefined> {
    return await this.db.get(`${ENTRY}${space}!${author}!${seqKey(seq)}`)
  }

  async locate (id: string): Promise<EntryLocation | undefined> {
    const value = await this.db.get(`${ID}${id}`)
    if (value === undefined) return undefined
    const [space, author, seq] = decode<[string, string, number]>(value)
    return { space, author, seq }
  }

  async * range (space: string, author: string, from: number, to: number): AsyncIterable<Uint8Array> {
    const prefix = `${ENTRY}${space}!${author}!`
    let expected = Math.max(from, 1)
    for await (const [key, value] of this.db.iterator({ gte: prefix + seqKey(expected), lte: prefix + seqKey(to) })) {
      if (Number(key.slice(prefix.length)) !== expected++) return
      yield value
    }
  }

  async * heads (): AsyncIterable<HeadRecord> {
    for await (const [key, value] of this.db.iterator({ gte: HEAD, lt: HEAD + END })) {
      const [space, author] = key.slice(HEAD.length).split('!')
      yield { space, author, ...decode<HeadValue>(value) }
    }
  }

  async * forks (): AsyncIterable<ForkRecord> {
    for await (const [key, value] of this.db.iterator({ gte: FORK, lt: FORK + END })) {
      const [space, author, seq] = key.slice(FORK.length).split('!')
      yield { space, author, seq: Number(seq), entries: decode<[Uint8Array, Uint8Array]>(value) }
    }
  }

  async getMeta (key: string): Promise<Uint8Array | undefined> {
    return await this.db.get(`${META}${key}`)
  }

  async * metaPrefix (prefix: string): AsyncIterable<[string, Uint8Array]> {
    for await (const [key, value] of this.db.iterator({ gte: META + prefix, lt: META + prefix + END })) {
      yield [key.slice(META.length), value]
    }
  }
}

export function levelStore (init: LevelStoreInit): EntryStore {
  return new LevelStore(init)
}
