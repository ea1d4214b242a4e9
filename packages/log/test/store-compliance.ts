import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cidOf, encode } from '@mutual/protocol'
import type { EntryStore, ForkRecord, HeadRecord, StoreBatch, StoredEntry } from '@mutual/log'

export interface StoreFixture {
  /** a new, unopened store */
  store: EntryStore
  /**
   * a new instance over the same data, for stores that persist; the suite closes the first
   * and opens this one. Without it, the suite closes and opens the same instance.
   */
  reopen?: () => Promise<EntryStore>
  cleanup: () => Promise<void>
}

const SPACE = 'bafyreispace1'
const OTHER_SPACE = 'bafyreispace2'
const ALICE = '12D3KooWAlice'
const BOB = '12D3KooWBob'

/** A stored entry with distinct bytes and a real CID for its id; the store does not look inside. */
export function storedEntry (space: string, author: string, seq: number): StoredEntry {
  const bytes = encode({ space, author, seq })
  return { space, author, seq, id: cidOf(bytes).toString(), bytes }
}

function batch (part: Partial<StoreBatch>): StoreBatch {
  return { entries: [], heads: [], forks: [], meta: [], ...part }
}

function head (space: string, author: string, seq: number, extra: Partial<HeadRecord> = {}): HeadRecord {
  return { space, author, seq, head: storedEntry(space, author, seq).id, ts: [1_000 + seq, seq % 3], ...extra }
}

async function collect<T> (iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of iterable) out.push(x)
  return out
}

const text = (bytes: Uint8Array | undefined): string | undefined => bytes === undefined ? undefined : Buffer.from(bytes).toString('hex')
const bytesOf = (value: string): Uint8Array => new TextEncoder().encode(value)

/**
 * The behaviour every EntryStore must have. Run it for each implementation:
 * `runStoreComplianceTests('memory', async () => ({ store: memoryStore(), cleanup: async () => {} }))`.
 */
