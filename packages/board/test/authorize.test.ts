import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CID, signEntry, type Identity, type SignedEntry } from '@mutual/protocol'
import type { Log } from '@mutual/log'
import { BoardReplica, createBoard } from '@mutual/board'
import { boardLog, canonical, deliver, identities, prng } from './helpers.js'

/** Signs an entry by hand, bypassing the author's own log (which would refuse it). */
function forge (identity: Identity, log: Log, space: string, type: string, body: unknown, refs?: CID[]): SignedEntry {
  const head = log.head(space, identity.id)
  const fields = {
    v: 1 as const,
    space: CID.parse(space),
    author: identity.id,
    seq: (head?.seq ?? 0) + 1,
    prev: head === undefined ? null : CID.parse(head.head),
    ts: [Date.now(), 0] as const,
    type,
    body,
    ...(refs === undefined ? {} : { refs })
  }
  return signEntry(identity, fields)
}

function someUpdate (): Uint8Array {
  const doc = new Y.Doc()
  doc.getMap('tasks').set('evil', 'x')
  return Y.encodeStateAsUpdate(doc)
}

describe('board write rules', () => {
  it('rejects an unauthorized writer\'s update on ingest and changes nothing', async () => {
    const [alice, mallory] = await identities(2)
    const log = await boardLog()
    const space = await createBoard(log, alice, { name: 'B' })
    const replica = new BoardReplica({ log, space, identity: alice })
    await replica.start()
    const before = canonical(replica.doc.toJSON())
    const applied = replica.applied

    const entry = forge(mallory, log, space, 'board/update', { update: someUpdate() })
    await expect(log.ingest(entry.bytes)).rejects.toMatchObject({ name: 'UnauthorizedError' })
    await expect(log.append(mallory, space, 'board/update', { update: someUpdate() })).rejects.toMatchObject({ name: 'UnauthorizedError' })
    // A grant only its creator may write, even naming oneself.
    const selfGrant = forge(mallory, log, space, 'board/grant', { writer: mallory.id })
    await expect(log.ingest(selfGrant.bytes)).rejects.toMatchObject({ name: 'UnauthorizedError' })

    expect(log.head(space, mallory.id)).toBeUndefined()
    expect(replica.applied).toBe(applied)
    expect(canonical(replica.doc.toJSON())).toBe(before)
    await replica.stop()
    await log.stop()
  })

  it('admits a granted writer whose entries name the grant, and only that grant', async () => {
    const [alice, bob, carol] = await identities(3)
    const a = await boardLog()
    const b = await boardLog()
    const space = await createBoard(a, alice, { name: 'B' })
    const owner = new BoardReplica({ log: a, space, identity: alice })
    await owner.start()
    const grant = await owner.grant(bob.id)
    await expect(new BoardReplica({ log: a, space, identity: bob }).grant(carol.id)).rejects.toMatchObject({ name: 'ReplicaClosedError' })
    await deliver(a, b, space, prng(1))

    const writer = new BoardReplica({ log: b, space, identity: bob, batchMs: 10_000 })
    await writer.start()
    expect(writer.writers()).toEqual([bob.id])
    await expect(writer.grant(carol.id)).rejects.toMatchObject({ name: 'UnauthorizedError' })
    const id = writer.board.addTask({ title: 'from bob' })
    await writer.flush()
    const [entry] = await last(b, space, bob.id)
    expect(entry.entry.refs?.map(String)).toEqual([grant.id.toString()])

    await deliver(b, a, space, prng(2))
    expect(owner.board.task(id)?.title).toBe('from bob')

    // The same body naming no grant, or a grant for someone else, is refused.
    const noRefs = forge(carol, a, space, 'board/update', { update: someUpdate() })
    await expect(a.ingest(noRefs.bytes)).rejects.toMatchObject({ name: 'UnauthorizedError' })
    const wrongGrant = forge(carol, a, space, 'board/update', { update: someUpdate() }, [grant.id])
    await expect(a.ingest(wrongGrant.bytes)).rejects.toMatchObject({ name: 'UnauthorizedError' })
    for (const r of [owner, writer]) await r.stop()
    await a.stop()
    await b.stop()
  })

  it('rejects empty, random and truncated updates in bounded time, changing nothing', async () => {
    const [alice] = await identities(1)
    const log = await boardLog()
    const other = await boardLog()
    const space = await createBoard(log, alice, { name: 'B' })
    await deliver(log, other, space, prng(3))
    const replica = new BoardReplica({ log: other, space })
    await replica.start()
    const before = canonical(replica.doc.toJSON())
    const good = someUpdate()
    const rand = prng(4)
    const bad = [
      new Uint8Array(0),
      Uint8Array.from({ length: 200 }, () => Math.floor(rand() * 256)),
      good.subarray(0, good.length - 3),
      Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0])
    ]
    const started = performance.now()
    for (const update of bad) {
      await expect(log.append(alice, space, 'board/update', { update })).rejects.toMatchObject({ name: 'InvalidUpdateError' })
      const forged = forge(alice, other, space, 'board/update', { update })
      await expect(other.ingest(forged.bytes)).rejects.toMatchObject({ name: 'InvalidUpdateError' })
    }
    expect(performance.now() - started).toBeLessThan(2000)
    // Cheaper checks come first: a stranger's bad update is unauthorized, a forged one badly signed.
    const [mallory] = await identities(1)
    await expect(other.ingest(forge(mallory, other, space, 'board/update', { update: bad[1] }).bytes)).rejects.toMatchObject({ name: 'UnauthorizedError' })
    const tampered = forge(alice, other, space, 'board/update', { update: bad[1] })
    const bytes = tampered.bytes.slice()
    const sigAt = Buffer.from(bytes).indexOf(Buffer.from([0x63, 0x73, 0x69, 0x67, 0x58, 0x40])) + 6 // "sig", 64-byte string
    bytes[sigAt] ^= 1
    await expect(other.ingest(bytes)).rejects.toMatchObject({ name: 'BadSignatureError' })
    expect(other.vector(space)).toEqual(log.vector(space))
    expect(canonical(replica.doc.toJSON())).toBe(before)
    await replica.stop()
    await log.stop()
    await other.stop()
  })
})

async function last (log: Log, space: string, author: string): Promise<SignedEntry[]> {
  const head = log.head(space, author)
  const out: SignedEntry[] = []
  for await (const e of log.entries(space, author, head?.seq ?? 1)) out.push(e)
  return out
}
