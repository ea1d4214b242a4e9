import { connect, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { signEntry } from '@mutual/protocol'
import { SYNC_PROTOCOL, type MutualNodeEvent } from '@mutual/node'
import { eventually, openSpace, startPeer, type TestPeer } from './helpers.js'
import { oversizeFrame } from '../../../scripts/chaos/faults.ts'

const peers: TestPeer[] = []
const sockets: Socket[] = []
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy()
  await Promise.all(peers.splice(0).map(async (p) => { await p.stop() }))
})

async function peer (init: Parameters<typeof startPeer>[0] = {}): Promise<TestPeer> {
  const p = await startPeer(init)
  peers.push(p)
  return p
}

/** multistream-select's opening and a protocol proposal: a connection the node accepted answers them. */
const HANDSHAKE = Buffer.concat([Buffer.from([19]), Buffer.from('/multistream/1.0.0\n'), Buffer.from([7]), Buffer.from('/noise\n')])

/** Opens `n` raw TCP connections to a node at once; counts those it answered and those it closed. */
function flood (port: number, n: number): { answered: () => number, closed: () => number } {
  let answered = 0
  let closed = 0
  for (let i = 0; i < n; i++) {
    const socket = connect(port, '127.0.0.1')
    sockets.push(socket)
    let heard = false
    socket.on('connect', () => { socket.write(HANDSHAKE) })
    socket.on('data', () => { if (!heard) { heard = true; answered++ } })
    socket.on('error', () => {})
    socket.on('close', () => { closed++ })
  }
  return { answered: () => answered, closed: () => closed }
}

const tcpPort = (p: TestPeer): number => Number(/\/tcp\/(\d+)/.exec(p.node.addresses()[0])![1])

describe('connection limits on loopback', () => {
  it('cuts a flood of 200 loopback connections to the configured limit by default', async () => {
    // The libp2p defaults: 5 new connections a second from one host, 10 pending upgrades.
    const target = await peer({ exemptLoopback: undefined, inboundConnectionThreshold: undefined })
    const f = flood(tcpPort(target), 200)
    await eventually(() => f.closed() >= 190, 10_000, 'refused connections to be closed')
    expect(200 - f.closed()).toBeLessThanOrEqual(10)
    expect(f.answered()).toBeLessThanOrEqual(10)
  })

  it('accepts the same flood when loopback is exempted on purpose', async () => {
    const target = await peer({ exemptLoopback: true })
    const f = flood(tcpPort(target), 200)
    await eventually(() => f.answered() === 200, 10_000, 'every connection to be answered')
    expect(f.closed()).toBe(0)
  })
})

describe('frames over a protocol bound', () => {
  it('resets a gossip stream from the length prefix of a 64 MiB frame', async () => {
    const target = await peer()
    const sender = await peer()
    const events: MutualNodeEvent[] = []
    target.node.subscribe((e) => { events.push(e) })
    await sender.node.connect(target.node.addresses()[0])
    const stream = await sender.node.libp2p.dialProtocol(target.node.libp2p.peerId, '/meshsub/1.2.0')
    const { pushed, reset } = await oversizeFrame(stream)
    expect(reset).toBe(true)
    // What flow control let through before the reset, never the body announced.
    expect(pushed).toBeLessThan(4 * 1024 * 1024)
    expect(events.some((e) => e.type === 'gossip:rejected' && e.peer === sender.identity.id && e.error.startsWith('InvalidDataLengthError'))).toBe(true)
  })

  it('resets a sync stream from the length prefix of a 64 MiB frame', async () => {
    const target = await peer()
    const sender = await peer()
    await sender.node.connect(target.node.addresses()[0])
    const stream = await sender.node.libp2p.dialProtocol(target.node.libp2p.peerId, SYNC_PROTOCOL)
    const { pushed, reset } = await oversizeFrame(stream)
    expect(reset).toBe(true)
    expect(pushed).toBeLessThan(4 * 1024 * 1024)
  })
})

describe('graylisting', () => {
  it('disconnects a graylisted peer within a second and refuses its redial', async () => {
    const honest = await peer({ graylistBackoffMs: 60_000 })
    const liar = await peer()
    const events: MutualNodeEvent[] = []
    honest.node.subscribe((e) => { events.push(e) })
    const genesis = await honest.log.createSpace(honest.identity, openSpace())
    await liar.node.join(genesis.space)
    await liar.node.connect(honest.node.addresses()[0])
    await eventually(() => liar.log.genesis(genesis.space) !== undefined, 10_000, 'the genesis')
    const topic = `/mutual/1/space/${genesis.space}`
    const pubsub = (p: TestPeer): any => p.node.libp2p.services.pubsub
    await eventually(() => pubsub(liar).getSubscribers(topic).length > 0, 10_000, 'the mesh')
    for (let i = 0; i < 2; i++) {
      const forged = signEntry(liar.identity, {
        v: 1, space: genesis.id, author: liar.identity.id, seq: 2, prev: genesis.id, ts: [Date.now(), i], type: 'space/note', body: { text: `y${i}` }
      })
      const bad = Uint8Array.from(forged.bytes)
      bad[bad.length - 1] ^= 0xff
      await pubsub(liar).publish(topic, bad)
    }
    await eventually(() => events.filter((e) => e.type === 'gossip:rejected').length === 2, 10_000, 'both rejections')
    await eventually(() => !honest.node.peers().some((p) => p.id === liar.identity.id), 1_000, 'the liar to be disconnected')
    const graylisted = events.find((e) => e.type === 'peer:graylisted')
    expect(graylisted).toMatchObject({ peer: liar.identity.id, backoffMs: 60_000 })
    expect((graylisted as { score: number }).score).toBeLessThan(-80)
    // The redial is refused once the handshake names the peer: it never becomes a connection here.
    const after = events.length
    await liar.node.connect(honest.node.addresses()[0]).catch(() => {})
    await eventually(() => liar.node.libp2p.getConnections(honest.node.libp2p.peerId).length === 0, 5_000, 'the redial to be closed')
    expect(honest.node.peers().some((p) => p.id === liar.identity.id)).toBe(false)
    expect(events.slice(after).some((e) => e.type === 'peer:connect' && e.peer === liar.identity.id)).toBe(false)
    // Nor does the honest node dial it during the back-off.
    await expect(honest.node.connect(liar.node.addresses()[0])).rejects.toMatchObject({ name: 'DialError' })
  })
})
