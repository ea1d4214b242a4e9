/**
 * gossip-latency: how long an entry takes to reach every node of a 20-node network on loopback,
 * beside raw @libp2p/gossipsub publishing the same payloads over the same topology in the same
 * run. Mutual's figure includes signing, the topic validator on every hop (decode, signature,
 * chain, authorization) and storing; the baseline's includes gossipsub's own message signing
 * and verification (its default policy). Both networks exist for the whole run and take turns,
 * so background load falls on both alike.
 */
import { createHash } from 'node:crypto'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify } from '@libp2p/identify'
import { gossipsub, type GossipSub } from '@libp2p/gossipsub'
import { multiaddr } from '@multiformats/multiaddr'
import type { Libp2p } from '@libp2p/interface'
import { Log, memoryStore } from '@mutual/log'
import { createMutualNode, topicOf, type MutualNode } from '@mutual/node'
import { generateIdentity, type Identity } from '@mutual/protocol'
import { noteBody } from './fixtures.ts'
import { percentile, rounds, type BenchResult } from './lib.ts'

const NODES = Number(process.env.GOSSIP_NODES ?? 20)
const MESSAGES = Number(process.env.GOSSIP_MESSAGES ?? 100)
const INTERVAL_MS = 20
const SETTLE_MS = 3000

interface Burst { latencies: number[], delivered: number, expected: number }

/** A connected random topology, seeded: a ring plus two chords per node. */
function topology (n: number, seed = 7): Array<[number, number]> {
  let s = seed
  const rand = (): number => { s = (s * 1103515245 + 12345) % 2 ** 31; return s / 2 ** 31 }
  const edges = new Set<string>()
  for (let i = 0; i < n; i++) edges.add([i, (i + 1) % n].sort((a, b) => a - b).join('-'))
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 2; k++) {
      const j = Math.floor(rand() * n)
      if (j !== i) edges.add([i, j].sort((a, b) => a - b).join('-'))
    }
  }
  return [...edges].map((e) => e.split('-').map(Number) as [number, number])
}

const sleep = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

async function waitForMesh (pubsubs: GossipSub[], topic: string): Promise<void> {
  const deadline = Date.now() + 30_000
  while (!pubsubs.every((p) => (p as any).getMeshPeers(topic).length >= 2)) {
    if (Date.now() > deadline) throw new Error('gossipsub mesh did not form')
    await sleep(100)
  }
}

async function connect (addrs: string[], dial: (i: number, addr: string) => Promise<unknown>, edges: Array<[number, number]>): Promise<void> {
  for (const [a, b] of edges) await dial(a, addrs[b])
}

interface MutualNet { nodes: MutualNode[], logs: Log[], identities: Identity[], space: string }

async function mutualNetwork (edges: Array<[number, number]>): Promise<MutualNet> {
  const identities = await Promise.all(Array.from({ length: NODES }, async () => await generateIdentity()))
  const logs = identities.map(() => new Log({ store: memoryStore() }))
  await Promise.all(logs.map(async (l) => { await l.start() }))
  const genesis = await logs[0].createSpace(identities[0], {
    kind: 'raw', name: 'bench', policy: { write: 'listed', writers: [] }, encrypted: false, nonce: new Uint8Array(8)
  })
  for (const log of logs.slice(1)) await log.ingest(genesis.bytes)
  const nodes = identities.map((identity, i) => createMutualNode({
    identity, log: logs[i], listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, dht: false, syncIntervalMs: 0, exemptLoopback: true
  }))
  await Promise.all(nodes.map(async (n) => { await n.start() }))
  await connect(nodes.map((n) => n.addresses()[0]), async (i, addr) => await nodes[i].connect(addr), edges)
  await waitForMesh(nodes.map((n) => n.libp2p.services.pubsub as GossipSub), topicOf(genesis.space))
  return { nodes, logs, identities, space: genesis.space }
}

async function rawNetwork (edges: Array<[number, number]>, topic: string): Promise<Libp2p<{ pubsub: GossipSub }>[]> {
  const nodes = await Promise.all(Array.from({ length: NODES }, async () => await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: { inboundConnectionThreshold: 10_000 },
    services: {
      identify: identify(),
      // gossipsub's defaults, except what a one-host test needs: peers on 127.0.0.1 are not a Sybil attack.
      pubsub: gossipsub({ allowPublishToZeroTopicPeers: true, scoreParams: { IPColocationFactorWhitelist: new Set(['127.0.0.1']) } })
    }
  })))
  for (const n of nodes) n.services.pubsub.subscribe(topic)
  await connect(nodes.map((n) => n.getMultiaddrs()[0].toString()), async (i, addr) => await nodes[i].dial(multiaddr(addr)), edges)
  await waitForMesh(nodes.map((n) => n.services.pubsub), topic)
  return nodes
}

const digest = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex')

