import type { EntryLocation, EntryStore, ForkRecord, HeadRecord, StoreBatch } from './store.js'

/**
 * Entries in memory, one array per (space, author) indexed by seq. For tests and simulations.
 * Maps are nested by space then author rather than keyed by a joined string: joining costs an
 * allocation and a hash of a hundred characters for every entry committed.
 */
class MemoryStore implements EntryStore {
  private readonly logs = new Map<string, Map<string, Uint8Array[]>>()
  private readonly ids = new Map<string, EntryLocation>()
  private readonly headRecords = new Map<string, Map<string, HeadRecord>>()
  private readonly forkRecords = new Map<string, ForkRecord>()
  private readonly meta = new Map<string, Uint8Array>()

  async open (): Promise<void> {}
  async close (): Promise<void> {}

  async commit (batch: StoreBatch): Promise<void> {
    for (const e of batch.entries) {
      const authors = inner(this.logs, e.space)
      let log = authors.get(e.author)
      if (log === undefined) authors.set(e.author, log = [])
      log[e.seq] ??= e.bytes
      this.ids.set(e.id, { space: e.space, author: e.author, seq: e.seq })
    }
    for (const h of batch.heads) inner(this.headRecords, h.space).set(h.author, { ...h })
    for (const f of batch.forks) this.forkRecords.set(`${f.space}/${f.author}/${f.seq}`, f)
    for (const m of batch.meta) {
      if (m.value === null) this.meta.delete(m.key)
      else this.meta.set(m.key, m.value)
    }
  }

  async entry (space: string, author: string, seq: number): Promise<Uint8Array | undefined> {
    return this.logs.get(space)?.get(author)?.[seq]
  }

  async locate (id: string): Promise<EntryLocation | undefined> {
    return this.ids.get(id)
  }

  async * range (space: string, author: string, from: number, to: number): AsyncIterable<Uint8Array> {
    const log = this.logs.get(space)?.get(author)
    if (log === undefined) return
    for (let seq = Math.max(from, 1); seq <= to && seq < log.length; seq++) {
      const bytes = log[seq]
      if (bytes === undefined) return
      yield bytes
    }
  }

  async * heads (): AsyncIterable<HeadRecord> {
    const all = [...this.headRecords.values()].flatMap((authors) => [...authors.values()])
    yield * all.map((h) => ({ ...h }))
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

function inner<V> (map: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let found = map.get(key)
  if (found === undefined) map.set(key, found = new Map())
  return found
}

export function memoryStore (): EntryStore {
  return new MemoryStore()
}
