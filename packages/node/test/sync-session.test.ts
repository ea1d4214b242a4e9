import { describe, expect, it } from 'vitest'
import { generateIdentity, type GenesisBody, type Identity } from '@mutual/protocol'
import { Log, memoryStore, vectorsEqual } from '@mutual/log'
import { SyncSession, readSyncMessage, writeSyncMessage, type SyncMessage } from '@mutual/node'

const body = (): GenesisBody => ({
  kind: 'raw', name: 'sim', policy: { write: 'anyone', writers: [] }, encrypted: false, nonce: crypto.getRandomValues(new Uint8Array(8))
})

async function openLog (): Promise<Log> {
  const log = new Log({ store: memoryStore() })
  await log.start()
  return log
}

/**
 * The simulator: two sessions joined by in-memory queues, every message passing through the
 * wire encoding. Runs both directions to completion and returns what was exchanged.
 */
async function exchange (a: SyncSession, b: SyncSession): Promise<SyncMessage[]> {
  const wire: SyncMessage[] = []
  const send = (m: SyncMessage): SyncMessage => {
    const decoded = readSyncMessage(writeSyncMessage(m))
    wire.push(decoded)
    return decoded
  }
  const helloA = await b.receive(send(a.hello()))
  const helloB = await a.receive(send(b.hello()))
  if (helloA === undefined || helloB === undefined) throw new Error('no hello')
  for await (const m of a.outgoing(helloB)) await b.receive(send(m))
  for await (const m of b.outgoing(helloA)) await a.receive(send(m))
  return wire
}

async function notes (log: Log, who: Identity, space: string, n: number, tag = ''): Promise<void> {
  for (let i = 0; i < n; i++) await log.append(who, space, 'space/note', { text: `${tag}${who.id.slice(-4)} ${i}` })
}

describe('sync session', () => {
  it('brings two logs to the same vector in bounded batches, genesis first', async () => {
    const [alice, bob] = [await generateIdentity(), await generateIdentity()]
    const a = await openLog()
    const b = await openLog()
    const space = (await a.createSpace(alice, body())).space
    await notes(a, alice, space, 1200)
    const wire = await exchange(
      new SyncSession({ log: a, interests: [space] }),
      new SyncSession({ log: b, interests: [space] })
    )
    expect(vectorsEqual(a.vector(space), b.vector(space))).toBe(true)
    const batches = wire.filter((m) => m.t === 1)
    expect(batches.length).toBeGreaterThanOrEqual(3)
    expect(batches.every((m) => m.t === 1 && m.entries.length <= 512)).toBe(true)

    // Both sides write while apart, then meet again: each sends only what the other lacks.
    await notes(a, alice, space, 7)
    await notes(b, bob, space, 5)
    const second = await exchange(new SyncSession({ log: a, interests: [space] }), new SyncSession({ log: b, interests: [space] }))
    const sent = second.flatMap((m) => m.t === 1 ? m.entries : [])
    expect(sent).toHaveLength(12)
    expect(vectorsEqual(a.vector(space), b.vector(space))).toBe(true)
  })

  it('carries fork proofs so both sides freeze the equivocating author', async () => {
    const [alice, mallory] = [await generateIdentity(), await generateIdentity()]
    const a = await openLog()
    const b = await openLog()
    const genesis = await a.createSpace(alice, body())
    await b.ingest(genesis.bytes)
    // The same key writes two different histories on two devices.
    await notes(a, mallory, genesis.space, 2, 'device a ')
    await notes(b, mallory, genesis.space, 3, 'device b ')
    await exchange(new SyncSession({ log: a, interests: [genesis.space] }), new SyncSession({ log: b, interests: [genesis.space] }))
    await exchange(new SyncSession({ log: a, interests: [genesis.space] }), new SyncSession({ log: b, interests: [genesis.space] }))
    expect(a.vector(genesis.space)[mallory.id]).toMatchObject({ seq: 0, frozenAt: 0 })
    expect(a.vector(genesis.space)).toEqual(b.vector(genesis.space))
    expect(a.forks(genesis.space)).toHaveLength(1)
    expect(b.forks(genesis.space)).toHaveLength(1)
  })

  it('sends nothing of a space the peer may not read', async () => {
    const alice = await generateIdentity()
    const a = await openLog()
    const b = await openLog()
    const space = (await a.createSpace(alice, body())).space
    await notes(a, alice, space, 3)
    await exchange(new SyncSession({ log: a, interests: [space], mayRead: () => false }), new SyncSession({ log: b, interests: [space] }))
    expect(b.vector(space)).toEqual({})
  })

  it('ends a session whose peer keeps sending invalid entries', async () => {
    const a = await openLog()
    const session = new SyncSession({ log: a, interests: [], maxInvalid: 3 })
    session.hello()
    await session.receive({ v: 1, t: 0, spaces: [] })
    const junk = Array.from({ length: 5 }, () => crypto.getRandomValues(new Uint8Array(40)))
    await expect(session.receive({ v: 1, t: 1, entries: junk })).rejects.toMatchObject({ name: 'SyncPeerMisbehavingError' })
  })

  it('refuses malformed messages with a named error', () => {
    for (const bad of [new Uint8Array(), Uint8Array.of(1, 2, 3), writeSyncMessage({ v: 1, t: 1, entries: ['x' as any] })]) {
      expect(() => readSyncMessage(bad)).toThrow(expect.objectContaining({ name: 'SyncProtocolError' }))
    }
  })
})
