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
})
