import { RecordRegistry, baseRecordTypes, generateIdentity, type Identity } from '@mutual/protocol'
import { Log, memoryStore, type EntryStore } from '@mutual/log'
import { boardAuthorizer, boardRecordTypes } from '@mutual/board'

/** mulberry32: a small seeded PRNG, so random tests replay exactly from their seed. */
export function prng (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function pick<T> (rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]
}

export function shuffle<T> (rand: () => number, items: T[]): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}

/** A started log that knows board record types and board write rules. */
export async function boardLog (store: EntryStore = memoryStore()): Promise<Log> {
  const log = new Log({
    store,
    registry: new RecordRegistry([...baseRecordTypes(), ...boardRecordTypes()]),
    authorizers: [boardAuthorizer()]
  })
  await log.start()
  return log
}

export async function identities (n: number): Promise<Identity[]> {
  return await Promise.all(Array.from({ length: n }, async () => await generateIdentity()))
}

/** Every entry `from` holds in `space`, as bytes. */
export async function allBytes (from: Log, space: string): Promise<Uint8Array[]> {
  const out: Uint8Array[] = []
  for await (const e of from.spaceEntries(space)) out.push(e.bytes)
  return out
}

/** Delivers what `from` holds of `space` to `to`, in a random order (held entries are placed once their predecessors land). */
export async function deliver (from: Log, to: Log, space: string, rand: () => number): Promise<void> {
  for (const bytes of shuffle(rand, await allBytes(from, space))) await to.ingest(bytes)
}

/** JSON with object keys sorted, so documents compare whatever order their keys were integrated in. */
export function canonical (value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  })
}
