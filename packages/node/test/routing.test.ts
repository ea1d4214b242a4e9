import { afterEach, describe, expect, it } from 'vitest'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { vectorsEqual } from '@mutual/log'
import { eventually, openSpace, startPeer, type TestPeer } from './helpers.js'

/**
 * Paths beyond a direct dial, over TCP on loopback: a peer found through the Kademlia DHT by its
 * id alone, and a peer reached through a circuit relay.
 */

const peers: TestPeer[] = []
afterEach(async () => {
  await Promise.all(peers.splice(0).map(async (p) => { await p.stop() }))
})

async function peer (init: Parameters<typeof startPeer>[0] = {}): Promise<TestPeer> {
  const p = await startPeer(init)
  peers.push(p)
  return p
}

describe('routing', () => {
  it('finds a peer it knows only by id through the DHT, then replicates a space with it', async () => {
    const [hub, a, c] = [await peer({ dht: true }), await peer({ dht: true }), await peer({ dht: true })]
    await a.node.connect(hub.node.addresses()[0])
    await c.node.connect(hub.node.addresses()[0])
    const { space } = await a.log.createSpace(a.identity, openSpace())
    await a.log.append(a.identity, space, 'space/note', { text: 'found by id' })
    expect(c.node.peers().map((p) => p.id)).not.toContain(a.identity.id)

    // c has only a's id: the DHT (through the hub, the one peer c knows) gives the addresses.
    let found: string[] = []
    await eventually(async () => {
      const info = await c.node.libp2p.peerRouting.findPeer(peerIdFromString(a.identity.id), { signal: AbortSignal.timeout(5_000) }).catch(() => undefined)
      found = info?.multiaddrs.map((m) => m.toString()).filter((m) => m.includes('/tcp/')) ?? []
      return found.length > 0
    }, 20_000, 'a DHT lookup to return a\'s addresses')
    await c.node.join(space)
    await c.node.connect(`${found[0]}/p2p/${a.identity.id}`)
    await eventually(() => vectorsEqual(c.log.vector(space), a.log.vector(space)), 10_000, 'the space at c')
  })

  it('reaches a peer through a circuit relay', async () => {
    const relay = await peer({ relayServer: true })
    const a = await peer({ nat: true, listen: ['/ip4/127.0.0.1/tcp/0', '/p2p-circuit'] })
    const c = await peer({ nat: true })
    await a.node.connect(relay.node.addresses()[0])
    // a holds a reservation once it advertises an address through the relay.
    await eventually(() => a.node.libp2p.getMultiaddrs().some((m) => m.toString().includes('/p2p-circuit')), 15_000, 'a\'s reservation on the relay')
    const circuit = `${relay.node.addresses()[0]}/p2p-circuit/p2p/${a.identity.id}`
    const conn = await c.node.libp2p.dial(multiaddr(circuit))
    expect(conn.remotePeer.toString()).toBe(a.identity.id)
    expect(conn.remoteAddr.toString()).toContain('/p2p-circuit')
    expect(conn.status).toBe('open')
    // c never dialled a directly: its only connection to a is the relayed one.
    expect(c.node.libp2p.getConnections(conn.remotePeer).every((x) => x.remoteAddr.toString().includes('/p2p-circuit'))).toBe(true)
  })
})
