import { afterEach, describe, expect, it } from 'vitest'
import { signEntry } from '@mutual/protocol'
import { topicOf, type MutualNodeEvent } from '@mutual/node'
import { openSpace, startCluster, until, type Cluster } from '../../scripts/chaos/cluster.ts'

let cluster: Cluster | undefined
afterEach(async () => { await cluster?.stop() })

describe('chaos: a hostile peer', () => {
  it('floods invalid entries beside honest traffic: honest delivery stays at least 99% and the hostile peer is cut off', async () => {
    // Nodes 0–3 are honest (a ring); node 4 is hostile and connects to two of them.
    // Anti-entropy is off: what arrives, arrives by gossip (and the sync a gap asks for).
    cluster = await startCluster({ size: 5, node: { syncIntervalMs: 0 } })
    const { nodes } = cluster
    const honest = nodes.slice(0, 4)
    const hostile = nodes[4]
    const events = honest.map(() => [] as MutualNodeEvent[])
    honest.forEach((n, i) => n.node.subscribe((e) => { events[i].push(e) }))
    const genesis = await nodes[0].log.createSpace(nodes[0].identity, openSpace('hostile'))
    for (const n of nodes) await n.node.join(genesis.space)
    await cluster.partition([[0, 1, 2, 3], [3, 0]])
    await cluster.connect(4, 0)
    await cluster.connect(4, 2)
    await cluster.waitConverged(genesis.space, 10_000)
    const topic = topicOf(genesis.space)
    const pubsub = hostile.node.libp2p.services.pubsub as any
    await until(() => pubsub.getSubscribers(topic).length >= 2, 10_000, 'the hostile peer to join the mesh')

    const flood = (async () => {
      for (let i = 0; i < 400; i++) {
        const forged = signEntry(hostile.identity, {
          v: 1, space: genesis.id, author: hostile.identity.id, seq: 1 + i, prev: i === 0 ? null : genesis.id, ts: [Date.now(), i], type: 'space/note', body: { text: `junk ${i}` }
        })
        const bad = Uint8Array.from(forged.bytes)
        bad[bad.length - 1] ^= 0xff
        await pubsub.publish(topic, bad).catch(() => {})
        if (i % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 1))
      }
    })()
    const written: string[] = []
    const honestTraffic = Promise.all(honest.map(async (n) => {
      for (let k = 0; k < 50; k++) {
        written.push((await n.log.append(n.identity, genesis.space, 'space/note', { text: `${n.index}/${k}` })).id.toString())
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
    }))
    await Promise.all([flood, honestTraffic])

    const delivered = async (n: typeof honest[number]): Promise<number> => {
      let held = 0
      for (const id of written) if (await n.log.getById(id) !== undefined) held++
      return held / written.length
    }
    await until(async () => (await Promise.all(honest.map(delivered))).every((share) => share >= 0.99), 15_000, 'honest entries to reach every honest node')
    // The hostile peer was disconnected by both nodes it reached, and stays out.
    await until(() => honest.every((n) => !n.node.peers().some((p) => p.id === hostile.identity.id)), 5_000, 'the hostile peer to be disconnected')
    expect(events[0].some((e) => e.type === 'peer:graylisted' && e.peer === hostile.identity.id)).toBe(true)
    expect(events[2].some((e) => e.type === 'peer:graylisted' && e.peer === hostile.identity.id)).toBe(true)
    // Nothing invalid stored or forwarded: no honest node holds anything of the hostile author,
    // and the nodes it never reached rejected nothing.
    for (const n of honest) expect(n.log.vector(genesis.space)[hostile.identity.id]).toBeUndefined()
    for (const i of [1, 3]) expect(events[i].filter((e) => e.type === 'gossip:rejected')).toEqual([])
  }, 60_000)
})
