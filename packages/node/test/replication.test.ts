import { afterEach, describe, expect, it } from 'vitest'
import { vectorsEqual } from '@mutual/log'
import { signEntry } from '@mutual/protocol'
import { eventually, openSpace, startPeer, type TestPeer } from './helpers.js'

const peers: TestPeer[] = []
afterEach(async () => {
  await Promise.all(peers.splice(0).map(async (p) => { await p.stop() }))
})

async function peer (): Promise<TestPeer> {
  const p = await startPeer()
  peers.push(p)
  return p
}

describe('replication over TCP', () => {
  it('catches up by sync on connect and then receives entries live by gossip', async () => {
    const a = await peer()
    const b = await peer()
    const genesis = await a.log.createSpace(a.identity, openSpace())
    for (let i = 0; i < 30; i++) await a.log.append(a.identity, genesis.space, 'space/note', { text: `before ${i}` })
    await b.node.join(genesis.space)
    await b.node.connect(a.node.addresses()[0])
    await eventually(() => vectorsEqual(a.log.vector(genesis.space), b.log.vector(genesis.space)), 10_000, 'catch-up')

    // Wait for the gossip mesh, then a new entry arrives live without another sync.
    await eventually(() => a.node.libp2p.services.pubsub !== undefined && (a.node.libp2p.services as any).pubsub.getSubscribers(`/mutual/1/space/${genesis.space}`).length > 0)
    const live = await a.log.append(a.identity, genesis.space, 'space/note', { text: 'live' })
    await eventually(async () => (await b.log.getById(live.id.toString())) !== undefined, 5_000, 'live entry')
  })

  it('rejects invalid entries sent by gossip and graylists the sender', async () => {
    const honest = await peer()
    const liar = await peer()
    const behind = await peer()
    const rejected = { honest: 0, behind: 0 }
    honest.node.subscribe((e) => { if (e.type === 'gossip:rejected') rejected.honest++ })
    behind.node.subscribe((e) => { if (e.type === 'gossip:rejected') rejected.behind++ })
    const genesis = await honest.log.createSpace(honest.identity, openSpace())
    await liar.node.join(genesis.space)
    await behind.node.join(genesis.space)
    await liar.node.connect(honest.node.addresses()[0])
    // `behind` hears the liar only through `honest`.
    await behind.node.connect(honest.node.addresses()[0])
    await eventually(() => liar.log.genesis(genesis.space) !== undefined && behind.log.genesis(genesis.space) !== undefined)
    const topic = `/mutual/1/space/${genesis.space}`
    const pubsub = (p: TestPeer): any => p.node.libp2p.services.pubsub
    await eventually(() => pubsub(liar).getSubscribers(topic).length > 0 && pubsub(honest).getSubscribers(topic).length > 1)
    // A valid entry whose signature is then broken: the liar publishes it raw on the topic.
    const good = await liar.log.append(liar.identity, genesis.space, 'space/note', { text: 'x' })
    await eventually(async () => (await behind.log.getById(good.id.toString())) !== undefined, 10_000, 'valid entry relayed')
    // Entries signed outside the liar's log, then broken: never valid anywhere.
    for (let i = 0; i < 4; i++) {
      const forged = signEntry(liar.identity, {
        v: 1, space: genesis.id, author: liar.identity.id, seq: 2, prev: good.id, ts: [Date.now(), i], type: 'space/note', body: { text: `y${i}` }
      })
      const bad = Uint8Array.from(forged.bytes)
      bad[bad.length - 1] ^= 0xff
      await pubsub(liar).publish(topic, bad)
    }
    const liarId = liar.identity.id
    await eventually(() => pubsub(honest).getScore(liarId) < -80, 10_000, 'graylist')
    expect(honest.log.vector(genesis.space)[liarId].seq).toBe(1)
    expect(rejected.honest).toBe(4)
    // Nothing invalid was forwarded: the node behind never had to reject anything.
    expect(rejected.behind).toBe(0)
    expect(behind.log.vector(genesis.space)[liarId].seq).toBe(1)
  })
})

describe('discovery', () => {
  it('finds and connects to a peer on the local network by mDNS alone', async () => {
    const a = await startPeer({ mdns: true })
    const b = await startPeer({ mdns: true })
    peers.push(a, b)
    await eventually(() => a.node.peers().some((p) => p.id === b.identity.id), 15_000, 'mDNS discovery')
  })
})
