import { afterEach, describe, expect, it } from 'vitest'
import { generateIdentity, signEntry } from '@mutual/protocol'
import { Log, memoryStore } from '@mutual/log'
import { eventually, never, openSpace, startPeer, type TestPeer } from './helpers.js'

/**
 * What gossip does with entries it cannot take yet: one stamped too far ahead is ignored without
 * penalizing its sender; one whose predecessor is missing starts a sync that fetches the gap.
 * Anti-entropy is off (the peers' default here), so nothing else would fetch it.
 */

const peers: TestPeer[] = []
afterEach(async () => {
  await Promise.all(peers.splice(0).map(async (p) => { await p.stop() }))
})

async function pair (): Promise<{ a: TestPeer, b: TestPeer, space: string, topic: string, pubsub: (p: TestPeer) => any }> {
  const a = await startPeer()
  const b = await startPeer()
  peers.push(a, b)
  const genesis = await a.log.createSpace(a.identity, openSpace())
  const space = genesis.space
  await b.node.join(space)
  await b.node.connect(a.node.addresses()[0])
  await eventually(() => b.log.genesis(space) !== undefined, 10_000, 'the genesis at b')
  const topic = `/mutual/1/space/${space}`
  const pubsub = (p: TestPeer): any => p.node.libp2p.services.pubsub
  await eventually(() => pubsub(a).getMeshPeers(topic).includes(b.identity.id) && pubsub(b).getMeshPeers(topic).includes(a.identity.id), 10_000, 'a and b in each other\'s mesh')
  return { a, b, space, topic, pubsub }
}

describe('gossip verdicts', () => {
  it('ignores an entry stamped too far ahead without penalizing its sender, and takes the sender\'s next entry', async () => {
    const { a, b, space, topic, pubsub } = await pair()
    const rejected: string[] = []
    b.node.subscribe((e) => { if (e.type === 'gossip:rejected') rejected.push(e.error) })
    const head = a.log.head(space, a.identity.id)!
    // Valid in every way but its stamp: ten minutes ahead (the bound is five).
    const ahead = signEntry(a.identity, {
      v: 1, space: a.log.genesis(space)!.id, author: a.identity.id, seq: head.seq + 1, prev: (await a.log.get(space, a.identity.id, head.seq))!.id,
      ts: [Date.now() + 10 * 60_000, 0], type: 'space/note', body: { text: 'from the future' }
    })
    const sent = await pubsub(a).publish(topic, ahead.bytes)
    expect(sent.recipients.map(String)).toContain(b.identity.id)
    // b holds none of it, and a's score never drops.
    await never(async () => (await b.log.getById(ahead.id.toString())) !== undefined || pubsub(b).getScore(a.identity.id) < 0, 1_000, 'b storing the early entry or penalizing a')
    expect(rejected).toEqual([])
    // The sender is not graylisted: its next valid entry arrives by gossip.
    const next = await a.log.append(a.identity, space, 'space/note', { text: 'on time' })
    await a.node.publish(next)
    await eventually(async () => (await b.log.getById(next.id.toString())) !== undefined, 10_000, 'a\'s next entry at b')
    expect(pubsub(b).getScore(a.identity.id)).toBeGreaterThanOrEqual(0)
  })

  it('fetches the gap by sync when a gossiped entry\'s predecessor is missing', async () => {
    const { a, b, space, topic, pubsub } = await pair()
    // A third author's entries, signed away from any node and given to a's log: a node publishes
    // only its own appends, so b can get these only by sync.
    const carol = await generateIdentity()
    const side = new Log({ store: memoryStore() })
    await side.start()
    await side.ingest(a.log.genesis(space)!.bytes)
    const written = []
    for (let i = 0; i < 4; i++) written.push(await side.append(carol, space, 'space/note', { text: `carol ${i}` }))
    await side.stop()
    for (const e of written.slice(0, 3)) await a.log.ingest(e.bytes)
    const syncs: string[] = []
    b.node.subscribe((e) => { if (e.type === 'sync') syncs.push(e.peer) })
    // The last one arrives by gossip alone: b holds it pending and asks a for the gap.
    await a.log.ingest(written[3].bytes)
    const sent = await pubsub(a).publish(topic, written[3].bytes)
    expect(sent.recipients.map(String)).toContain(b.identity.id)
    await eventually(() => b.log.head(space, carol.id)?.seq === 4, 10_000, 'carol\'s four entries at b')
    for (const e of written) expect(await b.log.getById(e.id.toString())).toBeDefined()
    await eventually(() => syncs.includes(a.identity.id), 5_000, 'b to report the sync with a')
  })
})
