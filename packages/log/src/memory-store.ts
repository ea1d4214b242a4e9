import type { EntryLocation, EntryStore, ForkRecord, HeadRecord, StoreBatch } from './store.js'

/** Entries in memory, one array per (space, author) indexed by seq. For tests and simulations. */
class MemoryStore implements EntryStore {
  private readonly logs = new Map<string, Uint8Array[]>()
  private readonly ids = new Map<string, EntryLocation>()
  private readonly headRecords = new Map<string, HeadRecord>()
  private readonly forkRecords = new Map<string, ForkRecord>()
  private readonly meta = new Map<string, Uint8Array>()

  async open (): Promise<void> {}
  async close (): Promise<void> {}

  async commit (batch: StoreBatch): Promise<void> {
    for (const e of batch.entries) {
      const key = `${e.space}/${e.author}`
      let log = this.logs.get(key)
      if (log === undefined) this.logs.set(key, log = [])
      log[e.seq] ??= e.bytes
      this.ids.set(e.id, { space: e.space, author: e.author, seq: e.seq })
    }
    for (const h of batch.heads) this.headRecords.set(`${h.space}/${h.author}`, { ...h })
    for (const f of batch.forks) this.forkRecords.set(`${f.space}/${f.author}/${f.seq}`, f)
    for (const m of batch.meta) {
      if (m.value === null) this.meta.delete(m.key)
      else this.meta.set(m.key, m.value)
    }
  }

  async entry (space: string, author: string, seq: number): Promise<Uint8Array | undefined> {
    return this.logs.get(`${space}/${author}`)?.[seq]
  }

  async locate (id: string): Promise<EntryLocation | undefined> {
    return this.ids.get(id)
  }

  async * range (space: string, author: string, from: number, to: number): AsyncIterable<Uint8Array> {
    const log = this.logs.get(`${space}/${author}`)
    if (log === undefined) return
    for (let seq = Math.max(from, 1); seq <= to && seq < log.length; seq++) {
      const bytes = log[seq]
      if (bytes === undefined) return
      yield bytes
    }
  }

  async * heads (): AsyncIterable<HeadRecord> {
    yield * [...this.headRecords.values()].map((h) => ({ ...h }))
  }

  async * forks (): AsyncIterable<ForkRecord> {
    yield * [...this.forkRecords.values()]
  }

  async getMeta (key: string): Promise<Uint8Array | undefined> {
    return this.meta.get(key)
  }

  async * metaPrefix (prefix: string): AsyncIterable<[string, Uint8Array]> {
    const keys = [...this.meta.keys()].filter((k) => k.startsWith(prefix)).sort()
    for (const k of keys) yield [k, this.meta.get(k) as Uint8Array]
  }
}

export function memoryStore (): EntryStore {
  return new MemoryStore()
}
