import { describe, expect, it } from 'vitest'
import { generateIdentity } from '@mutual/protocol'
import { genesisBody, logWithNotes, openLog } from './helpers.js'

describe('log', () => {
  it('appends a hash-linked chain and reports it in the version vector', async () => {
    const { log, owner, space } = await logWithNotes(3)
    const vector = log.vector(space)
    expect(vector[owner.id].seq).toBe(4)
    const entries = []
    for await (const e of log.entries(space, owner.id)) entries.push(e)
    expect(entries.map((e) => e.entry.seq)).toEqual([1, 2, 3, 4])
    for (let i = 1; i < entries.length; i++) expect(entries[i].entry.prev?.toString()).toBe(entries[i - 1].id.toString())
    expect(vector[owner.id].head).toBe(entries[3].id.toString())
    await log.stop()
  })

  it('replicates to another log in any order and converges', async () => {
    const { log, owner, space } = await logWithNotes(5)
    const all = []
    for await (const e of log.range(space, owner.id)) all.push(e)
    const other = await openLog()
    for (const bytes of [...all].reverse()) await other.ingest(bytes)
    expect(other.vector(space)).toEqual(log.vector(space))
    await log.stop()
    await other.stop()
  })

  it('rejects writes from identities the space does not list', async () => {
    const { log, space } = await logWithNotes(0)
    const stranger = await generateIdentity()
    await expect(log.append(stranger, space, 'space/note', { text: 'hi' })).rejects.toMatchObject({ name: 'UnauthorizedError' })
    expect(Object.keys(log.vector(space))).toHaveLength(1)
    await log.stop()
  })

  it('keeps both halves of an equivocation and freezes the author', async () => {
    const owner = await generateIdentity()
    const a = await openLog()
    const b = await openLog()
    const genesis = await a.createSpace(owner, genesisBody({ policy: { write: 'anyone', writers: [] } }))
    await b.ingest(genesis.bytes)
    const x1 = await a.append(owner, genesis.space, 'space/note', { text: 'version a' })
    const y1 = await b.append(owner, genesis.space, 'space/note', { text: 'version b' })
    expect((await a.ingest(y1.bytes)).status).toBe('fork')
    expect((await b.ingest(x1.bytes)).status).toBe('fork')
    expect(a.vector(genesis.space)).toEqual(b.vector(genesis.space))
    expect(a.vector(genesis.space)[owner.id]).toMatchObject({ seq: 1, frozenAt: 1 })
    expect(a.forks(genesis.space)[0].entries).toEqual(b.forks(genesis.space)[0].entries)
    await expect(a.append(owner, genesis.space, 'space/note', { text: 'more' })).rejects.toMatchObject({ name: 'FrozenLogError' })
    await a.stop()
    await b.stop()
  })

  it('keeps the earliest fork when an author forks twice, whatever the arrival order', async () => {
    const owner = await generateIdentity()
    const source = await openLog()
    const genesis = await source.createSpace(owner, genesisBody({ policy: { write: 'anyone', writers: [] } }))
    const mallory = await generateIdentity()
    // Branch x: seq 1, 2a, 3a; branch y: 2b (a fork at 2); branch z: 3b after 2a (a fork at 3).
    const branch = async (texts: string[], base?: import('@mutual/log').Log): Promise<Uint8Array[]> => {
      const log = base ?? await openLog()
      if (base === undefined) await log.ingest(genesis.bytes)
      const out: Uint8Array[] = []
      for (const text of texts) out.push((await log.append(mallory, genesis.space, 'space/note', { text })).bytes)
      return out
    }
    const x = await branch(['1', '2a', '3a'])
    const yLog = await openLog()
    await yLog.ingest(genesis.bytes)
    await yLog.ingest(x[0])
    const y = await branch(['2b'], yLog)
    const zLog = await openLog()
    await zLog.ingest(genesis.bytes)
    await zLog.ingest(x[0])
    await zLog.ingest(x[1])
    const z = await branch(['3b'], zLog)
    const all = [genesis.bytes, ...x, ...y, ...z]
    const results = []
    for (const order of [all, [all[0], ...all.slice(1).reverse()], [all[0], x[0], x[1], z[0], x[2], y[0]]]) {
      const log = await openLog()
      for (const bytes of order) await log.ingest(bytes).catch((err: Error) => { if (err.name !== 'FrozenLogError' && err.name !== 'PrevMismatchError') throw err })
      results.push({ forks: log.forks(genesis.space).map((f) => [f.author, f.seq]), vector: log.vector(genesis.space) })
    }
    expect(results[0].forks).toEqual([[mallory.id, 2]])
    expect(results[1]).toEqual(results[0])
    expect(results[2]).toEqual(results[0])
  })
})

