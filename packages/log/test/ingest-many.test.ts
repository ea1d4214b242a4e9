import { describe, expect, it } from 'vitest'
import { NOTE_TYPE, encode, generateIdentity, signEntry, unsignedFields, type Identity, type SignedEntry } from '@mutual/protocol'
import { memoryStore, type EntryStore, type IngestResult, type Log, type StoreBatch } from '@mutual/log'
import { genesisBody, openLog } from './helpers.js'

/** The outcome of each entry as a user of the log sees it: a status, or the error's name. */
function outcomes (results: Array<PromiseSettledResult<IngestResult>>): string[] {
  return results.map((r) => r.status === 'fulfilled' ? r.value.status : (r.reason as Error).name)
}

/** `entry` with its body changed after signing: canonical bytes whose signature does not cover them. */
function badSignature (entry: SignedEntry): Uint8Array {
  return encode({ ...entry.entry, body: { text: 'changed after signing' } })
}

/** `n` notes by `author` in a source log, and the bytes of its genesis and notes in log order. */
async function source (owner: Identity, writers: Identity[], n: number): Promise<{ log: Log, space: string, genesis: SignedEntry, notes: SignedEntry[] }> {
  const log = await openLog()
  const genesis = await log.createSpace(owner, genesisBody({ policy: { write: 'listed', writers: writers.map((w) => w.id) } }))
  const notes: SignedEntry[] = []
  for (let i = 0; i < n; i++) notes.push(await log.append(writers[i % writers.length], genesis.space, NOTE_TYPE, { text: `note ${i}` }))
  return { log, space: genesis.space, genesis, notes }
}

describe('Log.ingestMany', () => {
  it('gives every entry the outcome one-by-one ingest gives it, and ends in the same state', async () => {
    const alice = await generateIdentity()
    const bob = await generateIdentity()
    const { log: src, space, genesis, notes } = await source(alice, [alice, bob], 8)
    // A fork of bob's seq 2 (same predecessor, other content) and an entry of another space.
    const bobFirst = notes[1]
    const fork = signEntry(bob, { ...unsignedFields(notes[3].entry), body: { text: 'the other story' } })
    const elsewhere = await source(alice, [alice], 1)
    const batch = [
      genesis.bytes,
      notes[0].bytes,
      notes[2].bytes, // alice seq 2: follows notes[0]
      badSignature(notes[1]), // bob seq 1, forged
      notes[1].bytes, // bob seq 1
      notes[1].bytes, // the same again
      notes[5].bytes, // bob seq 3 before bob seq 2: held
      notes[3].bytes, // bob seq 2: releases it
      fork.bytes, // bob seq 2 again, other bytes: a fork
      elsewhere.notes[0].bytes, // its space is unknown here: held
      new Uint8Array([1, 2, 3])
    ]
    expect(bobFirst.entry.author).toBe(bob.id)

    const one = await openLog()
    const expected: string[] = []
    for (const bytes of batch) {
      try {
        expected.push((await one.ingest(bytes)).status)
      } catch (err) {
        expected.push((err as Error).name)
      }
    }
    const many = await openLog()
    const got = outcomes(await many.ingestMany(batch))

    expect(got).toEqual(expected)
    expect(got).toEqual(['added', 'added', 'added', 'BadSignatureError', 'added', 'duplicate', 'pending', 'added', 'fork', 'pending', 'EntryDecodeError'])
    expect(many.vector(space)).toEqual(one.vector(space))
    expect(many.forks(space)).toEqual(one.forks(space))
    expect(many.pending).toBe(one.pending)
    for (const l of [src, elsewhere.log, one, many]) await l.stop()
  })

  it('verifies an entry at a place it already holds unless its bytes are the ones held', async () => {
    const alice = await generateIdentity()
    const { log: src, genesis, notes, space } = await source(alice, [alice], 3)
    const log = await openLog()
    await log.ingestMany([genesis.bytes, ...notes.map((n) => n.bytes)])
    const vector = log.vector(space)
    // A forged entry at seq 2 would be "the other half of a fork" if its signature were not checked:
    // it must be refused, and alice's log must not freeze.
    const forged = badSignature(notes[1])
    const got = outcomes(await log.ingestMany([notes[0].bytes, forged, notes[1].bytes]))
    expect(got).toEqual(['duplicate', 'BadSignatureError', 'duplicate'])
    expect(log.vector(space)).toEqual(vector)
    expect(log.forks(space)).toEqual([])
    for (const l of [src, log]) await l.stop()
  })

  it('resolves once what it added is in the store', async () => {
    const alice = await generateIdentity()
    const { log: src, genesis, notes } = await source(alice, [alice], 20)
    const store = memoryStore()
    // A store whose writes take a while, as a disk's do.
    const slow: EntryStore = Object.assign(Object.create(store) as EntryStore, {
      commit: async (batch: StoreBatch) => {
        await new Promise((resolve) => setTimeout(resolve, 20))
        await store.commit(batch)
      }
    })
    const log = await openLog(slow)
    const results = await log.ingestMany([genesis.bytes, ...notes.map((n) => n.bytes)])
    expect(outcomes(results).every((s) => s === 'added')).toBe(true)
    // Read from the store itself at once, before anything else runs: the last note is there.
    const last = notes[notes.length - 1].entry
    expect(await store.entry(genesis.space, alice.id, last.seq)).toEqual(notes[notes.length - 1].bytes)
    for (const l of [src, log]) await l.stop()
  })
})