async function mutualBurst (net: MutualNet, texts: string[]): Promise<{ burst: Burst, payloads: Uint8Array[] }> {
  const sentAt = new Map<string, number>()
  const latencies: number[] = []
  const unsubscribe = net.logs.slice(1).map((log) => log.subscribe((event) => {
    if (event.type !== 'entry') return
    const t0 = sentAt.get(event.entry.id.toString())
    if (t0 !== undefined) latencies.push(performance.now() - t0)
  }))
  const payloads: Uint8Array[] = []
  for (const text of texts) {
    const t0 = performance.now()
    const pending = net.logs[0].append(net.identities[0], net.space, 'space/note', { text })
    // The id is known only once signed; entries are recorded at the publisher before any peer sees them.
    const entry = await pending
    sentAt.set(entry.id.toString(), t0)
    payloads.push(entry.bytes)
    await sleep(INTERVAL_MS)
  }
  await settle(() => latencies.length, texts.length * (NODES - 1))
  for (const u of unsubscribe) u()
  return { burst: { latencies, delivered: latencies.length, expected: texts.length * (NODES - 1) }, payloads }
}

async function rawBurst (nodes: Libp2p<{ pubsub: GossipSub }>[], topic: string, payloads: Uint8Array[]): Promise<Burst> {
  const sentAt = new Map<string, number>()
  const latencies: number[] = []
  const handlers = nodes.slice(1).map((n) => {
    const handler = (e: CustomEvent<{ data: Uint8Array }>): void => {
      const t0 = sentAt.get(digest(e.detail.data))
      if (t0 !== undefined) latencies.push(performance.now() - t0)
    }
    n.services.pubsub.addEventListener('message', handler as any)
    return () => { n.services.pubsub.removeEventListener('message', handler as any) }
  })
  for (const data of payloads) {
    sentAt.set(digest(data), performance.now())
    await nodes[0].services.pubsub.publish(topic, data)
    await sleep(INTERVAL_MS)
  }
  await settle(() => latencies.length, payloads.length * (NODES - 1))
  for (const h of handlers) h()
  return { latencies, delivered: latencies.length, expected: payloads.length * (NODES - 1) }
}

async function settle (count: () => number, expected: number): Promise<void> {
  const deadline = Date.now() + SETTLE_MS
  while (count() < expected && Date.now() < deadline) await sleep(20)
}

export default async function gossipLatency (): Promise<BenchResult[]> {
  const edges = topology(NODES)
  const net = await mutualNetwork(edges)
  const rawTopic = '/bench/raw/1'
  const raw = await rawNetwork(edges, rawTopic)
  console.log(`${NODES} nodes, ${edges.length} connections, ${MESSAGES} messages per burst every ${INTERVAL_MS} ms`)

  const ours: Burst[] = []
  const theirs: Burst[] = []
  const n = rounds(3)
  for (let r = 0; r <= n; r++) {
    const texts = Array.from({ length: MESSAGES }, (_, i) => noteBody(r * MESSAGES + i).text)
    const { burst, payloads } = await mutualBurst(net, texts)
    // Raw gossipsub dedups by content too: republishing the same bytes would be dropped, so each
    // round's payloads are fresh copies signed by Mutual in this round.
    const base = await rawBurst(raw, rawTopic, payloads)
    if (r === 0) continue // warm-up
    ours.push(burst)
    theirs.push(base)
  }
  await Promise.all([...net.nodes.map(async (x) => { await x.stop() }), ...raw.map(async (x) => { await x.stop() })])
  await Promise.all(net.logs.map(async (l) => { await l.stop() }))

  const all = (bursts: Burst[]): number[] => bursts.flatMap((b) => b.latencies)
  const ratioDelivered = (bursts: Burst[]): number => bursts.reduce((s, b) => s + b.delivered, 0) / bursts.reduce((s, b) => s + b.expected, 0)
  const p = (bursts: Burst[], q: number): number => percentile(all(bursts), q)
  const p50 = { value: p(ours, 50), baseline: p(theirs, 50) }
  const p99 = { value: p(ours, 99), baseline: p(theirs, 99) }
  const worse = p50.value / p50.baseline >= p99.value / p99.baseline ? { ...p50, q: 'p50' } : { ...p99, q: 'p99' }
  const params = {
    nodes: NODES,
    connections: edges.length,
    messagesPerRound: MESSAGES,
    rounds: n,
    p50: p50.value,
    p99: p99.value,
    rawP50: p50.baseline,
    rawP99: p99.baseline,
    delivered: ratioDelivered(ours),
    rawDelivered: ratioDelivered(theirs),
    ratioFrom: worse.q
  }
  const row = (name: string, v: { value: number, baseline: number }, goal: string): BenchResult => ({
    name, unit: 'ms', value: v.value, baseline: v.baseline, baselineName: 'raw @libp2p/gossipsub, same topology and payloads',
    baselineUnit: 'ms', ratio: v.value / v.baseline, goal, params
  })
  return [
    row('gossip-latency', worse, '<= 1.3 (the larger of the p50 and p99 ratios), 100% delivered'),
    row('gossip-latency-p50', p50, '<= 1.3'),
    row('gossip-latency-p99', p99, '<= 1.3'),
    { name: 'gossip-delivery', unit: 'ratio', value: params.delivered, baseline: params.rawDelivered, baselineName: 'raw gossipsub delivery ratio', baselineUnit: 'ratio', ratio: params.delivered / params.rawDelivered, goal: '1.0', params }
  ]
}