export function runStoreComplianceTests (name: string, setup: () => Promise<StoreFixture>): void {
  describe(`${name} store compliance`, () => {
    let fixture: StoreFixture
    let store: EntryStore

    beforeEach(async () => {
      fixture = await setup()
      store = fixture.store
      await store.open()
    })

    afterEach(async () => {
      await store.close()
      await fixture.cleanup()
    })

    it('holds nothing when new', async () => {
      expect(await store.entry(SPACE, ALICE, 1)).toBeUndefined()
      expect(await store.locate(storedEntry(SPACE, ALICE, 1).id)).toBeUndefined()
      expect(await collect(store.range(SPACE, ALICE, 1, 100))).toEqual([])
      expect(await collect(store.heads())).toEqual([])
      expect(await collect(store.forks())).toEqual([])
      expect(await store.getMeta('k')).toBeUndefined()
      expect(await collect(store.metaPrefix(''))).toEqual([])
    })

    it('makes every part of a batch visible once commit resolves', async () => {
      const entries = [1, 2, 3].map((seq) => storedEntry(SPACE, ALICE, seq))
      const fork: ForkRecord = { space: SPACE, author: BOB, seq: 2, entries: [bytesOf('a'), bytesOf('b')] }
      await store.commit(batch({
        entries,
        heads: [head(SPACE, ALICE, 3)],
        forks: [fork],
        meta: [{ key: 'snap/board', value: bytesOf('snapshot') }]
      }))
      for (const e of entries) {
        expect(text(await store.entry(SPACE, ALICE, e.seq))).toBe(text(e.bytes))
        expect(await store.locate(e.id)).toEqual({ space: SPACE, author: ALICE, seq: e.seq })
      }
      expect(await collect(store.heads())).toEqual([head(SPACE, ALICE, 3)])
      const forks = await collect(store.forks())
      expect(forks).toHaveLength(1)
      expect(forks[0]).toMatchObject({ space: SPACE, author: BOB, seq: 2 })
      expect(forks[0].entries.map(text)).toEqual(fork.entries.map(text))
      expect(text(await store.getMeta('snap/board'))).toBe(text(bytesOf('snapshot')))
    })

    it('never shows part of a batch while it commits', async () => {
      const entries = Array.from({ length: 300 }, (_, i) => storedEntry(SPACE, ALICE, i + 1))
      const commit = async (): Promise<void> => {
        await store.commit(batch({
          entries,
          heads: [head(SPACE, ALICE, 300)],
          forks: [{ space: SPACE, author: BOB, seq: 7, entries: [bytesOf('x'), bytesOf('y')] }],
          meta: [{ key: 'atomic', value: bytesOf('1') }]
        }))
      }
      let done: Promise<void> | undefined
      let committed = false
      // Reads are not one snapshot, so each pass reads the parts one after another: the batch
      // landing between two reads can only make the later read see more. Anything seen in a pass
      // must be followed by the rest. Passes alternate direction, to catch any order of writes.
      // The commit starts after a first pass has seen nothing, and passes go on until it has
      // resolved and a pass has seen everything: the probes bracket the commit, so a store that
      // writes the parts in separate steps (even one that takes no time) is caught between two.
      const probes: Array<() => Promise<boolean>> = [
        async () => (await store.getMeta('atomic')) !== undefined,
        async () => (await collect(store.heads())).length > 0,
        async () => (await collect(store.forks())).length > 0,
        async () => (await store.entry(SPACE, ALICE, 300)) !== undefined,
        async () => (await store.locate(entries[150].id)) !== undefined,
        async () => (await store.entry(SPACE, ALICE, 1)) !== undefined
      ]
      const passes: boolean[][] = []
      do {
        const order = passes.length % 2 === 0 ? probes : [...probes].reverse()
        const seen: boolean[] = []
        for (const probe of order) {
          seen.push(await probe())
          // Once the first probe has read, the commit starts; later probes of this pass race it.
          if (done === undefined) {
            done = commit()
            void done.then(() => { committed = true })
          }
        }
        passes.push(seen)
      } while (!(committed && passes.at(-1)!.every(Boolean)) && passes.length < 10_000)
      await done
      expect(passes[0][0], 'the first read came before the commit').toBe(false)
      expect(passes.at(-1), 'the last pass saw the whole batch').toEqual(probes.map(() => true))
      for (const seen of passes) {
        const first = seen.indexOf(true)
        if (first !== -1) expect(seen.slice(first), 'a batch was seen in part').not.toContain(false)
      }
      expect(await collect(store.range(SPACE, ALICE, 1, 300))).toHaveLength(300)
    })

    it('returns ranges in numeric seq order, within their bounds, for one author in one space', async () => {
      const alice = Array.from({ length: 25 }, (_, i) => storedEntry(SPACE, ALICE, i + 1))
      // Committed out of order and in several batches: order comes from seq, not arrival.
      await store.commit(batch({ entries: alice.slice(12).reverse() }))
      await store.commit(batch({ entries: alice.slice(0, 12) }))
      await store.commit(batch({ entries: [storedEntry(SPACE, BOB, 1), storedEntry(OTHER_SPACE, ALICE, 1)] }))
      // An author whose id extends another's must not leak into its range.
      await store.commit(batch({ entries: [storedEntry(SPACE, `${ALICE}x`, 5)] }))

      const seqs = async (space: string, author: string, from: number, to: number): Promise<string[]> =>
        (await collect(store.range(space, author, from, to))).map((b) => text(b) as string)
      const expected = (from: number, to: number): string[] => alice.slice(from - 1, to).map((e) => text(e.bytes) as string)

      expect(await seqs(SPACE, ALICE, 1, 25)).toEqual(expected(1, 25))
      expect(await seqs(SPACE, ALICE, 9, 12)).toEqual(expected(9, 12))
      expect(await seqs(SPACE, ALICE, 2, 10)).toEqual(expected(2, 10))
      expect(await seqs(SPACE, ALICE, 10, 10)).toEqual(expected(10, 10))
      expect(await seqs(SPACE, ALICE, 0, 3)).toEqual(expected(1, 3))
      expect(await seqs(SPACE, ALICE, 20, 1_000)).toEqual(expected(20, 25))
      expect(await seqs(SPACE, ALICE, 20, Infinity)).toEqual(expected(20, 25))
      expect(await seqs(SPACE, ALICE, 7, 6)).toEqual([])
      expect(await seqs(SPACE, ALICE, 26, 30)).toEqual([])
      expect(await seqs(SPACE, BOB, 1, 25)).toEqual([text(storedEntry(SPACE, BOB, 1).bytes)])
      expect(await seqs(OTHER_SPACE, ALICE, 1, 25)).toEqual([text(storedEntry(OTHER_SPACE, ALICE, 1).bytes)])
      expect(await seqs(SPACE, 'nobody', 1, 25)).toEqual([])
      expect(await seqs(SPACE, ALICE.slice(0, -1), 1, 25)).toEqual([])
    })

    it('finds an entry by its id', async () => {
      const entries = [storedEntry(SPACE, ALICE, 1), storedEntry(SPACE, ALICE, 11), storedEntry(OTHER_SPACE, BOB, 2)]
      await store.commit(batch({ entries }))
      for (const e of entries) {
        const at = await store.locate(e.id)
        expect(at).toEqual({ space: e.space, author: e.author, seq: e.seq })
        expect(text(await store.entry(at!.space, at!.author, at!.seq))).toBe(text(e.bytes))
      }
      expect(await store.locate(storedEntry(SPACE, ALICE, 2).id)).toBeUndefined()
      expect(await store.entry(SPACE, ALICE, 2)).toBeUndefined()
    })

    it('keeps one head per author and space, the latest committed, with its freeze', async () => {
      await store.commit(batch({ heads: [head(SPACE, ALICE, 1), head(SPACE, BOB, 4), head(OTHER_SPACE, ALICE, 2)] }))
      await store.commit(batch({ heads: [head(SPACE, ALICE, 12)] }))
      await store.commit(batch({ heads: [head(SPACE, BOB, 3, { frozenAt: 3 })] }))
      const heads = await collect(store.heads())
      const byKey = new Map(heads.map((h) => [`${h.space} ${h.author}`, h]))
      expect(heads).toHaveLength(3)
      expect(byKey.get(`${SPACE} ${ALICE}`)).toEqual(head(SPACE, ALICE, 12))
      expect(byKey.get(`${SPACE} ${BOB}`)).toEqual(head(SPACE, BOB, 3, { frozenAt: 3 }))
      expect(byKey.get(`${OTHER_SPACE} ${ALICE}`)).toEqual(head(OTHER_SPACE, ALICE, 2))
      // A freeze at 0 (a fork at seq 1) is a freeze too.
      await store.commit(batch({ heads: [head(OTHER_SPACE, BOB, 0, { head: '', ts: [0, 0], frozenAt: 0 })] }))
      const frozen = (await collect(store.heads())).find((h) => h.space === OTHER_SPACE && h.author === BOB)
      expect(frozen).toEqual({ space: OTHER_SPACE, author: BOB, seq: 0, head: '', ts: [0, 0], frozenAt: 0 })
    })

    it('lists every fork proof with both entries', async () => {
      const forks: ForkRecord[] = [
        { space: SPACE, author: ALICE, seq: 3, entries: [bytesOf('a3'), bytesOf('b3')] },
        { space: SPACE, author: BOB, seq: 12, entries: [bytesOf('a12'), bytesOf('b12')] },
        { space: OTHER_SPACE, author: ALICE, seq: 1, entries: [bytesOf('a1'), bytesOf('b1')] }
      ]
      await store.commit(batch({ forks: forks.slice(0, 2) }))
      await store.commit(batch({ forks: forks.slice(2) }))
      const listed = await collect(store.forks())
      const show = (f: ForkRecord): string => `${f.space} ${f.author} ${f.seq} ${f.entries.map(text).join(' ')}`
      expect(listed.map(show).sort()).toEqual(forks.map(show).sort())
    })

    it('stores, replaces and deletes meta, and lists it by prefix in key order', async () => {
      await store.commit(batch({
        meta: [
          { key: 'board/b', value: bytesOf('2') },
          { key: 'board/a', value: bytesOf('1') },
          { key: 'board/c', value: bytesOf('3') },
          { key: 'board', value: bytesOf('no slash') },
          { key: 'boards/x', value: bytesOf('other') },
          { key: 'board/~~~', value: bytesOf('tilde') },
          { key: 'board/zz', value: bytesOf('zz') },
          { key: 'board/é', value: bytesOf('accent') },
          { key: 'ledger/a', value: bytesOf('l') }
        ]
      }))
      await store.commit(batch({ meta: [{ key: 'board/b', value: bytesOf('two') }, { key: 'board/c', value: null }] }))
      expect(text(await store.getMeta('board/b'))).toBe(text(bytesOf('two')))
      expect(await store.getMeta('board/c')).toBeUndefined()
      const listed = async (prefix: string): Promise<Array<[string, string | undefined]>> =>
        (await collect(store.metaPrefix(prefix))).map(([k, v]) => [k, text(v)])
      expect(await listed('board/')).toEqual([
        ['board/a', text(bytesOf('1'))],
        ['board/b', text(bytesOf('two'))],
        ['board/zz', text(bytesOf('zz'))],
        ['board/~~~', text(bytesOf('tilde'))],
        ['board/é', text(bytesOf('accent'))]
      ])
      expect((await listed('board')).map(([k]) => k)).toEqual(['board', 'board/a', 'board/b', 'board/zz', 'board/~~~', 'board/é', 'boards/x'])
      expect((await listed('')).map(([k]) => k)).toEqual(['board', 'board/a', 'board/b', 'board/zz', 'board/~~~', 'board/é', 'boards/x', 'ledger/a'])
      expect(await listed('nothing/')).toEqual([])
      // Deleting what is not there is not an error.
      await store.commit(batch({ meta: [{ key: 'never-set', value: null }] }))
      expect(await store.getMeta('never-set')).toBeUndefined()
    })

    it('accepts an empty batch', async () => {
      await store.commit(batch({}))
      expect(await collect(store.heads())).toEqual([])
    })

    it('keeps everything committed across close and open (a new instance, where the store persists)', async () => {
      const entries = Array.from({ length: 12 }, (_, i) => storedEntry(SPACE, ALICE, i + 1))
      const fork: ForkRecord = { space: SPACE, author: BOB, seq: 1, entries: [bytesOf('p'), bytesOf('q')] }
      await store.commit(batch({
        entries,
        heads: [head(SPACE, ALICE, 12), head(SPACE, BOB, 0, { head: '', ts: [0, 0], frozenAt: 0 })],
        forks: [fork],
        meta: [{ key: 'm/1', value: bytesOf('one') }, { key: 'm/2', value: bytesOf('two') }]
      }))
      await store.commit(batch({ meta: [{ key: 'm/2', value: null }] }))
      await store.close()
      store = fixture.reopen === undefined ? store : await fixture.reopen()
      await store.open()
      expect((await collect(store.range(SPACE, ALICE, 1, 12))).map(text)).toEqual(entries.map((e) => text(e.bytes)))
      expect(await store.locate(entries[10].id)).toEqual({ space: SPACE, author: ALICE, seq: 11 })
      const heads = await collect(store.heads())
      expect(heads).toHaveLength(2)
      expect(heads).toContainEqual(head(SPACE, ALICE, 12))
      expect(heads).toContainEqual({ space: SPACE, author: BOB, seq: 0, head: '', ts: [0, 0], frozenAt: 0 })
      const forks = await collect(store.forks())
      expect(forks.map((f) => [f.seq, ...f.entries.map(text)])).toEqual([[1, ...fork.entries.map(text)]])
      expect((await collect(store.metaPrefix('m/'))).map(([k, v]) => [k, text(v)])).toEqual([['m/1', text(bytesOf('one'))]])
    })
  })
}
