import { beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { NOTE_TYPE, generateIdentity, type Identity } from '@mutual/protocol'
import type { Log } from '@mutual/log'
import { genesisBody, openLog } from './helpers.js'

/**
 * Refusals that depend on arrival order: an unlisted author, an entry past a fork that is
 * already known, an entry on the other branch of a fork whose first half is not yet known.
 * Anything else fails the test.
 */
const ORDER_DEPENDENT_REJECTIONS = new Set(['UnauthorizedError', 'FrozenLogError', 'PrevMismatchError'])

interface Snapshot {
  spaces: string[]
  vectors: Record<string, unknown>
  forks: Record<string, unknown>
  entries: Record<string, string[]>
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

/** Everything a user sees of a log's spaces, in a form that compares by value. */
async function snapshot (log: Log, spaces: string[]): Promise<Snapshot> {
  const out: Snapshot = { spaces: [...log.spaces()].sort(), vectors: {}, forks: {}, entries: {} }
  for (const space of spaces) {
    out.vectors[space] = log.vector(space)
    out.forks[space] = log.forks(space)
      .map((f) => ({ author: f.author, seq: f.seq, entries: f.entries.map(hex) }))
      .sort((a, b) => a.author < b.author ? -1 : a.author > b.author ? 1 : a.seq - b.seq)
    const ids: string[] = []
    for await (const e of log.spaceEntries(space)) ids.push(e.id.toString())
    out.entries[space] = ids
  }
  return out
}

async function ingestAll (entries: Uint8Array[]): Promise<Log> {
  const log = await openLog()
  for (const bytes of entries) {
    try {
      await log.ingest(bytes)
    } catch (err) {
      if (!ORDER_DEPENDENT_REJECTIONS.has((err as Error).name)) throw err
    }
  }
  await log.flush()
  return log
}

describe('ingest order', () => {
  let alice: Identity
  let bob: Identity
  let carol: Identity
  let dave: Identity
  let spaces: string[]
  let all: Uint8Array[]
  let reference: Snapshot

  beforeAll(async () => {
    [alice, bob, carol, dave] = await Promise.all([0, 1, 2, 3].map(async () => await generateIdentity()))
    const source = await openLog()
    const note = async (who: Identity, space: string, text: string): Promise<Uint8Array> =>
      (await source.append(who, space, NOTE_TYPE, { text })).bytes

    // Space 1: alice's, bob a listed writer. Space 2: carol's, open to anyone.
    // Space 3: bob's, nobody else listed.
    const s1 = await source.createSpace(alice, genesisBody({ policy: { write: 'listed', writers: [bob.id] } }))
    const s2 = await source.createSpace(carol, genesisBody({ kind: 'market', policy: { write: 'anyone', writers: [] } }))
    const s3 = await source.createSpace(bob, genesisBody({ kind: 'board' }))
    spaces = [s1.space, s2.space, s3.space]
    all = [s1.bytes, s2.bytes, s3.bytes]
    for (let i = 0; i < 3; i++) all.push(await note(alice, s1.space, `alice ${i}`), await note(bob, s1.space, `bob ${i}`))
    for (let i = 0; i < 2; i++) all.push(await note(carol, s2.space, `carol ${i}`), await note(alice, s2.space, `alice ${i}`))
    for (let i = 0; i < 2; i++) all.push(await note(bob, s3.space, `bob board ${i}`))
    const daveFirst = await note(dave, s2.space, 'dave 1')
    const daveA = await note(dave, s2.space, 'dave 2, one version')
    const daveA3 = await note(dave, s2.space, 'dave 3, after the first version')
    all.push(daveFirst, daveA, daveA3)

    // dave equivocates at seq 2: a second log, holding dave's first entry, signs another seq 2.
    const elsewhere = await openLog()
    await elsewhere.ingest(s2.bytes)
    await elsewhere.ingest(daveFirst)
    all.push((await elsewhere.append(dave, s2.space, NOTE_TYPE, { text: 'dave 2, another version' })).bytes)
    // dave may not write space 1: refused whenever it arrives, even before the genesis.
    const unlisted = await openLog()
    await unlisted.ingest(s1.bytes)
    const stranger = await elsewhere.append(dave, s2.space, NOTE_TYPE, { text: 'after the fork' })
    all.push(stranger.bytes)
    await expect(unlisted.append(dave, s1.space, NOTE_TYPE, { text: 'let me in' })).rejects.toMatchObject({ name: 'UnauthorizedError' })
    await Promise.all([source.stop(), elsewhere.stop(), unlisted.stop()])

    const log = await ingestAll(all)
    reference = await snapshot(log, spaces)
    await log.stop()
  })

  it('has a reference with every author, the fork and the freeze', () => {
    const [s1, s2, s3] = spaces
    expect(reference.spaces).toEqual([...spaces].sort())
    expect(Object.keys(reference.vectors[s1] as object).sort()).toEqual([alice.id, bob.id].sort())
    expect(reference.vectors[s1]).toMatchObject({ [alice.id]: { seq: 4 }, [bob.id]: { seq: 3 } })
    expect(reference.vectors[s2]).toMatchObject({ [carol.id]: { seq: 3 }, [alice.id]: { seq: 2 }, [dave.id]: { seq: 1, frozenAt: 1 } })
    expect(reference.vectors[s3]).toMatchObject({ [bob.id]: { seq: 3 } })
    expect(reference.forks[s2]).toMatchObject([{ author: dave.id, seq: 2 }])
    expect(reference.forks[s1]).toEqual([])
    expect(reference.entries[s2]).toHaveLength(3 + 2 + 1)
  })

  it('reaches the same vectors, forks and entries whatever order entries arrive in, with duplicates', async () => {
    // Arrival orders as indices into `all`, so a failing order prints short.
    const arrivals = fc.tuple(
      fc.shuffledSubarray(all.map((_, i) => i), { minLength: all.length, maxLength: all.length }),
      fc.array(fc.tuple(fc.nat({ max: all.length - 1 }), fc.nat()), { maxLength: 5 })
    ).map(([order, repeats]) => {
      // Gossip delivers some entries twice: insert repeats at arbitrary places.
      const out = [...order]
      for (const [i, at] of repeats) out.splice(at % (out.length + 1), 0, i)
      return out
    })
    await fc.assert(fc.asyncProperty(arrivals, async (order) => {
      const log = await ingestAll(order.map((i) => all[i]))
      try {
        expect(await snapshot(log, spaces)).toEqual(reference)
      } finally {
        await log.stop()
      }
    }), { numRuns: 150 })
  })

  it('reaches the same state in reverse order, where every entry waits for its predecessor', async () => {
    const log = await ingestAll([...all].reverse())
    expect(await snapshot(log, spaces)).toEqual(reference)
    await log.stop()
  })
})
