import { describe, expect, it } from 'vitest'
import { generateIdentity, type SignedEntry } from '@mutual/protocol'
import { Log, memoryStore, type LogEvent } from '@mutual/log'

// Log.freeze lives in @mutual/log; it is tested here, beside its one user, the org registry.

async function openLog (store = memoryStore()): Promise<Log> {
  const log = new Log({ store })
  await log.start()
  return log
}

function body () {
  return { kind: 'raw' as const, name: 'r', policy: { write: 'anyone' as const, writers: [] }, encrypted: false, nonce: crypto.getRandomValues(new Uint8Array(8)) }
}

describe('Log.freeze', () => {
  it('rewinds the head, emits an event, refuses later entries, and survives a restart', async () => {
    const store = memoryStore()
    const log = await openLog(store)
    const [owner, writer] = [await generateIdentity(), await generateIdentity()]
    const { space } = await log.createSpace(owner, body())
    const written: SignedEntry[] = []
    for (let i = 0; i < 4; i++) written.push(await log.append(writer, space, 'space/note', { text: `n${i}` }))
    const events: LogEvent[] = []
    log.subscribe((e) => { events.push(e) })

    expect(await log.freeze(space, writer.id, 2, 'revoked')).toBe(true)
    expect(events).toEqual([{ type: 'frozen', space, author: writer.id, atSeq: 2, reason: 'revoked' }])
    expect(log.vector(space)[writer.id]).toEqual({ seq: 2, head: written[1].id.toString(), frozenAt: 2 })
    const kept: number[] = []
    for await (const e of log.entries(space, writer.id)) kept.push(e.entry.seq)
    expect(kept).toEqual([1, 2])
    await expect(log.append(writer, space, 'space/note', { text: 'more' })).rejects.toMatchObject({ name: 'FrozenLogError' })
    await expect(log.ingest(written[2].bytes)).rejects.toMatchObject({ name: 'FrozenLogError' })
    expect((await log.ingest(written[1].bytes)).status).toBe('duplicate')
    // Already frozen at or below: nothing changes.
    expect(await log.freeze(space, writer.id, 3, 'again')).toBe(false)
    expect(events).toHaveLength(1)
    await log.stop()

    const reopened = await openLog(store)
    expect(reopened.vector(space)[writer.id]).toEqual({ seq: 2, head: written[1].id.toString(), frozenAt: 2 })
    await expect(reopened.ingest(written[2].bytes)).rejects.toMatchObject({ name: 'FrozenLogError' })
    // Lowering the freeze rewinds further.
    expect(await reopened.freeze(space, writer.id, 0, 'lower')).toBe(true)
    expect(reopened.vector(space)[writer.id]).toEqual({ seq: 0, head: '', frozenAt: 0 })
    await reopened.stop()
  })

  it('freezes ahead of the head: entries up to the freeze still arrive, later ones never', async () => {
    const source = await openLog()
    const [owner, writer] = [await generateIdentity(), await generateIdentity()]
    const genesis = await source.createSpace(owner, body())
    const written: SignedEntry[] = []
    for (let i = 0; i < 3; i++) written.push(await source.append(writer, genesis.space, 'space/note', { text: `n${i}` }))

    const log = await openLog()
    await log.ingest(genesis.bytes)
    expect(await log.freeze(genesis.space, writer.id, 2, 'revoked at 2')).toBe(true)
    expect(log.vector(genesis.space)[writer.id]).toEqual({ seq: 0, head: '', frozenAt: 2 })
    expect((await log.ingest(written[0].bytes)).status).toBe('added')
    expect((await log.ingest(written[1].bytes)).status).toBe('added')
    await expect(log.ingest(written[2].bytes)).rejects.toMatchObject({ name: 'FrozenLogError' })
    expect(log.vector(genesis.space)[writer.id]).toEqual({ seq: 2, head: written[1].id.toString(), frozenAt: 2 })
    await expect(log.freeze('bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy', writer.id, 0, 'x')).rejects.toMatchObject({ name: 'UnknownSpaceError' })
    await source.stop()
    await log.stop()
  })
})
